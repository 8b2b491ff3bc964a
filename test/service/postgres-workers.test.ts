import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { openService } from '../../harness/service/open-service.js';
import { bounded } from '../support/bounded-teardown.js';
import { postgresForTests } from '../support/postgres.js';
import { referenceToken } from '../support/reference-token.js';
import { apiClient, startTestService, TEST_SECRET_KEY, waitForRun } from '../support/service.js';
import { evaluationFlow, supplierIsolation } from '../support/service-scenarios.js';
import { startCli } from '../support/worker-process.js';

/**
 * The service against a real PostgreSQL with its runs executed by two
 * separate `interop-harness worker` processes, the same scenarios as the
 * embedded mode, then a worker killed mid-run.
 */
const pgdb = await postgresForTests(t);
if ('skip' in pgdb) {
  t.plan(0, pgdb.skip);
} else {
  // The API without a worker of its own: every run below is executed by a worker process.
  const service = await startTestService(t, { databaseUrl: pgdb.url, worker: false });
  const workerEnv = { DATABASE_URL: pgdb.url, INTEROP_SECRET_KEY: TEST_SECRET_KEY, INTEROP_WORKER_STALE_SECONDS: '4' };
  const workers = [startCli(t, ['worker', '--concurrency', '1'], workerEnv), startCli(t, ['worker', '--concurrency', '1'], workerEnv)];
  await Promise.all(workers.map((w) => w.line(/^worker \S+ ready$/)));

  let finishedRuns: string[] = [];
  await t.test('an evaluation through the API, runs executed by two worker processes', async (t) => {
    const flow = await evaluationFlow(t, service);
    finishedRuns = [flow.runA.id, flow.runB.id];
    await t.test('a supplier account cannot reach the other supplier', (t) => supplierIsolation(t, service, flow));
  });

  await t.test('a worker killed mid-run: its run is taken up again, nothing is stuck or lost', async (t) => {
    const db = service.service.context.db;
    const admin = apiClient(service.url, service.adminToken);
    const upstream = await startReferenceSupplier();
    t.teardown(bounded('the reference supplier to close', () => upstream.close()));
    // A sandbox that holds every request while `held`, so both runs are surely in flight at once.
    let held = true;
    const waiting: Array<() => void> = [];
    const forward = (req: IncomingMessage, res: ServerResponse) => {
      // The killed worker's held request has no one left to answer. Forwarded, it would never end (a destroyed
      // request never ends its pipe) and leave the supplier a connection that never sends a request.
      if (req.destroyed) return void res.destroy();
      const target = new URL(req.url ?? '/', upstream.url);
      const proxied = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      proxied.on('error', () => res.destroy());
      res.once('close', () => res.writableFinished || proxied.destroy());
      req.pipe(proxied);
    };
    const sandbox = createServer((req, res) => (held ? waiting.push(() => forward(req, res)) : forward(req, res)));
    await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve));
    t.teardown(bounded('the sandbox proxy to close', () => new Promise<void>((resolve) => sandbox.close(() => resolve())), { force: () => sandbox.closeAllConnections() }));
    const sandboxUrl = `http://127.0.0.1:${(sandbox.address() as { port: number }).port}`;

    const evaluation = (await admin('POST', '/api/evaluations', { name: 'Kill test', profiles: ['baseline'] })).body;
    const supplier = (await admin('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name: 'Held sandbox', target: sandboxUrl, auth: { bearerToken: await referenceToken(upstream) } })).body;
    const first = (await admin('POST', `/api/evaluations/${evaluation.id}/runs`, {})).body.runs[0].id as string;
    const second = (await admin('POST', `/api/evaluations/${evaluation.id}/runs`, {})).body.runs[0].id as string;

    // Concurrency 1 each and both runs held: each worker process must hold one of them.
    let running: Array<{ id: string; worker: string }> = [];
    for (;;) {
      running = (await db.query<{ id: string; worker: string }>(`SELECT id, worker FROM runs WHERE id = ANY($1::uuid[]) AND status = 'running'`, [[first, second]])).rows;
      if (running.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    t.equal(new Set(running.map((r) => r.worker)).size, 2, 'the two runs are executed by two different worker processes');
    const pids = running.map((r) => Number(r.worker.split(':')[1]));
    const victim = workers.find((w) => w.child.pid === pids[0])!;
    t.ok(victim, 'the run names the process executing it');
    const orphan = running[0]!.id;
    victim.child.kill('SIGKILL');
    await victim.exited;

    held = false;
    for (const go of waiting.splice(0)) go();
    const survivorRun = running[1]!.id;
    t.equal((await waitForRun(admin, survivorRun)).status, 'finished', "the other worker's run finishes");

    // A worker started again (the service restarted) finds the orphan, whose heartbeat stopped, and runs it again.
    const restarted = startCli(t, ['worker', '--concurrency', '1'], workerEnv);
    await restarted.line(/^worker \S+ ready$/);
    const retried = await waitForRun(admin, orphan);
    t.equal(retried.status, 'finished', 'the orphaned run finished after all');
    t.equal(retried.attempts, 2, 'on its second attempt');
    t.match(restarted.stderr() + workers.map((w) => w.stderr()).join(''), new RegExp(`run ${orphan} requeued`), 'the requeue is logged');
    const events = (await db.query<{ type: string }>('SELECT type FROM run_events WHERE run_id = $1 ORDER BY id', [orphan])).rows.map((r) => r.type);
    t.ok(events.includes('requeued') && events.at(-1) === 'finished', `its events tell the story: ${events.filter((e) => e !== 'progress').join(', ')}`);

    const stuck = await db.query(`SELECT id FROM runs WHERE status IN ('queued', 'running')`);
    t.same(stuck.rows, [], 'no run is left queued or running');

    // Restart the service itself on the same database: every finished run and its reports are still there.
    const reopened = await openService({ env: { DATABASE_URL: pgdb.url, INTEROP_SECRET_KEY: TEST_SECRET_KEY }, note: () => {} });
    t.teardown(bounded('the reopened service to close', () => reopened.close()));
    for (const runId of [...finishedRuns, survivorRun, orphan]) {
      const run = await reopened.context.workspace.getRun({ id: 'x', role: 'admin', supplierId: null }, runId);
      t.equal(run.status, 'finished', `run ${runId.slice(0, 8)} still finished after a restart`);
      const report = await reopened.context.workspace.artifact({ id: 'x', role: 'admin', supplierId: null }, runId, 'report.json');
      t.ok(report.content.length > 0, 'with its report');
    }
  });
}
