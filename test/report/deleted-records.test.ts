import t from 'tap';
import { deletedRecordAt } from '../../harness/report/deleted-records.js';
import { renderHtmlReport } from '../../harness/report/html-reporter.js';
import { renderJunitXml } from '../../harness/report/junit-reporter.js';
import { renderMarkdownReport } from '../../harness/report/markdown-reporter.js';
import { replayCommandLine } from '../../harness/report/result-ids.js';
import { withResultIds } from '../../harness/report/result-ids.js';
import { buildSampleReport } from './sample-report.js';

/**
 * A failure on a record the run created and then deleted (found on Platformatic
 * DB, whose SQLite gives the freed id 4 to the next book): its curl line, pasted,
 * would overwrite someone else's record. The report shows what was sent, and
 * says not to send it again, instead of offering it as a recipe.
 */

t.test('a URL is under a deleted record by its path, whatever its query', async (t) => {
  const report = { cleanup: { created: 1, deleted: ['https://x.example/books/4?apikey=[redacted]'], leftBehind: [] } };
  t.equal(deletedRecordAt(report, 'https://x.example/books/4'), 'https://x.example/books/4?apikey=[redacted]');
  t.equal(deletedRecordAt(report, 'https://x.example/books/4/author?expand=1'), 'https://x.example/books/4?apikey=[redacted]');
  t.equal(deletedRecordAt(report, 'https://x.example/books/40'), undefined);
  t.equal(deletedRecordAt(report, 'https://x.example/books'), undefined);
  t.equal(deletedRecordAt({}, 'https://x.example/books/4'), undefined, 'a read-only run deleted nothing');
});

t.test('Markdown, HTML and JUnit: no curl recipe or replay command for a request to a deleted record; the others keep theirs', async (t) => {
  const report = buildSampleReport();
  report.results = withResultIds(report.results);
  const failures = report.results.filter((r) => r.status === 'fail' && r.evidence);
  t.ok(failures.length >= 2, 'the sample has two failures with evidence');
  // The deleted record: a failure on one record (/persons/P-000123); a search of the collection (/persons?surname=) is not under it.
  const path = (url: string) => new URL(url).pathname;
  const gone = [...failures].sort((a, b) => path(b.evidence!.request.url).length - path(a.evidence!.request.url).length)[0]!;
  const kept = failures.find((r) => !path(r.evidence!.request.url).startsWith(path(gone.evidence!.request.url)))!;
  t.ok(kept, 'another failure is not under it');
  report.cleanup = { created: 1, deleted: [gone.evidence!.request.url], leftBehind: [] };

  const md = renderMarkdownReport(report);
  t.match(md, `Do not send this request again: it went to a record the run created and then deleted`);
  t.notOk(md.includes(replayCommandLine(gone.id!)), 'no replay command for it');
  t.notOk(md.includes(gone.evidence!.curl), 'no curl recipe for it');
  t.ok(md.includes(replayCommandLine(kept.id!)), 'the other failure keeps its replay command');
  t.ok(md.includes(kept.evidence!.curl), 'and its curl line');

  const junit = renderJunitXml({ ...report, results: [gone, kept] });
  t.match(junit, /Do not send this request again: it went to a record the run created and then deleted/);
  t.equal(junit.split('reproduce: curl').length - 1, 1, 'only the other failure is offered as a recipe');
  t.match(junit, /sent as: curl/);

  const html = renderHtmlReport(report);
  t.match(html, /<strong>Do not send this request again: it went to a record the run created and then deleted \(/);
  t.match(html, /It was sent as \(secrets redacted\):/);
  t.notOk(html.includes(replayCommandLine(gone.id!).replace(/'/g, '&#39;')), 'no replay command for it');
  t.ok(html.includes('Repeat this request (secrets redacted):'), 'the other failure is still offered');
});
