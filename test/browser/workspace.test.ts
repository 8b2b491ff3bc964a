/**
 * The evaluation workspace in a real browser (Debian's Chromium through
 * playwright-core) against the real service in embedded mode: an evaluator
 * signs in, creates an evaluation with two reference suppliers (one with a
 * planted defect), runs both and watches their progress, reads the compare
 * matrix, downloads the signed report and verifies it with `verify`. A
 * supplier account then tries to reach the other supplier's runs by guessing
 * URLs; a form post without its token is refused; the login limit holds.
 * axe-core checks every page visited at WCAG 2.2 AA.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import t from 'tap';
import { startReferenceSupplier, type RunningReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { runCli } from '../support/run-cli.js';
import { assertAccessible, CHROMIUM, launchChromium, newContext, RUN_WAIT_MS, signIn, watchRun } from '../support/workspace-browser.js';
import { startWorkspace, type RunningWorkspace } from '../support/workspace-service.js';

/** The planted defect, and the one requirement it must fail. */
const DEFECT = 'schema-violation';
const DEFECT_REQUIREMENT = 'BASE-04';

const EVALUATOR = { email: 'lead@force.example', password: 'correct horse battery staple' };
const SUPPLIER_A = { email: 'tester@vendor-a.example', password: 'vendor a sandbox passphrase' };

if (!existsSync(CHROMIUM)) {
  if (process.env.CI) t.fail(`${CHROMIUM} is missing in CI: .ci/run should have installed Debian's chromium package`);
  else t.test('workspace in Chromium', { skip: `${CHROMIUM} not found: install it (apt-get install chromium) to run the browser tests` }, async () => undefined);
} else {
  await workspaceTests();
}

