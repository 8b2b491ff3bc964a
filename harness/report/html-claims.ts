import { escapeHtml, htmlText } from './html-text.js';
import type { ClaimEntry, Report } from './report-types.js';

/** Badge status and word for each ledger status: never colour alone. */
const LEDGER_BADGE: Readonly<Record<ClaimEntry['status'], { status: 'pass' | 'fail' | 'not-verified' | 'not-claimed'; label: string }>> = {
  verified: { status: 'pass', label: 'Verified' },
  refuted: { status: 'fail', label: 'Refuted' },
  unverified: { status: 'not-verified', label: 'Unverified' },
  'not-claimed': { status: 'not-claimed', label: 'Not claimed' },
};

/**
 * The claims ledger, the headline for a force: what the vendor claimed for
 * this profile and what the run made of each claim. Empty in generic mode.
 *
 * @example
 *   renderClaims(report, statusBadge) // '<section id="claims" …'
 */
export function renderClaims(
  report: Report,
  badge: (status: 'pass' | 'fail' | 'not-verified' | 'not-claimed', label: string) => string,
  /** The requirement table's row anchor (positional: profile text never goes into an attribute). */
  anchorOf: (requirementId: string) => string | undefined,
): string {
  const ledger = report.claims;
  if (!ledger) return '';
  const from =
    ledger.source === 'implied'
      ? `No claims document was published, so the profile counts as claimed: its MUST requirements claimed, its SHOULD and MAY not.`
      : `Claims ${ledger.source === 'file' ? 'given with --claims' : 'published by the supplier'}${ledger.supplier ? ` for ${htmlText(ledger.supplier)}` : ''}` +
        `${ledger.product ? `, ${htmlText(ledger.product)}${ledger.productVersion ? ` ${htmlText(ledger.productVersion)}` : ''}` : ''}` +
        `${ledger.location ? ` (<code>${htmlText(ledger.location)}</code>)` : ''}.`;
  const warnings = [
    ledger.profileClaimed ? '' : `<p class="warning">${badge('not-claimed', 'Not claimed')} The claims do not name this profile.</p>`,
    ledger.versionMismatch ? `<p class="warning">Version mismatch: ${htmlText(ledger.versionMismatch)}.</p>` : '',
  ].join('');
  const rows = ledger.entries.map((entry) => {
    const shown = LEDGER_BADGE[entry.status];
    const anchor = anchorOf(entry.requirement);
    const id = anchor === undefined ? htmlText(entry.requirement) : `<a href="#req-${anchor}">${htmlText(entry.requirement)}</a>`;
    return (
      `<tr><th scope="row">${id}</th><td>${escapeHtml(entry.level)}</td>` +
      `<td>${entry.claimed ? 'Yes' : 'No'}</td><td>${badge(shown.status, shown.label)}</td><td>${htmlText(entry.reason)}</td></tr>`
    );
  });
  return [
    '<section id="claims" aria-labelledby="claims-heading">',
    '<h2 id="claims-heading">What was claimed, and what the run showed</h2>',
    `<p>${from}</p>`,
    warnings,
    `<p><strong>${ledger.verified}</strong> verified, <strong>${ledger.refuted}</strong> refuted, <strong>${ledger.unverified}</strong> unverified ` +
      `(never counted as verified), <strong>${ledger.notClaimed}</strong> not claimed.</p>`,
    '<table class="claims"><caption>Claims ledger</caption><thead><tr><th scope="col">Requirement</th><th scope="col">Level</th>' +
      '<th scope="col">Claimed</th><th scope="col">Status</th><th scope="col">Why</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    '</section>',
  ].join('\n');
}
