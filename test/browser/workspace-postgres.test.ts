/**
 * The workspace against a real PostgreSQL server, with no worker in the
 * service: two `interop-harness worker` processes execute the runs. The run
 * pages must still stream each run's progress (the events come from another
 * process, through the database) and the compare matrix must show the
 * planted defect failed for its supplier only.
 */
import { existsSync } from 'node:fs';
import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { postgresForTests } from '../support/postgres.js';
import { TEST_SECRET_KEY } from '../support/service.js';
import { startCli } from '../support/worker-process.js';
import { assertAccessible, CHROMIUM, launchChromium, newContext, signIn, watchRun } from '../support/workspace-browser.js';
import { startWorkspace } from '../support/workspace-service.js';

const EVALUATOR = { email: 'panel@force.example', password: 'a long enough passphrase' };

if (!existsSync(CHROMIUM)) {
  t.test('workspace on PostgreSQL in Chromium', { skip: `${CHROMIUM} not found` }, async () => undefined);
} else {
  t.test('two worker processes run an evaluation that the pages follow live', async (t) => {
    const database = await postgresForTests(t);
    if ('skip' in database) return t.pass(`not run: ${database.skip}`);
    const env = { DATABASE_URL: database.url, INTEROP_SECRET_KEY: TEST_SECRET_KEY };

    const good = await startReferenceSupplier();
    const bad = await startReferenceSupplier({ defects: ['schema-violation'] });
    t.teardown(() => good.close());
    t.teardown(() => bad.close());
    const workspace = await startWorkspace({ env });
    t.teardown(() => workspace.close());
    t.equal(workspace.service.worker, undefined, 'the service itself executes no run');
    const workers = await Promise.all(
      [1, 2].map(async () => {
        const worker = startCli(t, ['worker', '--concurrency', '1'], env);
        return { id: /^worker (\S+) ready$/.exec(await worker.line(/^worker \S+ ready$/))![1]! };
      }),
    );
    await workspace.createAccount({ ...EVALUATOR, role: 'evaluator' });

    const browser = await launchChromium();
    t.teardown(() => browser.close());
    const { page, pageErrors } = await newContext(t, browser);
    const base = workspace.url;
    await signIn(page, base, EVALUATOR);
    await page.getByLabel('Name').fill('Two workers');
    await page.getByLabel('baseline', { exact: true }).check();
    await page.getByRole('button', { name: 'Create evaluation' }).click();
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}$/);
    const evaluationPath = new URL(page.url()).pathname;
    for (const [name, supplier] of [['Vendor A', good], ['Vendor B', bad]] as const) {
      await page.getByLabel('Supplier name').fill(name);
      await page.getByLabel('Sandbox URL').fill(supplier.url);
      await page.getByLabel('Method').selectOption('client');
      await page.getByLabel('Client id').fill(supplier.clientId);
      await page.getByLabel('Client secret').fill(supplier.clientSecret);
      await page.getByRole('button', { name: 'Add supplier' }).click();
      await page.waitForURL(/done=supplier-added/);
    }
    await page.getByRole('button', { name: 'Queue runs' }).click();
    await page.waitForURL(/done=runs-queued/);
    const runPaths = await page.locator('table a[href^="/runs/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    t.equal(runPaths.length, 2, 'one run per supplier');

    for (const runPath of runPaths) {
      const watched = await watchRun(page, base, runPath);
      t.equal(watched.outcome, 'finished', `${runPath} finished`);
      if (watched.wasLive) t.ok(watched.received > 0, `${runPath}: live events from the worker process reached the page (${watched.received})`);
      t.match(await page.locator('.progress-log').innerText(), /Probed \d+ of \d+ operations/, 'the progress written by another process is on the page');
    }
    await assertAccessible(t, page, 'run page on PostgreSQL');

    const { rows } = await workspace.service.context.db.query<{ worker: string }>('SELECT worker FROM runs');
    const ids = new Set(workers.map((w) => w.id));
    t.ok(rows.length === 2 && rows.every((row) => ids.has(row.worker)), 'each run was executed by one of the two worker processes');

    await page.goto(`${base}${evaluationPath}/compare`);
    const failing = await page.locator('table.matrix td[data-status="fail"]').evaluateAll((cells) =>
      cells.map((cell) => {
        const row = cell.closest('tr')!;
        const heads = [...row.closest('table')!.querySelectorAll('thead th')].map((th) => th.textContent);
        return `${row.getAttribute('data-requirement')} ${heads[(cell as unknown as { cellIndex: number }).cellIndex]}`;
      }),
    );
    t.same(failing, ['BASE-04 Vendor B'], 'the defect\'s requirement failed, for the defective supplier only');
    t.same(pageErrors, []);
  });
}
