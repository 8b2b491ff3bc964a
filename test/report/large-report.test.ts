import { PassThrough } from 'node:stream';
import t from 'tap';
import { renderHtmlReport } from '../../harness/report/html-reporter.js';
import { renderJunitXml } from '../../harness/report/junit-reporter.js';
import { renderMarkdownReport } from '../../harness/report/markdown-reporter.js';
import { requirementRows } from '../../harness/report/requirement-status.js';
import { renderSummary } from '../../harness/report/terminal-reporter.js';
import { largeReport } from './large-report.js';

/**
 * A 22,000-operation run (110,000 results, 2,200 requirements, one of them
 * holding 22,000 results) renders in every format. A quadratic step (a find
 * or an array copy per result) would take minutes here; the test asserts the
 * output is complete, never how long it took.
 */
t.test('every reporter renders a 22,000-operation report completely', async (t) => {
  const report = largeReport({ operations: 22_000, requirements: 2_200 });
  t.equal(report.results.length, 110_000);
  const rows = requirementRows(report);
  t.equal(rows.find((r) => r.id === 'REQ-0')!.resultIndexes.length, 22_050, 'REQ-0 holds one result of every operation and 50 more');
  const junit = renderJunitXml(report);
  t.equal(junit.match(/<testcase /g)?.length, 110_000, 'junit: one testcase per result');
  const html = renderHtmlReport(report);
  t.equal(html.match(/<tr id="req-\d+"/g)?.length, rows.length, 'html: one row per requirement');
  t.match(renderMarkdownReport(report), /\| REQ-0 \|/);
  t.match(renderSummary(report, { outDir: '/tmp/out', stdout: new PassThrough(), color: false }), /NON-CONFORMANT|non-conformant/i);
});
