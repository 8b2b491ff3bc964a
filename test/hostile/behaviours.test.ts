import t from 'tap';
import { BEHAVIOURS, WELL_BEHAVED } from '../../fixtures/hostile-supplier/behaviours.js';
import { boundedBy } from '../support/bounds.js';
import { RUN_BOUND_MS, SHORT_TIMEOUT, STACK_TRACE, resultsFor, runHostile } from './support/run-hostile.js';

/**
 * Every hostile behaviour, one run each, with the other operations answering
 * correctly: the run ends within its bound with exit 0 or 1, the behaviour's
 * operation gets a result naming the cause, and every other operation still
 * gets its results. Only a behaviour whose outcome is the timeout gets a short
 * (5 s) one; every other outcome comes from its own bound, whatever the clock.
 */

for (const entry of BEHAVIOURS) {
  t.test(`${entry.name}: ${entry.description}`, async (t) => {
    const run = await runHostile(t, { behaviours: [entry.name] }, entry.endsByTimeout ? SHORT_TIMEOUT : []);
    t.ok(run.code === 0 || run.code === 1, 'exit code 0 or 1', { code: run.code, stderr: run.stderr });
    // Every behaviour is endless or stalls for ever: ending at all, this side of the slack, is the bound holding.
    t.ok(run.ms < boundedBy(RUN_BOUND_MS), `run ended at its bounds, not the behaviour's (took ${Math.round(run.ms)} ms)`);
    t.notMatch(run.stderr, STACK_TRACE, 'no stack trace');
    t.equal(run.stderr, '', 'nothing on stderr');

    const results = resultsFor(run.report, entry.operationId);
    const pattern = new RegExp(entry.expect.message);
    const naming = results.filter(
      (r) => (entry.expect.check === undefined || r.check === entry.expect.check) && r.status === entry.expect.status && pattern.test(r.message),
    );
    t.ok(naming.length > 0, `${entry.operationId}: a ${entry.expect.check ?? 'transport'} ${entry.expect.status} result names the cause`, {
      expected: entry.expect,
      got: results.map((r) => [r.check, r.status, r.message]),
    });
    if (entry.expect.check === undefined) {
      // A transport failure leaves nothing to judge: every check says so, none passes.
      t.ok(results.every((r) => r.status === 'error' && pattern.test(r.message)), 'every check is an error naming the cause');
    }
    t.notOk(
      results.some((r) => r.status === 'pass' && entry.expect.status !== 'pass' && r.check === entry.expect.check),
      'no false pass for the check that names it',
    );

    const operations = new Set(run.report.results.map((r) => r.operationId));
    t.equal(operations.size, BEHAVIOURS.length + 1, 'every operation got results');
    t.ok(
      resultsFor(run.report, WELL_BEHAVED.operationId).every((r) => r.status === 'pass' || r.status === 'skip'),
      'the well-behaved operation still passes',
    );
    const others = run.report.results.filter((r) => r.operationId !== entry.operationId);
    t.notOk(others.some((r) => r.status === 'fail' || r.status === 'error'), 'switched-off behaviours answer correctly');
  });
}

t.test('rate-limited-once: the 429 is waited out, retried once, and recorded in evidence', async (t) => {
  const run = await runHostile(t, { behaviours: ['rate-limited-once'] });
  const result = resultsFor(run.report, 'rateLimitedOnce').find((r) => r.check === 'status-code');
  t.equal(result?.status, 'pass');
  t.match(result?.evidence?.retries, [{ status: 429, retryAfter: '1' }]);
  t.ok((result?.evidence?.retries?.[0]?.waitedMs ?? 0) >= 950, 'waited the second asked for');
});

t.test('rate-limited-for-days: Retry-After: 999999 is not waited for', async (t) => {
  const run = await runHostile(t, { behaviours: ['rate-limited-for-days'] });
  t.ok(run.ms < boundedBy(RUN_BOUND_MS), `did not wait the 999999 s (took ${Math.round(run.ms)} ms)`);
  t.equal(resultsFor(run.report, 'rateLimitedForDays')[0]?.evidence?.retries, undefined);
});

t.test('500s on everything: the run completes quickly with every operation reported', async (t) => {
  const run = await runHostile(t, { allServerErrors: true });
  t.equal(run.code, 1);
  t.ok(run.ms < boundedBy(RUN_BOUND_MS), `completed without waiting on anything (${Math.round(run.ms)} ms)`);
  const operations = new Set(run.report.results.map((r) => r.operationId));
  t.equal(operations.size, BEHAVIOURS.length + 1, 'every operation reported');
  for (const operationId of operations) {
    const serverError = resultsFor(run.report, operationId).find((r) => r.check === 'server-error');
    t.match(serverError, { status: 'fail', message: /answered 500/ }, `${operationId}: server-error fails`);
  }
  t.equal(run.report.summary.verdict, 'non-conformant');
});