async function workspaceTests(): Promise<void> {
  let workspace: RunningWorkspace;
  let supplierA: RunningReferenceSupplier;
  let supplierB: RunningReferenceSupplier;
  let browser: Browser;
  const ids = { evaluation: '', supplierA: '', supplierB: '', runA: '', runB: '' };

  t.before(async () => {
    supplierA = await startReferenceSupplier();
    supplierB = await startReferenceSupplier({ defects: [DEFECT] });
    workspace = await startWorkspace();
    await workspace.createAccount({ ...EVALUATOR, role: 'evaluator' });
    browser = await launchChromium();
  });
  t.teardown(async () => {
    await browser?.close();
    await workspace?.close();
    await supplierA?.close();
    await supplierB?.close();
  });

  t.test('an evaluator runs a whole evaluation in the browser', async (t) => {
    const { context, page, pageErrors } = await newContext(t, browser);
    const base = workspace.url;

    await page.goto(`${base}/evaluations`);
    t.match(page.url(), /\/login$/, 'a page needs a session: the browser is sent to sign in');
    await assertAccessible(t, page, 'sign-in page');
    const loginResponse = await context.request.get(`${base}/login`);
    t.match(loginResponse.headers()['content-security-policy'], /default-src 'none'; script-src 'self'/, 'pages allow only their own script and style');

    await signIn(page, base, EVALUATOR);
    t.match(page.url(), /\/evaluations$/, 'signed in, the evaluator lands on the evaluations');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'interop-session');
    t.ok(session, 'a session cookie is set');
    t.equal(session?.httpOnly, true, 'HttpOnly');
    t.equal(session?.sameSite, 'Strict', 'SameSite=Strict');
    await assertAccessible(t, page, 'evaluations page');

    await page.getByLabel('Name').fill('Records system tender <2027>');
    await page.getByLabel('baseline', { exact: true }).check();
    await page.getByRole('button', { name: 'Create evaluation' }).click();
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}$/);
    ids.evaluation = page.url().split('/').pop()!;
    t.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Records system tender <2027>', 'the name is shown as typed, as text');

    for (const [name, supplier] of [['Vendor A', supplierA], ['Vendor B', supplierB]] as const) {
      await page.getByLabel('Supplier name').fill(name);
      await page.getByLabel('Sandbox URL').fill(supplier.url);
      await page.getByLabel('Method').selectOption('client');
      await page.getByLabel('Client id').fill(supplier.clientId);
      await page.getByLabel('Client secret').fill(supplier.clientSecret);
      await page.getByRole('button', { name: 'Add supplier' }).click();
      await page.waitForURL(/done=supplier-added/);
      t.match(await page.getByRole('status').first().innerText(), /Supplier added/);
    }
    const html = await page.content();
    t.notOk(html.includes(supplierA.clientSecret) || html.includes(supplierB.clientSecret), 'no client secret is ever shown back');
    ids.supplierA = (await page.getByRole('link', { name: 'Vendor A' }).getAttribute('href'))!.split('/').pop()!;
    ids.supplierB = (await page.getByRole('link', { name: 'Vendor B' }).getAttribute('href'))!.split('/').pop()!;
    await assertAccessible(t, page, 'evaluation page');

    await page.getByRole('button', { name: 'Queue runs' }).click();
    await page.waitForURL(/done=runs-queued/);
    const runLink = (name: string) => page.locator('tr', { hasText: name }).locator('a[href^="/runs/"]').first().getAttribute('href');
    const runPathA = (await runLink('Vendor A'))!;
    const runPathB = (await runLink('Vendor B'))!;
    ids.runA = runPathA.split('/').pop()!;
    ids.runB = runPathB.split('/').pop()!;

    const watchedB = await watchRun(page, base, runPathB);
    t.equal(watchedB.outcome, 'finished', 'the defective supplier\'s run finished');
    if (watchedB.wasLive) t.ok(watchedB.received > 0, `the open page received live progress events (${watchedB.received})`);
    t.match(await page.locator('#run-status').innerText(), /Run (Finished|finished)/, 'the status message says the run ended');
    t.match(await page.locator('#verdict').innerText(), /NON-CONFORMANT/);
    await assertAccessible(t, page, 'run page (finished)');
    const links = await page.locator('#run-outcome a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const file of ['report.html', 'report.json', 'report.json.sig', 'junit.xml', 'report.md']) t.ok(links.some((l) => l.endsWith(`/files/${file}`)), `links to ${file}`);
    t.ok(links.some((l) => l.endsWith('/public-key.pub')), 'links to the public key');
    for (const link of links) t.equal((await context.request.get(`${base}${link}`)).status(), 200, `${link} downloads`);

    // The same progress, read as the stream a browser follows, from the start: the events are stored, so any process can serve them.
    const stream = await context.request.get(`${base}${runPathB}/events?after=0`, { timeout: RUN_WAIT_MS });
    const events = await stream.text();
    t.match(stream.headers()['content-type'], /^text\/event-stream/);
    t.match(events, /event: progress\ndata: .*"type":"started"/, 'the stream replays the start');
    t.match(events, /event: progress\ndata: .*Probed \d+ of \d+ operations/, 'and probing progress');
    t.match(events, /event: end\ndata: \{"status":"finished","verdict":"non-conformant"\}/, 'and ends with the outcome');

    const watchedA = await watchRun(page, base, runPathA);
    t.equal(watchedA.outcome, 'finished', 'the clean supplier\'s run finished');
    t.match(await page.locator('#verdict').innerText(), /^CONFORMANT/);

    await page.goto(`${base}/evaluations/${ids.evaluation}/compare`);
    await assertAccessible(t, page, 'compare matrix');
    const failing = await page.locator('table.matrix tbody tr').evaluateAll((rows) =>
      rows.flatMap((row) => {
        const heads = [...row.closest('table')!.querySelectorAll('thead th')].map((th) => th.textContent);
        return [...row.querySelectorAll('td[data-status]')].flatMap((cell) =>
          cell.getAttribute('data-status') === 'fail' ? [`${row.getAttribute('data-requirement')} ${heads[(cell as unknown as { cellIndex: number }).cellIndex]}`] : [],
        );
      }),
    );
    t.same(failing, [`${DEFECT_REQUIREMENT} Vendor B`], 'the defect\'s requirement failed, for the defective supplier only');
    const defectRow = page.locator(`tr[data-requirement="${DEFECT_REQUIREMENT}"]`);
    t.same(await defectRow.locator('td[data-status]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-status'))), ['pass', 'fail']);

    await defectRow.locator('td[data-status="fail"] a').click();
    await page.waitForLoadState('load');
    const anchor = new URL(page.url()).hash;
    t.match(page.url(), new RegExp(`/runs/${ids.runB}/files/report\\.html#req-\\d+$`), 'the cell links to its evidence in that run\'s report');
    t.match(await page.locator(`tr${anchor}`).innerText(), new RegExp(`^${DEFECT_REQUIREMENT}\\b[\\s\\S]*Failed`), 'the linked row is the failed requirement');
    await assertAccessible(t, page, 'the run\'s HTML report');

    const dir = t.testdir();
    const downloads: Array<[string, string]> = [
      [`/runs/${ids.runB}/files/report.json`, 'report.json'],
      [`/runs/${ids.runB}/files/report.json.sig`, 'report.json.sig'],
      [`/evaluations/${ids.evaluation}/public-key.pub`, 'evaluation.pub'],
    ];
    for (const [path, file] of downloads) {
      const response = await context.request.get(`${base}${path}`);
      t.equal(response.status(), 200, `${file} downloaded`);
      await writeFile(join(dir, file), await response.body());
    }
    const verified = await runCli(['verify', join(dir, 'report.json'), '--key', join(dir, 'evaluation.pub'), '--signature', join(dir, 'report.json.sig')]);
    t.equal(verified.code, 0, `verify accepts the downloaded report with the evaluation's public key: ${verified.stderr}`);
    t.match(verified.stdout, /non-conformant/i);

    await page.goto(`${base}/evaluations/${ids.evaluation}/audit`);
    t.match(await page.locator('main').innerText(), /run\.queued[\s\S]*supplier\.added[\s\S]*evaluation\.created/, 'the audit log records who did what, newest first');
    await assertAccessible(t, page, 'audit log');
    await page.goto(`${base}/suppliers/${ids.supplierB}`);
    t.match(await page.locator('main').innerText(), /non-conformant\s+\d+/, 'the supplier history shows the verdict and failures');
    await assertAccessible(t, page, 'supplier history');
    t.same(pageErrors, [], 'no script error on any page');
  });

  t.test('a form post without its token, or from another origin, is refused', async (t) => {
    const { context, page } = await newContext(t, browser);
    const base = workspace.url;
    await signIn(page, base, EVALUATOR);
    const form = { name: 'Smuggled evaluation', profiles: 'baseline' };
    const noToken = await context.request.post(`${base}/evaluations`, { form, maxRedirects: 0 });
    t.equal(noToken.status(), 403, 'no token: refused');
    await page.goto(`${base}/evaluations`);
    const token = (await page.locator('form[action="/evaluations"] input[name="_csrf"]').getAttribute('value'))!;
    const wrongToken = await context.request.post(`${base}/evaluations`, { form: { ...form, _csrf: `${token.slice(0, -2)}xx` }, maxRedirects: 0 });
    t.equal(wrongToken.status(), 403, 'a wrong token: refused');
    const crossOrigin = await context.request.post(`${base}/evaluations`, { form: { ...form, _csrf: token }, headers: { origin: 'http://evil.example' }, maxRedirects: 0 });
    t.equal(crossOrigin.status(), 403, 'the right token from another origin: refused');
    const logout = await context.request.post(`${base}/logout`, { form: {}, maxRedirects: 0 });
    t.equal(logout.status(), 403, 'even sign-out needs the token');
    const genuine = await context.request.post(`${base}/evaluations`, { form: { ...form, _csrf: token }, headers: { origin: base }, maxRedirects: 0 });
    t.equal(genuine.status(), 303, 'the same post with its token from this origin is accepted');
    await page.goto(`${base}/evaluations`);
    t.equal(await page.getByRole('link', { name: 'Smuggled evaluation' }).count(), 1, 'and only that one created an evaluation');
  });

  t.test('a supplier account sees its own runs and nothing of the other supplier', async (t) => {
    await workspace.createAccount({ ...SUPPLIER_A, role: 'supplier', supplier: ids.supplierA });
    const { context, page, pageErrors } = await newContext(t, browser);
    const base = workspace.url;
    await signIn(page, base, SUPPLIER_A);
    t.match(page.url(), new RegExp(`/suppliers/${ids.supplierA}$`), 'a supplier lands on its own page');
    t.notMatch(await page.content(), /Vendor B/, 'the other supplier is not named anywhere');
    await assertAccessible(t, page, 'supplier home');

    await page.goto(`${base}/runs/${ids.runA}`);
    t.match(await page.locator('#verdict').innerText(), /^CONFORMANT/, 'its own run is visible, with its verdict');
    const ownLinks = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const link of ownLinks) t.equal((await context.request.get(`${base}${link.split('#')[0]}`)).status(), 200, `${link}: every link on its run page opens`);
    await assertAccessible(t, page, 'supplier\'s own run page');
    await page.goto(`${base}/suppliers/${ids.supplierA}`);
    const unknownRun = await context.request.get(`${base}/runs/00000000-0000-4000-8000-000000000000`);
    t.equal(unknownRun.status(), 404);
    const guessed = [
      `/runs/${ids.runB}`,
      `/runs/${ids.runB}/events`,
      `/runs/${ids.runB}/files/report.json`,
      `/runs/${ids.runB}/files/report.html`,
      `/runs/${ids.runB}/files/report.json.sig`,
      `/suppliers/${ids.supplierB}`,
      `/evaluations/${ids.evaluation}`,
      `/evaluations/${ids.evaluation}/compare`,
      `/evaluations/${ids.evaluation}/audit`,
      '/evaluations',
      '/audit',
    ];
    const unknownBody = await unknownRun.text();
    for (const path of guessed) {
      const response = await context.request.get(`${base}${path}`);
      t.equal(response.status(), 404, `${path}: 404, not 403`);
      t.equal(await response.text(), unknownBody, `${path}: the same answer as for a run that does not exist`);
    }
    const selfTestOther = await page.evaluate(async ([path, token]) => {
      const response = await fetch(path!, { method: 'POST', body: new URLSearchParams({ _csrf: token! }), redirect: 'manual' });
      return response.status;
    }, [`/suppliers/${ids.supplierB}/self-test`, (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!]);
    t.equal(selfTestOther, 404, 'a self-test of the other supplier\'s sandbox, with a valid token: 404');

    await page.getByLabel('Claims document (JSON)').fill('{"claims": []}');
    await page.getByRole('button', { name: 'Upload claims' }).click();
    await page.waitForURL(/done=claims-uploaded/);
    t.match(await page.getByRole('status').first().innerText(), /Claims document uploaded/);
    await page.getByRole('button', { name: 'Run a self-test' }).click();
    await page.waitForURL(/done=self-test-queued/);
    t.match(await page.locator('main').innerText(), /self-test/, 'the self-test is listed with the supplier\'s runs');
    await assertAccessible(t, page, 'supplier home after a self-test');
    t.same(pageErrors, []);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    t.equal((await context.request.get(`${base}/runs/${ids.runA}`, { maxRedirects: 0 })).status(), 303, 'after signing out, the session is gone');
  });

  t.test('sign-in attempts are limited per account', async (t) => {
    const { context, page } = await newContext(t, browser);
    const base = workspace.url;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await page.goto(`${base}/login`).then(async () => {
        await page.getByLabel('Email').fill(EVALUATOR.email);
        await page.getByLabel('Password').fill('not the password');
        const [submitted] = await Promise.all([page.waitForResponse((r) => r.url() === `${base}/login` && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
        return submitted;
      });
      statuses.push(response.status());
    }
    t.same(statuses, [401, 401, 401, 401, 401], 'five wrong passwords are refused one by one');
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(EVALUATOR.email);
    await page.getByLabel('Password').fill(EVALUATOR.password);
    const [limited] = await Promise.all([page.waitForResponse((r) => r.url() === `${base}/login` && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
    t.equal(limited.status(), 429, 'then even the right password is refused for now');
    t.match(await page.getByRole('alert').innerText(), /Too many sign-in attempts/);
    t.notOk((await context.cookies()).some((c) => c.name === 'interop-session'), 'and no session was opened');
    await assertAccessible(t, page, 'sign-in page with an error');
  });
}
