/**
 * The HTML report in a real browser: Debian's Chromium driven by
 * playwright-core. Opens the report of a real run and of a run against a
 * hostile supplier, and checks what a reader (and an attacker) would see:
 * the verdict and failures visible, nothing executed, nothing fetched.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { renderHtmlReport } from '../../harness/report/html-reporter.js';
import { packageRoot } from '../../harness/package-root.js';
import { HOSTILE, hostileReport } from '../report/hostile-report.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots and the PDF stay here after the run (git-ignored), for a person to look at. */
const ARTIFACTS = join(packageRoot(), '.tap', 'browser');

if (!existsSync(CHROMIUM)) {
  if (process.env.CI) {
    t.fail(`${CHROMIUM} is missing in CI: .ci/run should have installed Debian's chromium package`);
  } else {
    const reason = `${CHROMIUM} not found: install it (apt-get install chromium) to run the browser tests`;
    t.test('HTML report in Chromium', { skip: reason }, async () => undefined);
  }
} else {
  await browserTests();
}

interface Observed {
  requests: string[];
  blocked: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

async function openReport(t: Test, file: string): Promise<{ page: Page; seen: Observed; context: BrowserContext }> {
  // A new, empty profile each time: no extensions, history or cached state from earlier runs.
  const userDataDir = await mkdtemp(join(tmpdir(), 'interop-chromium-'));
  t.teardown(() => rm(userDataDir, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 },
  });
  t.teardown(() => context.close());
  const url = pathToFileURL(file).href;
  const seen: Observed = { requests: [], blocked: [], consoleErrors: [], pageErrors: [], dialogs: [] };
  // Only the report itself may load; anything else (a font, an image, a beacon) is refused and counted.
  await context.route('**', (route) => {
    const requested = route.request().url();
    if (requested === url) return route.continue();
    seen.blocked.push(requested);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, seen, context };
}

function assertQuiet(t: Test, seen: Observed, file: string): void {
  t.same(seen.requests, [pathToFileURL(file).href], 'the only request is the report file itself');
  t.same(seen.blocked, [], 'nothing tried to leave the page');
  t.same(seen.consoleErrors, [], 'no console error (a CSP violation would be one)');
  t.same(seen.pageErrors, [], 'no script error');
  t.same(seen.dialogs, [], 'no dialog opened');
}

async function browserTests(): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });

  t.test('a real non-conformant run: verdict and failures visible, readable, printable', async (t) => {
    const supplier = await startReferenceSupplier({ defects: ['schema-violation', 'server-error'] });
    t.teardown(() => supplier.close());
    const out = t.testdir();
    const run = await runCli(['run', '--profile', 'baseline', '--target', supplier.url, '--client-id', supplier.clientId, '--out', out, '-q'], {
      env: { INTEROP_CLIENT_SECRET: supplier.clientSecret },
    });
    t.equal(run.code, 1);
    const file = join(out, 'report.html');
    t.match(run.stdout, /report written: .*report\.html/, 'the default formats include HTML');

    const { page, seen } = await openReport(t, file);
    const verdict = page.locator('#verdict');
    t.ok(await verdict.isVisible(), 'verdict visible');
    t.match(await verdict.innerText(), /NON-CONFORMANT\s*2 MUST-level results failed/);
    t.match(await page.title(), /^Interoperability First report: NON-CONFORMANT, baseline@0\.1\.0/);

    const failedRows = page.locator('table.requirements tr.status-fail');
    // One defect, one failure: the 500 fails BASE-01 (server-error) alone, not BASE-02 (status-code) too.
    t.equal(await failedRows.count(), 2, 'BASE-01 and BASE-04 failed');
    t.match(await failedRows.allInnerTexts(), [/^BASE-01\b/, /^BASE-04\b/]);
    for (const row of await failedRows.all()) t.ok(await row.isVisible(), 'failed requirement row visible');
    t.match(await failedRows.first().innerText(), /Failed/, 'status is a word, not only a colour');

    const findings = page.locator('article.finding');
    t.equal(await findings.count(), 2);
    t.ok(await findings.first().locator('.message').isVisible(), 'the failure message is visible');
    const transcript = findings.first().locator('details.transcript');
    t.notOk(await transcript.locator('pre').first().isVisible(), 'transcript collapsed at first');
    await transcript.locator('summary').click();
    t.ok(await transcript.locator('pre').first().isVisible(), 'opens without script');
    t.ok(await findings.first().locator('pre.curl').isVisible(), 'curl line visible to copy');
    t.match(await findings.first().locator('pre.replay').innerText(), /^interop-harness replay report\.json --result \S+\/1$/, 'the replay command beside it');

    const headings = await page.locator('h2').allInnerTexts();
    // Failures come straight after the verdict, then the claims ledger (the run read the supplier's
    // published claims), "At a glance", coverage, and the principles.
    t.match(headings[0], /^Failures and errors \(2\)$/);
    t.match(headings[1], /What was claimed/);
    t.same(headings.slice(2, 9), ['At a glance', 'Coverage', 'Interoperability First', 'Data sharing and export', 'Maximum Transparency by Default', 'Security', 'Sustainability']);
    await page.screenshot({ path: join(ARTIFACTS, 'html-report.png'), fullPage: true });
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-top.png') });
    const pdf = await page.pdf({ path: join(ARTIFACTS, 'html-report.pdf'), format: 'A4' });
    t.ok(pdf.length > 10_000, 'prints to PDF');
    assertQuiet(t, seen, file);
  });

  t.test('a hostile supplier: nothing it sends executes, restyles the page or loads anything', async (t) => {
    const app = Fastify({ logger: false });
    app.get('/items', (_request, reply) => {
      reply
        .header('x-evil', `<script>window.__pwned='header'</script><img src=x onerror="window.__pwned='header-img'">`)
        .type('application/json')
        .send({ data: `</style><style>body{display:none}</style>${HOSTILE}`, link: "javascript:window.__pwned='link'", big: 'B'.repeat(1024 * 1024) });
    });
    const target = await listen(t, app);
    const out = t.testdir();
    const profile = join(packageRoot(), 'test', 'documents', 'small', 'openapi.yaml');
    const run = await runCli(['run', '--profile', profile, '--target', target, '--out', out, '--format', 'json,html', '-q', '--evidence-bytes', '2mb']);
    t.equal(run.code, 1, 'the hostile body fails the schema');
    const file = join(out, 'report.html');
    t.ok((await readFile(file)).length < 2 * 1024 * 1024, 'a 1 MB body does not make a page of megabytes');

    const { page, seen } = await openReport(t, file);
    t.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: string }).__pwned), undefined, 'no injected code ran');
    t.ok(await page.locator('#verdict').isVisible(), 'the page was not hidden by an injected stylesheet');
    t.equal(await page.locator('script, img, svg, iframe, object, embed').count(), 0, 'no injected element exists');
    t.equal(await page.locator('style').count(), 1, 'only our stylesheet');
    const findings = page.locator('article.finding');
    await findings.first().locator('details.transcript summary').click();
    t.match(await findings.first().innerText(), /<script>window\.__pwned='script'<\/script>/, 'the markup is shown as text');
    t.match(await page.locator('main').innerText(), /⟨U\+202E⟩LIAF/, 'the RTL override is shown as a marker');
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-hostile.png') });
    assertQuiet(t, seen, file);
  });

  t.test('a report with hostile 1 MB strings in every field renders inert', async (t) => {
    const file = join(t.testdir(), 'report.html');
    const huge = `${HOSTILE}${'A'.repeat(1024 * 1024)}`;
    await writeFile(file, renderHtmlReport(hostileReport(() => huge)));
    const { page, seen } = await openReport(t, file);
    t.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: string }).__pwned), undefined, 'no injected code ran');
    t.ok(await page.locator('#verdict').isVisible());
    t.equal(await page.locator('script, img, svg').count(), 0);
    assertQuiet(t, seen, file);
  });
}
