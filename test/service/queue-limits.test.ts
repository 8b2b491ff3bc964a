/**
 * What one request may put on the run queue: each profile once, and one
 * self-test per supplier at a time. No worker runs here, so queued runs stay
 * queued and the outcome does not depend on how fast a run finishes.
 */
import pg from 'pg';
import t, { type Test } from 'tap';
import { postgresForTests } from '../support/postgres.js';
import { apiClient, startTestService } from '../support/service.js';

t.test('profiles are deduplicated, and a supplier has one self-test queued at a time', async (t) => {
  const service = await startTestService(t, { worker: false });
  const admin = apiClient(service.url, service.adminToken);
  const evaluation = (await admin('POST', '/api/evaluations', { name: 'Queue limits', profiles: ['baseline'] })).body;
  const supplier = (await admin('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name: 'Vendor', target: 'http://127.0.0.1:9' })).body;

  const repeated = await admin('POST', `/api/evaluations/${evaluation.id}/runs`, { profiles: ['baseline', 'baseline', 'baseline'] });
  t.equal(repeated.status, 202, repeated.text);
  t.equal(repeated.body.runs.length, 1, 'a profile named three times queues one run');

  const account = (await admin('POST', '/api/accounts', { email: 'vendor@supplier.example', name: 'Vendor engineer', role: 'supplier', supplier: supplier.id })).body;
  const vendor = apiClient(service.url, (await admin('POST', '/api/tokens', { account: account.id, name: 'vendor-ci' })).body.token);
  const first = await vendor('POST', `/api/evaluations/${evaluation.id}/runs`, {});
  t.equal(first.status, 202, 'the first self-test is queued');
  const second = await vendor('POST', `/api/evaluations/${evaluation.id}/runs`, {});
  t.equal(second.status, 409, 'a second while the first is queued is refused');
  t.match(second.type, /^application\/problem\+json/, 'as a problem');
  t.match(second.body.detail, /already queued or running/);
  const runs = await vendor('GET', `/api/evaluations/${evaluation.id}/runs`);
  t.equal(runs.body.runs.filter((r: { kind: string }) => r.kind === 'self-test').length, 1, 'one self-test on the queue');
});

/**
 * Many self-test requests at the same moment, as a supplier's CI retrying in
 * a loop would send: exactly one is queued. On PostgreSQL, where requests run
 * side by side on separate connections, the test holds inserts into `runs`
 * until every request is waiting on a lock: without a lock around the check,
 * all eight would have passed it by then.
 */
async function concurrentSelfTests(t: Test, databaseUrl?: string): Promise<void> {
  const service = await startTestService(t, { worker: false, ...(databaseUrl ? { databaseUrl } : {}) });
  const admin = apiClient(service.url, service.adminToken);
  const evaluation = (await admin('POST', '/api/evaluations', { name: 'Self-test race', profiles: ['baseline', 'incident'] })).body;
  const supplier = (await admin('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name: 'Vendor', target: 'http://127.0.0.1:9' })).body;
  const account = (await admin('POST', '/api/accounts', { email: 'racer@supplier.example', name: 'Vendor CI', role: 'supplier', supplier: supplier.id })).body;
  const vendor = apiClient(service.url, (await admin('POST', '/api/tokens', { account: account.id, name: 'vendor-ci' })).body.token);

  const holder = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
  if (holder) {
    await holder.connect();
    t.teardown(() => holder.end().catch(() => {}));
    // SHARE mode: reads of `runs` go on, inserts wait.
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE runs IN SHARE MODE');
  }
  const sent = Array.from({ length: 8 }, () => vendor('POST', `/api/evaluations/${evaluation.id}/runs`, {}));
  if (holder) {
    // Until the requests stop arriving at the lock (or all eight are there). Releasing early only makes the
    // race less likely to show; the outcome asserted below holds either way for a correct service.
    let waiting = 0;
    let steadySince = Date.now();
    for (const started = Date.now(); waiting < 8 && Date.now() - started < 15_000 && !(waiting > 0 && Date.now() - steadySince > 1500); ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { rows } = await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'interop-harness' AND state = 'active' AND wait_event_type = 'Lock'");
      if (rows[0]!.n !== waiting) steadySince = Date.now();
      waiting = rows[0]!.n;
    }
    t.comment(`${waiting} requests waiting on a lock when inserts were let through`);
    await holder.query('COMMIT');
  }
  const answers = await Promise.all(sent);
  const statuses = answers.map((a) => a.status).sort();
  t.same(statuses, [202, 409, 409, 409, 409, 409, 409, 409], `one self-test queued, the rest refused: ${statuses.join(',')}`);
  const runs = await vendor('GET', `/api/evaluations/${evaluation.id}/runs`);
  const selfTests = runs.body.runs.filter((r: { kind: string }) => r.kind === 'self-test');
  t.same(selfTests.map((r: { profile: string }) => r.profile).sort(), ['baseline', 'incident'], 'one run per profile, once');
}

// The embedded database serves one request's queries at a time, so this one checks the rule, not the race: the PostgreSQL test below races.
t.test('eight self-tests in one burst on the embedded database: one is queued', (t) => concurrentSelfTests(t));

t.test('eight self-tests at once on PostgreSQL: one is queued', async (t) => {
  const pgdb = await postgresForTests(t);
  if ('skip' in pgdb) return t.plan(0, pgdb.skip);
  await concurrentSelfTests(t, pgdb.url);
});
