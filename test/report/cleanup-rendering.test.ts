import { PassThrough } from 'node:stream';
import t from 'tap';
import { renderHtmlReport } from '../../harness/report/html-reporter.js';
import { renderMarkdownReport } from '../../harness/report/markdown-reporter.js';
import { renderSummary } from '../../harness/report/terminal-reporter.js';
import { buildSampleReport } from './sample-report.js';

/**
 * A run with --allow-writes says in every human format what it created and
 * removed, and names each record it left behind with its URL, so the
 * target's owner can delete it. A read-only run says nothing about it.
 */

const LEFT = 'https://api.example.police.uk/v1/persons/P-902';

t.test('records left behind are named in the terminal, Markdown and HTML', async (t) => {
  const report = buildSampleReport();
  const terminal = renderSummary(report, { outDir: '/unused', stdout: new PassThrough(), color: false });
  t.match(terminal, /cleanup: {2}2 records created by this run, 1 deleted, 1 left behind/);
  t.match(terminal, `left behind: ${LEFT} (clean-up DELETE answered 500)`);

  const md = renderMarkdownReport(report);
  t.match(md, '| Cleanup | 2 records created by this run, 1 deleted, 1 left behind |');
  t.match(md, '## Records this run created and could not delete');
  t.match(md, `| ${LEFT} | clean-up DELETE answered 500 |`);

  const html = renderHtmlReport(report);
  t.match(html, '2 records created by this run, 1 deleted, 1 left behind.');
  t.match(html, `<li><code>${LEFT}</code>: clean-up DELETE answered 500</li>`);
});

t.test('everything removed: one line, no list', async (t) => {
  const report = { ...buildSampleReport(), cleanup: { created: 1, deleted: ['http://127.0.0.1:4010/v1/persons/P-901'], leftBehind: [] } };
  const terminal = renderSummary(report, { outDir: '/unused', stdout: new PassThrough(), color: false });
  t.match(terminal, /cleanup: {2}1 record created by this run, 1 deleted, none left behind/);
  t.notMatch(terminal, /left behind:/);
  t.notMatch(renderMarkdownReport(report), /could not delete/);
});

t.test('a read-only run says nothing about clean-up', async (t) => {
  const { cleanup: _omitted, ...report } = buildSampleReport();
  t.notMatch(renderSummary(report, { outDir: '/unused', stdout: new PassThrough(), color: false }), /cleanup:/);
  t.notMatch(renderMarkdownReport(report), /Cleanup/);
  t.notMatch(renderHtmlReport(report), /Records this run created/);
});

t.test('named writes are listed in the terminal, Markdown and HTML, and the HTML claims no more than the lifecycles do', async (t) => {
  const report = buildSampleReport();
  const hostile = 'https://api.example.police.uk/v1/todos?x=<img src=x>|[a](b)';
  report.cleanup = { created: 0, deleted: [], leftBehind: [], namedWrites: [{ method: 'PATCH', url: hostile, status: 200 }, { method: 'POST', url: 'https://api.example.police.uk/v1/reindex', status: null }] };
  const line = '0 records created by this run, 0 deleted, none left behind; 2 named writes sent outside its lifecycles, which may have changed data it did not create';
  const terminal = renderSummary(report, { outDir: '/unused', stdout: new PassThrough(), color: false });
  t.match(terminal, `cleanup:  ${line}`);
  t.match(terminal, `named write: PATCH ${hostile} -> 200 (may have changed data the run did not create)`);
  t.match(terminal, 'named write: POST https://api.example.police.uk/v1/reindex -> no answer');

  const md = renderMarkdownReport(report);
  t.match(md, `| Cleanup | ${line} |`);
  t.match(md, '## Named writes');
  t.match(md, '| PATCH https://api.example.police.uk/v1/todos?x=&lt;img src=x&gt;\\|\\[a\\](b) | 200 |');
  t.match(md, '| POST https://api.example.police.uk/v1/reindex | no answer |');

  const html = renderHtmlReport(report);
  t.match(html, `${line}. Its lifecycles write only to records the run created itself`);
  t.notMatch(html, 'The run writes only to records it created itself');
  t.match(html, '<li><code>PATCH https://api.example.police.uk/v1/todos?x=&lt;img src=x&gt;|[a](b)</code>: answered 200</li>');
  t.notMatch(html, '<img src=x>');
});
