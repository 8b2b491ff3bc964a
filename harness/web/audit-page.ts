/**
 * The audit log: who did what and when, newest first (Maximum Transparency by
 * Default): an evaluation's own log for its panel, the whole log (sign-ins
 * and accounts included) for administrators.
 */
import { htmlText } from '../report/html-text.js';
import { renderWebPage, seg, when, type PageContext } from './web-page.js';
import type { AuditEntry, EvaluationSummary } from './web-port.js';

/**
 * @example
 *   renderAuditPage(context, entries);
 */
export function renderAuditPage(context: PageContext, entries: readonly AuditEntry[], evaluation: EvaluationSummary | null): string {
  const rows = entries.map(
    (e) =>
      `<tr><th scope="row">${when(e.at)}</th><td>${htmlText(e.actor, 320)}</td><td>${htmlText(e.action, 100)}</td><td>${e.subject ? htmlText(e.subject, 400) : ''}</td><td>${e.detail ? htmlText(e.detail, 1000) : ''}</td></tr>`,
  );
  const title = evaluation ? `Audit log: ${evaluation.name}` : 'Audit log';
  return renderWebPage(context, title, [
    evaluation
      ? `<p class="kicker">Audit log</p><h1>${htmlText(evaluation.name, 200)}</h1><p><a href="/evaluations/${seg(evaluation.id)}">Back to the evaluation</a></p>`
      : '<h1>Audit log</h1><p>Everything recorded, sign-ins and accounts included.</p>',
    entries.length === 0
      ? '<p>Nothing recorded yet.</p>'
      : `<table><caption>Who did what, newest first (latest ${entries.length})</caption><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  ]);
}
