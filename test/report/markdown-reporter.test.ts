import t from 'tap';
import { renderMarkdownReport } from '../../harness/report/markdown-reporter.js';
import { markdownCodeBlock, markdownText } from '../../harness/report/markdown-text.js';
import { HOSTILE, hostileReport } from './hostile-report.js';
import { buildSampleReport } from './sample-report.js';

t.test('the summary: verdict first, counts by principle, requirement table, top failures with curl', async (t) => {
  const md = renderMarkdownReport(buildSampleReport());
  t.equal(md.split('\n')[0], '# ❌ NON-CONFORMANT: pnc-persons@1.2.0');
  t.match(md, /\*\*2 MUST-level results failed\.\*\*/);
  t.match(md, /\| Interoperability First \| 4 \| 1 \| 1 \| 2 \| 0 \|/, 'interop: 4 requirement rows (operations not probed are under coverage, not a row), 1 verified, 1 failed, 2 without evidence');
  t.match(md, /\| Sustainability \| 1 \| 0 \| 1 \| 0 \| 0 \|/);
  t.match(md, /\| PNC-API-004 \| MUST \| ✅ Passed \|/);
  t.match(md, /## Failures and errors \(5\)/);
  t.match(md, /```\ncurl -H 'accept: application\/json'/, 'curl in a code block');
  const failed = buildSampleReport().results.find((r) => r.status === 'fail')!;
  t.ok(md.includes(`\`\`\`\ninterop-harness replay report.json --result ${failed.id}\n\`\`\``), 'the replay command in a code block beside the curl line');
});

t.test('hostile text cannot form markup, links, images or break a table row', async (t) => {
  const full = renderMarkdownReport(hostileReport((s) => `${s}${HOSTILE}`));
  // Fenced code blocks are shown literally by every renderer; everything else must be inert.
  const blocks = full.match(/^(`{3,})\n[\s\S]*?\n\1$/gm) ?? [];
  t.ok(blocks.length > 0, 'curl lines are in code blocks');
  const md = blocks.reduce((text, block) => text.replace(block, ''), full);
  t.notMatch(md, /<script|<img|<svg|<a |<style/i, 'no raw HTML tag from the supplier outside code blocks');
  t.notMatch(md, /(?<!\\)\[x\]\(javascript:/, 'no Markdown link can form');
  t.notMatch(md, /(?<!\\)!\[i\]/, 'no Markdown image can form');
  t.notOk(/[\u202e\u001b]/.test(md), 'bidi override and escape are shown as markers');
  for (const line of md.split('\n').filter((l) => l.startsWith('| PNC-API-001'))) {
    t.equal(line.split(/(?<!\\)\|/).length, 7, 'a supplier pipe does not add a table column');
  }
});

t.test('markdownText and markdownCodeBlock', async (t) => {
  t.equal(markdownText('a|b\nc *d* <e>'), 'a\\|b c \\*d\\* &lt;e&gt;');
  // An entity the HTML escaping writes stays one (`&\#38;` would render as six characters), and quotes, harmless outside a tag, are not entities.
  t.equal(markdownText(`the document's #1 & --paths 'PATCH /todos' where.id="abc"`), `the document's \\#1 &amp; --paths 'PATCH /todos' where.id="abc"`);
  t.equal(markdownCodeBlock('x ```` y'), '`````\nx ```` y\n`````', 'the fence is longer than any backtick run inside');
  t.match(markdownText('z'.repeat(1000), 10), /^z{10} … \(990 more bytes in report\.json\)$/);
});

t.test('the claims ledger is summarised, refuted requirements named', async (t) => {
  t.match(renderMarkdownReport(buildSampleReport()), /\| Claims \| 1 verified, 1 refuted \(PNC-API-004\), 0 unverified, 1 not claimed \(published by the supplier\) \|/);
});

t.test('warnings are listed, one line each, and the rows count them with every other status', async (t) => {
  const report = buildSampleReport();
  const md = renderMarkdownReport(report);
  const warned = report.results.map((r, index) => ({ r, index })).filter(({ r }) => r.status === 'warn');
  t.equal(warned.length, 2);
  t.match(md, /## Warnings \(2\)\n\n\| Check \| Operation \| Message \| In report\.json \|/);
  for (const { r, index } of warned) t.ok(md.includes(`| ${markdownText(r.check, 100)} | ${markdownText(`${r.method} ${r.path}`, 300)} | ${markdownText(r.message, 500)} | results[${index}] |`), r.message);
  // Each row: operations, then its results by status, warnings included; no status that is zero.
  const rows = md.split('\n').filter((line) => /^\| [A-Z]+-[A-Z]+-\d+ \|/.test(line));
  t.ok(rows.length > 0);
  const count = '(1 (passed|warning|failed|error|skipped)|([02-9]|\\d\\d+) (passed|warnings|failed|errors|skipped))';
  for (const row of rows) t.match(row, new RegExp(`\\| \\d+ \\((1 result|\\d+ results)(: ${count}(, ${count})*)?\\) \\|$`));
  t.ok(rows.some((row) => / warnings?[,)]/.test(row)), 'a warned requirement counts its warnings');
});

t.test('schema errors: the first of each kind, with how many are like it; a different one after them is shown', async (t) => {
  // Directus: twelve null `version`s (a oneOf error and its type error each), then a date-time without its offset.
  const report = buildSampleReport();
  const failed = report.results.find((r) => r.status === 'fail')!;
  failed.schemaErrors = [
    ...Array.from({ length: 12 }, (_, i) => [
      { pointer: `/data/${i}/version`, keyword: 'oneOf', schemaPath: '#/oneOf', message: 'must match exactly one schema in oneOf' },
      { pointer: `/data/${i}/version`, keyword: 'type', schemaPath: '#/oneOf/0/type', message: 'must be string' },
    ]).flat(),
    { pointer: '/data/3/last_access', keyword: 'format', schemaPath: '#/format', message: 'must match format "date-time"' },
  ];
  const md = renderMarkdownReport(report);
  t.match(md, '- Schema errors: 25\n  - /data/0/version must match exactly one schema in oneOf (and 11 more like it)\n  - /data/0/version must be string (and 11 more like it)\n  - /data/3/last\\_access must match format "date-time"\n', 'underscores escaped as Markdown needs');
});

t.test("schema errors: the list's note of errors not shown is said after the count, not counted as a kind", async (t) => {
  const report = buildSampleReport();
  const failed = report.results.find((r) => r.status === 'fail')!;
  failed.schemaErrors = [
    { pointer: '/a', keyword: 'type', schemaPath: '#/properties/a/type', message: 'must be string' },
    { pointer: '', keyword: 'truncated', schemaPath: '', message: '60 more schema errors not shown' },
  ];
  t.match(renderMarkdownReport(report), '- Schema errors: 1 shown (60 more schema errors not shown)\n  - /a must be string\n- In report.json');
});
