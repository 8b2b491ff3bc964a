/**
 * The vendor comparison as Markdown, for a pull request, a wiki page or the
 * terminal: warnings first, then totals by principle, then the matrix.
 */
import type { Comparison, MatrixStatus } from './compare-reports.js';
import { markdownText } from './markdown-text.js';
import { VERDICT_LABEL } from './report-facts.js';
import { ROLLUP_LABEL } from './requirement-status.js';

/** Status words for the matrix; short, and never colour alone. */
export const MATRIX_LABEL: Readonly<Record<MatrixStatus, string>> = { ...ROLLUP_LABEL, 'not-claimed': 'Not claimed' };

const SYMBOL: Readonly<Record<MatrixStatus, string>> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  error: '⛔',
  'not-verified': '➖',
  'not-run': '⭕',
  'not-claimed': '·',
};

/**
 * One vendor's totals under one principle, in words.
 *
 * @example
 *   describeTotals({ pass: 4, warn: 0, fail: 1, error: 0, 'not-verified': 0, 'not-run': 0, 'not-claimed': 1 }); // '4 verified, 1 failed, 0 no evidence, 0 not verified, 1 not claimed'
 */
export function describeTotals(c: Record<MatrixStatus, number>): string {
  if (Object.values(c).every((n) => n === 0)) return 'not assessed';
  return `${c.pass + c.warn} verified, ${c.fail} failed, ${c.error} no evidence, ${c['not-verified'] + c['not-run']} not verified, ${c['not-claimed']} not claimed`;
}

/**
 * @example
 *   renderComparisonMarkdown(compareReports(inputs)).split('\n')[0]; // '# Vendor comparison: 3 reports'
 */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const { vendors, rows, totals, warnings } = comparison;
  const lines = [`# Vendor comparison: ${vendors.length} reports`, ''];
  if (warnings.length > 0) {
    lines.push('> [!WARNING]', ...warnings.map((w) => `> - ${markdownText(w, 600)}`), '');
  }
  lines.push('| Vendor | Verdict | Profile | Harness | Run started | File |', '| --- | --- | --- | --- | --- | --- |');
  for (const v of vendors) {
    const r = v.report;
    lines.push(
      `| ${markdownText(v.label, 200)} | ${Object.hasOwn(VERDICT_LABEL, r.summary.verdict) ? VERDICT_LABEL[r.summary.verdict] : markdownText(String(r.summary.verdict), 40)} | ${markdownText(`${r.profile.id}@${r.profile.version}`, 200)} | ` +
        `${markdownText(r.harness.version, 60)} | ${markdownText(r.startedAt, 60)} | ${markdownText(v.file, 300)} |`,
    );
  }
  lines.push('', '## Totals by Charter principle', '', `| Principle | ${vendors.map((v) => markdownText(v.label, 100)).join(' | ')} |`, `| --- |${' --- |'.repeat(vendors.length)}`);
  for (const total of totals) {
    const cells = total.perVendor.map(describeTotals);
    lines.push(`| ${total.principle.title} | ${cells.join(' | ')} |`);
  }
  lines.push('', '## Requirements', '', `| ID | Level | Statement | ${vendors.map((v) => markdownText(v.label, 100)).join(' | ')} |`, `| --- | --- | --- |${' --- |'.repeat(vendors.length)}`);
  for (const row of rows) {
    lines.push(`| ${markdownText(row.id, 100)} | ${markdownText(row.level, 40)} | ${markdownText(row.statement, 200)} | ${row.cells.map((c) => `${SYMBOL[c]} ${MATRIX_LABEL[c]}`).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
