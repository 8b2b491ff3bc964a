/**
 * The vendor comparison as one self-contained HTML page, with the same
 * escaping, policy and styles as the run report.
 */
import type { Comparison } from './compare-reports.js';
import { describeTotals, MATRIX_LABEL } from './compare-markdown.js';
import { statusBadge } from './html-reporter.js';
import { renderHtmlPage } from './html-page.js';
import { escapeHtml, htmlText } from './html-text.js';
import { VERDICT_LABEL } from './report-facts.js';

/**
 * @example
 *   renderComparisonHtml(compareReports(inputs)); // '<!DOCTYPE html>…<table class="matrix">…'
 */
export function renderComparisonHtml(comparison: Comparison): string {
  const { vendors, rows, totals, warnings } = comparison;
  const vendorHeads = vendors.map((v) => `<th scope="col">${htmlText(v.label, 200)}</th>`).join('');
  const body = [
    '<header><p class="kicker">Interoperability First: vendor comparison</p>',
    `<h1>${vendors.length} reports compared</h1></header>`,
    '<main>',
    warnings.length === 0
      ? '<p>All reports used the same profile text and harness version.</p>'
      : `<div class="verdict verdict-inconclusive" role="note"><span class="symbol" aria-hidden="true">!</span><strong>Not like for like</strong><ul>${warnings.map((w) => `<li>${htmlText(w, 1000)}</li>`).join('')}</ul></div>`,
    '<section aria-labelledby="vendors-heading"><h2 id="vendors-heading">Reports</h2>',
    '<table><thead><tr><th scope="col">Vendor</th><th scope="col">Verdict</th><th scope="col">Profile</th><th scope="col">Harness</th><th scope="col">Run started</th><th scope="col">File</th></tr></thead><tbody>',
    ...vendors.map((v) => {
      const r = v.report;
      const verdict = Object.hasOwn(VERDICT_LABEL, r.summary.verdict) ? VERDICT_LABEL[r.summary.verdict] : String(r.summary.verdict);
      return (
        `<tr><th scope="row">${htmlText(v.label, 200)}</th><td><strong>${htmlText(verdict, 40)}</strong></td><td>${htmlText(`${r.profile.id}@${r.profile.version}`, 200)}<br><code class="muted">${htmlText(r.profile.sha256.slice(0, 16), 16)}…</code></td>` +
        `<td>${htmlText(r.harness.version, 60)}</td><td>${htmlText(r.startedAt, 60)}</td><td><code>${htmlText(v.file, 400)}</code></td></tr>`
      );
    }),
    '</tbody></table></section>',
    '<section aria-labelledby="totals-heading"><h2 id="totals-heading">Totals by Charter principle</h2>',
    `<table><thead><tr><th scope="col">Principle</th>${vendorHeads}</tr></thead><tbody>`,
    ...totals.map(
      (t) =>
        `<tr><th scope="row">${escapeHtml(t.principle.title)}</th>${t.perVendor
          .map((c) => `<td>${escapeHtml(describeTotals(c))}</td>`)
          .join('')}</tr>`,
    ),
    '</tbody></table></section>',
    '<section aria-labelledby="matrix-heading"><h2 id="matrix-heading">Requirement by vendor</h2>',
    `<table class="matrix"><thead><tr><th scope="col">ID</th><th scope="col">Level</th><th scope="col">Statement</th>${vendorHeads}</tr></thead><tbody>`,
    ...rows.map(
      (row) =>
        `<tr><th scope="row">${htmlText(row.id, 200)}</th><td class="level">${htmlText(row.level, 40)}</td><td>${htmlText(row.statement, 1000)}</td>` +
        row.cells.map((c) => `<td>${statusBadge(c, MATRIX_LABEL[c])}</td>`).join('') +
        '</tr>',
    ),
    '</tbody></table></section>',
    '</main>',
  ];
  return renderHtmlPage(`Vendor comparison: ${vendors.map((v) => v.label).join(', ')}`, body);
}
