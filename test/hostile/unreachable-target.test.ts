import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { HOSTILE_PROFILE_PATH } from '../../fixtures/hostile-supplier/create-hostile-supplier.js';
import { closedPort } from '../http/test-server.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';
import { STACK_TRACE } from './support/run-hostile.js';
import { boundedBy } from '../support/bounds.js';

/**
 * A target no request reaches at all (DNS, refused, TLS) is bad input: the
 * run stops with exit 2 and one line naming the cause, as the README's exit
 * codes say, after one round of probes, each bounded by --timeout.
 */

async function expectUnreachable(t: Test, target: string, cause: RegExp): Promise<void> {
  const started = performance.now();
  const outcome = await runCli(['run', '--profile', HOSTILE_PROFILE_PATH, '--target', target, '--timeout', '1s', '--out', t.testdir({})]);
  const ms = performance.now() - started;
  t.equal(outcome.code, 2);
  t.match(outcome.stderr, cause);
  t.equal(outcome.stderr.trim().split('\n').length, 1, 'one line on stderr');
  t.notMatch(outcome.stderr, STACK_TRACE);
  t.ok(ms < boundedBy(5000), `gave up after one round of bounded probes (${Math.round(ms)} ms)`);
}

t.test('DNS failure (a .invalid host, answered locally)', async (t) => {
  await expectUnreachable(t, 'http://supplier.invalid', /target unreachable: http:\/\/supplier\.invalid\/ \(DNS lookup failed for supplier\.invalid\)/);
});

t.test('connection refused', async (t) => {
  const port = await closedPort();
  await expectUnreachable(t, `http://127.0.0.1:${port}`, new RegExp(`target unreachable: .*connection refused by 127\\.0\\.0\\.1:${port}`));
});

t.test('TLS failure (https to a plain HTTP port)', async (t) => {
  const target = await listen(t, Fastify({ logger: false }));
  await expectUnreachable(t, target.replace('http:', 'https:'), /target unreachable: .*TLS handshake failed/);
});
