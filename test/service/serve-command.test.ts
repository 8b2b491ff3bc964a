import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { embeddedDataDir } from '../support/pglite-template.js';
import { postgresForTests } from '../support/postgres.js';
import { runCli } from '../support/run-cli.js';
import { apiClient, TEST_SECRET_KEY, waitForRun } from '../support/service.js';
import { startCli } from '../support/worker-process.js';

// One PostgreSQL for the file (a private cluster when CI did not provide one): starting a cluster is the slow part.
const pgdb = await postgresForTests(t);

t.test('bad configuration is exit 2 with one line and no stack', async (t) => {
  const unreachable = await runCli(['serve', '--port', '0'], { env: { DATABASE_URL: 'postgres://user:hunter2-password@127.0.0.1:1/interop', INTEROP_SECRET_KEY: TEST_SECRET_KEY } });
  t.equal(unreachable.code, 2, 'unreachable DATABASE_URL');
  t.match(unreachable.stderr, /^interop-harness: cannot reach the PostgreSQL server at 127\.0\.0\.1:1\/interop: .*\[DATABASE_UNREACHABLE\]\n$/);
  t.notMatch(unreachable.stderr, 'hunter2', 'the password in the URL is never printed');
  const notUrl = await runCli(['worker'], { env: { DATABASE_URL: 'not a url' } });
  t.equal(notUrl.code, 2);
  t.match(notUrl.stderr, /\[DATABASE_UNREACHABLE\]\n$/);
  const badPort = await runCli(['serve', '--port', '99999']);
  t.equal(badPort.code, 2, 'bad port');
  t.match(badPort.stderr, /--port must be a whole number from 0 to 65535.*\[USAGE\]\n$/);
  const noDatabase = await runCli(['worker'], { env: {} });
  t.equal(noDatabase.code, 2, 'worker without DATABASE_URL');
  t.match(noDatabase.stderr, /worker needs DATABASE_URL/);
  const weakToken = await runCli(['serve', '--port', '0'], { env: { INTEROP_BOOTSTRAP_TOKEN: 'changeme' } });
  t.equal(weakToken.code, 2, 'a bootstrap token under 32 characters');
  t.match(weakToken.stderr, /INTEROP_BOOTSTRAP_TOKEN has 8 characters; give at least 32.*\[BOOTSTRAP_TOKEN_WEAK\]\n$/);
  t.notMatch(weakToken.stderr, 'changeme', 'the token itself is never printed');
  for (const outcome of [unreachable, notUrl, badPort, noDatabase, weakToken]) t.equal(outcome.stderr.trim().split('\n').length, 1, 'one line');
});

t.test('the help lists serve and worker', async (t) => {
  const help = await runCli(['--help']);
  t.match(help.stdout, /interop-harness serve \[--port N\] \[--host H\] \[--data DIR\]/);
  t.match(help.stdout, /interop-harness worker/);
});

t.test('embedded: `serve` prints `listening <url>` first, keeps a generated key 0600 and answers the API', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-serve-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await embeddedDataDir(join(dir, 'data'));
  const serve = startCli(t, ['serve', '--port', '0', '--data', join(dir, 'data')], { INTEROP_BOOTSTRAP_TOKEN: 'embedded-bootstrap-token-0123456789' });
  const line = await serve.line(/^listening /);
  t.match(serve.stdout().split('\n')[0], /^listening http:\/\/127\.0\.0\.1:\d+$/, 'the first stdout line');
  const url = line.slice('listening '.length);
  t.equal(statSync(join(dir, 'data', 'secret.key')).mode & 0o777, 0o600, 'generated key is 0600');
  t.match(serve.stderr(), /generated one into .*secret\.key/, 'and says so');
  t.notMatch(serve.stderr(), readFileSync(join(dir, 'data', 'secret.key'), 'utf8').trim(), 'never printing the key');
  const second = await runCli(['serve', '--port', '0', '--data', join(dir, 'data')]);
  t.equal(second.code, 2, 'a second serve on the same data folder is refused');
  t.match(second.stderr, /in use by another interop-harness process \(pid \d+\).*\[DATA_DIR_UNUSABLE\]\n$/);
  const me = await apiClient(url, 'embedded-bootstrap-token-0123456789')('GET', '/api/me');
  t.equal(me.body.role, 'admin', 'the bootstrap token is an admin token');
  serve.child.kill('SIGTERM');
  t.equal(await serve.exited, 0, 'SIGTERM stops it cleanly');
});

t.test('dogfood: the harness passes the service\'s own OpenAPI document in generic mode with zero failures', async (t) => {
  if ('skip' in pgdb) return t.plan(0, pgdb.skip);
  const token = 'dogfood-bootstrap-token-0123456789';
  const serve = startCli(t, ['serve', '--port', '0', '--worker'], { DATABASE_URL: pgdb.url, INTEROP_SECRET_KEY: TEST_SECRET_KEY, INTEROP_BOOTSTRAP_TOKEN: token });
  const url = (await serve.line(/^listening /)).slice('listening '.length);
  t.match(serve.stdout().split('\n')[0], /^listening http:\/\/127\.0\.0\.1:\d+$/, 'listening is the first stdout line against PostgreSQL too');
  // Real ids, so every GET reaches a documented success response.
  const api = apiClient(url, token);
  const supplier = await startReferenceSupplier();
  t.teardown(() => supplier.close());
  const evaluation = (await api('POST', '/api/evaluations', { name: 'Dogfood', profiles: ['baseline'] })).body;
  const added = (await api('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name: 'Reference', target: supplier.url, auth: { clientId: supplier.clientId, clientSecret: supplier.clientSecret } })).body;
  const runId = (await api('POST', `/api/evaluations/${evaluation.id}/runs`, {})).body.runs[0].id;
  t.equal((await waitForRun(api, runId)).status, 'finished');

  const out = mkdtempSync(join(tmpdir(), 'interop-dogfood-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const run = await runCli(
    ['run', '--profile', `${url}/api/openapi.json`, '--target', url, '--token-env', 'SERVICE_TOKEN', '--var', `evaluationId=${evaluation.id}`, '--var', `supplierId=${added.id}`, '--var', `runId=${runId}`, '--var', `supplier=${added.id}`, '--out', out, '--format', 'json', '-q', '--no-color'],
    { env: { SERVICE_TOKEN: token } },
  );
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  t.equal(report.summary.failed, 0, `zero failures: ${run.stdout}`);
  t.equal(report.summary.errors ?? 0, 0, 'and no errors');
  t.equal(report.profile.mode, 'generic', 'in generic mode');
  t.equal(run.code, 0, 'exit 0');
  t.notMatch(readFileSync(join(out, 'report.json'), 'utf8'), token, 'the service token is redacted from the report');
  t.notMatch(readFileSync(join(out, 'report.json'), 'utf8'), supplier.clientSecret, 'no supplier secret reaches a response');
  t.notOk(serve.stderr().includes(supplier.clientSecret) || serve.stdout().includes(supplier.clientSecret), "the supplier's secret is not in the service's output");
});

t.test('a port in use is LISTEN_FAILED, exit 2', async (t) => {
  if ('skip' in pgdb) return t.plan(0, pgdb.skip);
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const outcome = await runCli(['serve', '--port', String(port)], { env: { DATABASE_URL: pgdb.url, INTEROP_SECRET_KEY: TEST_SECRET_KEY } });
  t.equal(outcome.code, 2);
  t.match(outcome.stderr, /cannot listen on 127\.0\.0\.1:\d+: .*\[LISTEN_FAILED\]\n$/);
});
