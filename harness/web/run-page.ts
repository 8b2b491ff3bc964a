/**
 * A run: its status, live progress while it is queued or running (the
 * script follows `/runs/{id}/events`; without script the page says to
 * reload), then the verdict and every report format, and the public key that
 * verifies the signature.
 */
import { htmlText } from '../report/html-text.js';
import { runStatusText } from './evaluation-pages.js';
import { renderWebPage, seg, when, type PageContext } from './web-page.js';
import type { ProgressEvent, RunView } from './web-port.js';

/** The report files a finished run offers, with their link text. */
export const REPORT_LINKS: ReadonlyArray<{ file: string; label: string }> = [
  { file: 'report.html', label: 'HTML report' },
  { file: 'report.json', label: 'report.json (the signed record)' },
  { file: 'report.json.sig', label: 'Signature (report.json.sig)' },
  { file: 'junit.xml', label: 'JUnit XML' },
  { file: 'report.md', label: 'Markdown summary' },
];

/**
 * @example
 *   renderRunPage(context, run, events);
 */
export function renderRunPage(context: PageContext, run: RunView, events: readonly ProgressEvent[]): string {
  const base = `/runs/${seg(run.id)}`;
  const ended = run.status === 'finished' || run.status === 'failed';
  const lastSeq = events.length === 0 ? 0 : events[events.length - 1]!.seq;
  return renderWebPage(context, `Run of ${run.supplierName}`, [
    `<p class="kicker">Run ${htmlText(run.id, 80)}</p>`,
    `<h1>${htmlText(run.supplierName, 200)}${run.selfTest ? ' <span class="muted">(self-test)</span>' : ''}</h1>`,
    '<dl class="facts">',
    // A supplier account has no evaluation page: it would be a link to a 404.
    context.account?.role === 'supplier' ? '' : `<dt>Evaluation</dt><dd><a href="/evaluations/${seg(run.evaluationId)}">Back to the evaluation</a></dd>`,
    `<dt>Supplier</dt><dd><a href="/suppliers/${seg(run.supplierId)}">History of ${htmlText(run.supplierName, 200)}</a></dd>`,
    `<dt>Profile</dt><dd>${htmlText(run.profile, 100)}</dd>`,
    `<dt>Queued</dt><dd>${when(run.queuedAt)}</dd>`,
    `<dt>Started</dt><dd>${when(run.startedAt)}</dd>`,
    '</dl>',
    `<section id="progress" aria-labelledby="progress-heading" data-progress-url="${base}/events?after=${lastSeq}" data-state="${ended ? 'ended' : 'live'}">`,
    '<h2 id="progress-heading">Progress</h2>',
    `<p id="run-status" role="status" aria-live="polite">${htmlText(ended ? `Run ${runStatusText(run)}.` : `${runStatusText(run)}. This page updates as the run progresses; without script, reload it.`, 400)}</p>`,
    '<div role="log" aria-live="polite" aria-label="Progress events"><ol class="progress-log">',
    ...events.slice(-200).map((e) => `<li>${htmlText(e.text, 400)}</li>`),
    '</ol></div>',
    '</section>',
    renderRunOutcome(run),
  ]);
}

/** The part of the page that the script replaces when the run ends. */
export function renderRunOutcome(run: RunView): string {
  const base = `/runs/${seg(run.id)}`;
  if (run.status === 'failed') {
    return `<section id="run-outcome" aria-labelledby="outcome-heading" data-status="failed"><h2 id="outcome-heading">Outcome</h2><p>The run did not complete${run.error ? `: ${htmlText(run.error, 1000)}` : '.'}</p></section>`;
  }
  if (run.status !== 'finished') {
    return `<section id="run-outcome" aria-labelledby="outcome-heading" data-status="${run.status}"><h2 id="outcome-heading">Outcome</h2><p>Not finished yet.</p></section>`;
  }
  const verdict = run.verdict ?? 'unknown';
  const verdictClass = ['conformant', 'non-conformant', 'inconclusive'].includes(verdict) ? verdict : 'inconclusive';
  return [
    `<section id="run-outcome" aria-labelledby="outcome-heading" data-status="finished">`,
    '<h2 id="outcome-heading">Outcome</h2>',
    `<div class="verdict verdict-${verdictClass}" id="verdict"><strong>${htmlText(verdict.toUpperCase(), 40)}</strong>${typeof run.failed === 'number' ? `<span>${run.failed} failed</span>` : ''}</div>`,
    `<p>Finished ${when(run.finishedAt)}.</p>`,
    '<h3>Reports</h3><ul>',
    ...REPORT_LINKS.map((l) => `<li><a href="${base}/files/${l.file}">${htmlText(l.label, 100)}</a></li>`),
    `<li><a href="/evaluations/${seg(run.evaluationId)}/public-key.pub">Public key to verify the signature</a></li>`,
    '</ul>',
    '<p class="muted">Verify: <code>interop-harness verify report.json --key evaluation.pub</code></p>',
    '</section>',
  ].join('\n');
}
