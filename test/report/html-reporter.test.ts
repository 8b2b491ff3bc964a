import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { createHtmlReporter, renderHtmlReport } from '../../harness/report/html-reporter.js';
import { HTML_CSP } from '../../harness/report/html-page.js';
import { htmlText } from '../../harness/report/html-text.js';
import { HOSTILE, hostileReport } from './hostile-report.js';
import { buildGenericReport, buildSampleReport } from './sample-report.js';

/** Every element the page itself uses. Anything else in the output came from a supplier and was not escaped. */
const OUR_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'p', 'h1', 'h2', 'h3', 'h4', 'span', 'strong', 'div', 'dl', 'dt', 'dd',
  'code', 'time', 'nav', 'ol', 'ul', 'li', 'a', 'main', 'section', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'em',
  'article', 'details', 'summary', 'pre', 'footer',
]);

/** Structural checks that hold for any page we write, whatever the report held. */
function assertNoInjectedMarkup(t: Test, html: string): void {
  const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
  t.same([...new Set(tags.filter((tag) => !OUR_TAGS.has(tag)))], [], 'no element other than our own');
  t.notMatch(html, /<[^>]*\son[a-z]+\s*=/i, 'no event-handler attribute inside any tag');
  t.notMatch(html, /<[^>]*javascript:/i, 'no javascript: URL inside any tag');
  t.equal(html.match(/<\/style>/gi)?.length, 1, 'exactly one </style>: ours');
  t.equal(html.match(/<style>/gi)?.length, 1, 'exactly one <style>: ours');
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
  t.ok(hrefs.every((href) => /^#[A-Za-z0-9-]+$/.test(href)), 'every link is an in-page anchor the harness made');
  t.notOk(/[\u202a-\u202e\u2066-\u2069\u001b]/.test(html), 'no bidi control or escape character survives');
}

t.test('a real-looking report: verdict, facts, principle sections, requirement table, failures with transcripts', async (t) => {
  const html = renderHtmlReport({ ...buildSampleReport(), invocation: { argv: ['run', '--profile', 'pnc.yaml', '-H', 'X-Api-Key: [redacted]'] } });
  t.match(html, /^<!DOCTYPE html>\n<html lang="en-GB">/);
  t.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;`), 'CSP meta forbids scripts and connections');
  t.ok(HTML_CSP.startsWith("default-src 'none'") && !HTML_CSP.includes('script-src'), 'no script source is allowed');
  t.notMatch(html, /<script/i, 'the page uses no script');
  t.notMatch(html, /<link|@import|url\(|src=/i, 'nothing is fetched: no stylesheet link, import, url() or src');
  t.match(html, /id="verdict"[^>]*>.*NON-CONFORMANT.*2 MUST-level results failed/s);
  for (const heading of ['Interoperability First', 'Data sharing and export', 'Maximum Transparency by Default', 'Security', 'Sustainability', 'Requirements', 'Failures and errors (5)']) {
    t.match(html, new RegExp(`<h2 id="[^"]+">${heading.replace(/[()]/g, '\\$&')}</h2>`), `section ${heading}`);
  }
  t.match(html, /Command line<\/dt><dd><code>interop-harness run --profile pnc.yaml -H &#39;X-Api-Key: \[redacted\]&#39;<\/code>/);
  // PNC-API-001 passed once, failed once and errored once: the error outranks the failure (STATUS_RANK).
  t.match(html, /<tr id="req-0" class="status-error"><th scope="row">PNC-API-001<\/th><td class="level">MUST<\/td>/, 'PNC-API-001 rolls up to no evidence');
  t.match(html, /<tr id="req-1" class="status-fail"><th scope="row">PNC-API-002/, 'PNC-API-002 failed');
  t.match(html, /<tr id="req-3" class="status-pass"><th scope="row">PNC-API-004/, 'PNC-API-004 passed');
  // PNC-API-005 has an error and a skip: the error (no evidence) is its status, never "passed".
  t.match(html, /<tr id="req-4" class="status-error">/);
  t.equal(html.match(/<article class="finding/g)?.length, 5, 'one article per failure or error');
  t.equal(html.match(/<details class="transcript">/g)?.length, 5, 'each transcript collapsible without script');
  t.match(html, /<pre class="curl">curl -H &#39;accept: application\/json&#39; -H &#39;authorization: Bearer \[redacted\]&#39;/, 'copy-as-curl line, redacted');
  for (const result of buildSampleReport().results.filter((r) => r.status === 'fail' || r.status === 'error')) {
    t.ok(html.includes(`<pre class="replay">interop-harness replay report.json --result ${result.id}</pre>`), `the replay command beside the curl line of ${result.id}`);
  }
  t.match(html, /Sustainability<\/h2>.*PNC-API-003/s, 'the cache-headers requirement is under Sustainability');
  t.match(html, /Security<\/h2>.*Transport and headers.*security-headers/s, 'the generic security-headers check is under Security');
  t.match(html, /@media print/, 'print stylesheet');
  t.match(html, /#principles, #requirements, #failures, #about \{ break-before: page; \}/, 'page breaks by section');
});

t.test('every status is shown as a word and a symbol, not by colour alone', async (t) => {
  const html = renderHtmlReport(buildSampleReport());
  for (const [status, word] of [['fail', 'Failed'], ['pass', 'Passed'], ['error', 'No evidence \\(error\\)'], ['skip', 'Skipped'], ['warn', 'Passed with warnings']] as const) {
    t.match(html, new RegExp(`<span class="badge badge-${status}"><span aria-hidden="true">[^<]+</span> ${word}</span>`), `${status} has a word`);
  }
  t.match(html, /<th scope="col">/, 'tables have column headers');
});

t.test('generic mode: rows are checks, and the verdict is conformant', async (t) => {
  const html = renderHtmlReport(buildGenericReport());
  t.match(html, /CONFORMANT/);
  t.match(html, /Checks \(generic mode: every result counts as MUST\)/);
  t.match(html, /<tr id="req-\d+" class="status-fail"><th scope="row">security-headers/);
});

t.test('hostile text in every field is shown, not run', async (t) => {
  const html = renderHtmlReport(hostileReport((s) => `${s}${HOSTILE}`));
  assertNoInjectedMarkup(t, html);
  t.ok(html.includes('&lt;script&gt;window.__pwned=&#39;script&#39;&lt;/script&gt;'), 'the script tag is visible as text');
  t.ok(html.includes('&lt;/style&gt;&lt;style&gt;body{display:none}'), 'the </style> breakout is visible as text');
  t.ok(html.includes('⟨U+202E⟩LIAF⟨U+001B⟩[2J'), 'the RTL override and the escape are shown as markers');
});

t.test('a 1 MB string in every field gives a bounded page that says what it left out', async (t) => {
  const huge = `${HOSTILE}${'A'.repeat(1024 * 1024)}`;
  const html = renderHtmlReport(hostileReport(() => huge));
  assertNoInjectedMarkup(t, html);
  t.ok(html.length < 4 * 1024 * 1024, `page is ${Math.round(html.length / 1024)} KB, not hundreds of MB`);
  t.match(html, /… \(1 MB more in report\.json\)/, 'each cut says how much is in report.json');
});

t.test('htmlText escapes, reveals and caps', async (t) => {
  t.equal(htmlText(`<b a="1">&'`), '&lt;b a=&quot;1&quot;&gt;&amp;&#39;');
  t.equal(htmlText('a\u202eb\u2066c\u200fd\u0000'), 'a⟨U+202E⟩b⟨U+2066⟩c⟨U+200F⟩d⟨U+0000⟩');
  t.equal(htmlText('x\ud800'), 'x\ufffd', 'a lone surrogate becomes U+FFFD');
  t.equal(htmlText('😀😀', 3), '😀<span class="omitted"> … (4 bytes more in report.json)</span>', 'never cuts a surrogate pair in half');
});

t.test('the reporter writes report.html', async (t) => {
  const outDir = t.testdir();
  const files = await createHtmlReporter().finish?.(buildSampleReport(), { outDir, stdout: process.stdout, color: false });
  t.same(files, [join(outDir, 'report.html')]);
  t.match(await readFile(join(outDir, 'report.html'), 'utf8'), /NON-CONFORMANT/);
});

t.test('the claims ledger leads the page: each claim verified, refuted, unverified or not claimed, in words', async (t) => {
  const html = renderHtmlReport(buildSampleReport());
  const claims = html.slice(html.indexOf('<section id="claims"'), html.indexOf('</section>', html.indexOf('<section id="claims"')));
  t.ok(html.indexOf('<section id="claims"') < html.indexOf('<section id="summary"'), 'before "At a glance"');
  t.match(claims, /published by the supplier for Vendor A \(fictional\)/);
  t.match(claims, /<strong>1<\/strong> verified, <strong>1<\/strong> refuted/);
  t.match(claims, /PNC-API-004<\/a><\/th><td>MUST<\/td><td>Yes<\/td><td><span class="badge badge-fail"><span aria-hidden="true">[^<]+<\/span> Refuted<\/span>/);
  t.match(claims, /PNC-API-009.*Not claimed/s);
  t.notMatch(renderHtmlReport(buildGenericReport()), /id="claims"/, 'no ledger in generic mode');
});

t.test('each requirement row names the public source it traces to', async (t) => {
  t.match(renderHtmlReport(buildSampleReport()), /Responses MUST match the schema the profile declares\.<br><span class="muted">Source: OpenAPI Specification 3\.1\.0, 4\.8\.17<\/span>/);
});
