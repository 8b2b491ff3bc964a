/**
 * The compare matrix of an evaluation, from the latest finished run of each
 * supplier: requirement by supplier, each cell a status word that links to
 * that requirement's row (its evidence) in the run's HTML report.
 */
import { MATRIX_LABEL } from '../report/compare-markdown.js';
import { compareReports } from '../report/compare-reports.js';
import { statusBadge } from '../report/html-reporter.js';
import { htmlText } from '../report/html-text.js';
import type { Report } from '../report/report-types.js';
import { requirementRows } from '../report/requirement-status.js';
import { renderWebPage, seg, when, type PageContext } from './web-page.js';
import type { EvaluationSummary, RunView, SupplierView } from './web-port.js';

export interface CompareInput {
  supplier: SupplierView;
  run: RunView;
  report: Report;
}

/**
 * @example
 *   renderComparePage(context, evaluation, latest);
 */
export function renderComparePage(context: PageContext, evaluation: EvaluationSummary, latest: readonly CompareInput[]): string {
  const head = [`<p class="kicker">Comparison</p><h1>${htmlText(evaluation.name, 200)}</h1>`, `<p><a href="/evaluations/${seg(evaluation.id)}">Back to the evaluation</a></p>`];
  if (latest.length === 0) return renderWebPage(context, `Comparison: ${evaluation.name}`, [...head, '<p>No finished runs yet.</p>']);
  // One matrix per profile: requirements of different profiles are not the same rows.
  const profiles = [...new Set(latest.map((l) => l.run.profile))].sort();
  return renderWebPage(context, `Comparison: ${evaluation.name}`, [
    ...head,
    profiles.length > 1 ? `<nav aria-label="Profiles"><ul>${profiles.map((p, i) => `<li><a href="#profile-${i}">${htmlText(p, 100)}</a></li>`).join('')}</ul></nav>` : '',
    ...profiles.map((profile, i) => renderMatrix(`profile-${i}`, profile, latest.filter((l) => l.run.profile === profile))),
  ]);
}

function renderMatrix(anchor: string, profile: string, latest: readonly CompareInput[]): string {
  const comparison = compareReports(latest.map((l) => ({ file: `run ${l.run.id}`, report: l.report })));
  // The report page's anchor for a requirement is its position in requirementRows.
  const anchors = latest.map((l) => new Map(requirementRows(l.report).map((row, index) => [`${row.kind}:${row.id}`, index])));
  const heads = latest.map((l) => `<th scope="col">${htmlText(l.supplier.name, 200)}</th>`).join('');
  const rows = comparison.rows.map((row) => {
    const cells = row.cells.map((status, v) => {
      const index = anchors[v]!.get(`${row.kind}:${row.id}`);
      const badge = statusBadge(status, MATRIX_LABEL[status]);
      const label = `${MATRIX_LABEL[status]}: evidence for ${row.id} from ${latest[v]!.supplier.name}`;
      return index === undefined
        ? `<td data-status="${status}">${badge}</td>`
        : `<td data-status="${status}"><a href="/runs/${seg(latest[v]!.run.id)}/files/report.html#req-${index}" aria-label="${htmlText(label, 600)}">${badge}</a></td>`;
    });
    return `<tr data-requirement="${htmlText(row.id, 200)}"><th scope="row">${htmlText(row.id, 200)}</th><td class="level">${htmlText(row.level, 40)}</td><td>${htmlText(row.statement, 1000)}</td>${cells.join('')}</tr>`;
  });
  return [
    `<section id="${anchor}" aria-labelledby="${anchor}-heading" data-profile="${htmlText(profile, 100)}">`,
    `<h2 id="${anchor}-heading">Profile ${htmlText(profile, 100)}</h2>`,
    comparison.warnings.length === 0
      ? ''
      : `<div class="caveat" role="note"><p><strong>Not like for like:</strong></p><ul>${comparison.warnings.map((w) => `<li>${htmlText(w, 1000)}</li>`).join('')}</ul></div>`,
    '<h3>Latest runs</h3><ul>',
    ...latest.map((l) => `<li>${htmlText(l.supplier.name, 200)}: <a href="/runs/${seg(l.run.id)}">run of ${when(l.run.finishedAt)}</a>, ${htmlText(l.run.verdict ?? '', 40)}</li>`),
    '</ul>',
    `<table class="matrix"><caption>Requirement by supplier, ${htmlText(profile, 100)}</caption><thead><tr><th scope="col">ID</th><th scope="col">Level</th><th scope="col">Statement</th>${heads}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('\n');
}
