/**
 * INTEROP_ALLOWED_TARGETS against the real service on loopback: suppliers
 * off the list are refused when added (API and page), a run goes only where
 * the list allows (checked again when it starts and where it connects), a
 * malformed list stops `serve`, and without a list the service warns and
 * still refuses cloud metadata.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { loginCsrfCookieName, sessionCookieName } from '../../harness/web/web-cookies.js';
import { workspacePages } from '../../harness/web/workspace-pages.js';
import { embeddedDataDir } from '../support/pglite-template.js';
import { runCli } from '../support/run-cli.js';
import { apiClient, startTestService, waitForRun } from '../support/service.js';

/** A server that answers anything and counts what reaches it: it must see nothing when a run is refused. */
async function startCountingServer(t: Test): Promise<{ port: number; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    res.end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  t.teardown(() => new Promise<void>((done) => server.close(() => done())));
  return { port: (server.address() as AddressInfo).port, requests: () => requests };
}

const reference = await startReferenceSupplier();
t.teardown(() => reference.close());
const counting = await startCountingServer(t);
// `localhost` resolves (from /etc/hosts) to loopback: listed by name, but a private address no listed range holds.
const localhostTarget = `http://localhost:${counting.port}`;
const LIST = `${reference.url}, ${localhostTarget}, https://sandbox.vendor.example, *.vendor.example`;
const service = await startTestService(t, { env: { INTEROP_ALLOWED_TARGETS: LIST }, plugins: [workspacePages()], worker: { concurrency: 2 } });
const admin = apiClient(service.url, service.adminToken);
const evaluation = (await admin('POST', '/api/evaluations', { name: 'Allow-list', profiles: ['baseline'] })).body;
const suppliersPath = `/api/evaluations/${evaluation.id}/suppliers`;

t.test('with a list, serve does not warn that targets are unrestricted', async (t) => {
  t.notOk(service.notes.some((line) => /INTEROP_ALLOWED_TARGETS is unset/.test(line)), service.notes.join('\n'));
});

t.test('a target off the list is refused with a 422 problem naming the field', async (t) => {
  for (const target of ['http://127.0.0.1:9/', `http://127.0.0.1:${counting.port}/`, 'http://10.0.0.5/', 'https://vendor.example/', 'https://vendor.example.evil.example/', 'https://sandboxvendor.example/']) {
    const refused = await admin('POST', suppliersPath, { name: 'Off the list', target });
    t.equal(refused.status, 422, target);
    t.match(refused.type, /^application\/problem\+json/);
    t.equal(refused.body.field, 'target');
    t.match(refused.body.detail, /^target not allowed: .* is outside INTEROP_ALLOWED_TARGETS/);
  }
  const listed = await admin('POST', suppliersPath, { name: 'Under the wildcard', target: 'https://api.vendor.example/v1' });
  t.equal(listed.status, 201, 'a name under the wildcard is accepted');
  const names = (await admin('GET', suppliersPath)).body.suppliers.map((s: { name: string }) => s.name);
  t.notOk(names.includes('Off the list'), 'nothing refused was stored');
});

t.test('a token URL off the list is refused with a 422 problem naming auth.tokenUrl', async (t) => {
  const refused = await admin('POST', suppliersPath, { name: 'Token elsewhere', target: reference.url, auth: { clientId: 'id', clientSecret: 'secret-never-echoed', tokenUrl: 'http://127.0.0.1:1/oauth/token' } });
  t.equal(refused.status, 422);
  t.equal(refused.body.field, 'auth.tokenUrl');
  t.match(refused.body.detail, /^auth\.tokenUrl not allowed: http:\/\/127\.0\.0\.1:1 is outside INTEROP_ALLOWED_TARGETS/);
  t.notMatch(refused.text, 'secret-never-echoed');
  const metadata = await admin('POST', suppliersPath, { name: 'Token at metadata', target: reference.url, auth: { clientId: 'id', clientSecret: 's', tokenUrl: 'http://169.254.169.254/latest/api/token' } });
  t.equal(metadata.status, 422);
  t.match(metadata.body.detail, /cloud metadata address/);
});

t.test('the add-supplier page refuses it too, with the same message', async (t) => {
  const call = apiClient(service.url, service.adminToken);
  const password = 'a long evaluator passphrase';
  const account = (await call('POST', '/api/accounts', { email: 'lead@force.example', name: 'Lead', role: 'evaluator', password })).body;
  await call('POST', `/api/evaluations/${evaluation.id}/members`, { account: account.id });
  // Sign in as a browser would: the sign-in form's token and cookie, then the session cookie.
  const loginPage = await fetch(`${service.url}/login`);
  await loginPage.text();
  const loginCookie = new RegExp(`${loginCsrfCookieName(false)}=([^;]+)`).exec(loginPage.headers.get('set-cookie') ?? '')![1]!;
  const signedIn = await fetch(`${service.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${loginCsrfCookieName(false)}=${loginCookie}` },
    body: new URLSearchParams({ _csrf: loginCookie, email: 'lead@force.example', password }).toString(),
  });
  await signedIn.text();
  t.equal(signedIn.status, 303, 'signed in');
  const session = new RegExp(`${sessionCookieName(false)}=([^;]+)`).exec(signedIn.headers.get('set-cookie') ?? '')![1]!;
  const cookie = `${sessionCookieName(false)}=${session}`;
  const page = await (await fetch(`${service.url}/evaluations/${evaluation.id}`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  const post = (target: string) =>
    fetch(`${service.url}/evaluations/${evaluation.id}/suppliers`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, name: 'From the form', target, authKind: 'none' }).toString(),
    });
  const refused = await post('http://127.0.0.1:9/');
  t.equal(refused.status, 422);
  t.match(await refused.text(), /target not allowed: http:\/\/127\.0\.0\.1:9 is outside INTEROP_ALLOWED_TARGETS/);
  const accepted = await post('https://sandbox.vendor.example');
  await accepted.text();
  t.equal(accepted.status, 303, 'a listed origin is added');
});

t.test('an allowed target and token URL: the run goes end to end', async (t) => {
  const added = await admin('POST', suppliersPath, { name: 'Reference', target: reference.url, auth: { clientId: reference.clientId, clientSecret: reference.clientSecret, tokenUrl: `${reference.url}/oauth/token` } });
  t.equal(added.status, 201);
  const queued = await admin('POST', `/api/evaluations/${evaluation.id}/runs`, { suppliers: [added.body.id] });
  const run = await waitForRun(admin, queued.body.runs[0].id);
  t.equal(run.status, 'finished', run.error ?? '');
  t.equal(run.verdict, 'conformant');
});

t.test('a listed name that resolves to an address outside the list is refused where the connection is made', async (t) => {
  const added = await admin('POST', suppliersPath, { name: 'Rebinding', target: localhostTarget });
  t.equal(added.status, 201, 'the name is on the list, so it is accepted when added');
  const queued = await admin('POST', `/api/evaluations/${evaluation.id}/runs`, { suppliers: [added.body.id] });
  const run = await waitForRun(admin, queued.body.runs[0].id);
  t.equal(run.status, 'failed');
  t.match(run.error, /not connected: localhost resolves to [^,]*127\.0\.0\.1.*not a public address and in no range INTEROP_ALLOWED_TARGETS lists/);
  t.equal(counting.requests(), 0, 'no request reached the address');
});

t.test('a malformed INTEROP_ALLOWED_TARGETS stops serve: exit 2, one line, its code', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-allow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const outcome = await runCli(['serve', '--port', '0', '--data', join(dir, 'data')], { env: { INTEROP_ALLOWED_TARGETS: 'https://sandbox.vendor.example, 10.20.1.0/16' } });
  t.equal(outcome.code, 2);
  t.match(outcome.stderr, /^interop-harness: INTEROP_ALLOWED_TARGETS entry 2 "10\.20\.1\.0\/16" has host bits set: the range it names is 10\.20\.0\.0\/16 \[ALLOWED_TARGETS_INVALID\]\n$/);
  t.equal(outcome.stdout, '', 'never listening');
});

t.test('without a list: one warning, private targets still allowed, cloud metadata refused', async (t) => {
  const open = await startTestService(t, { worker: false });
  const warnings = open.notes.filter((line) => /INTEROP_ALLOWED_TARGETS is unset/.test(line));
  t.equal(warnings.length, 1, open.notes.join('\n'));
  t.match(warnings[0], /^warning: .*may be any address this host reaches \(cloud metadata excepted\); set it to/);
  const call = apiClient(open.url, open.adminToken);
  const created = (await call('POST', '/api/evaluations', { name: 'Open', profiles: ['baseline'] })).body;
  const add = (body: object) => call('POST', `/api/evaluations/${created.id}/suppliers`, body);
  t.equal((await add({ name: 'Private sandbox', target: 'http://10.0.0.5:8080' })).status, 201, 'as before the setting existed');
  for (const target of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://[::ffff:169.254.169.254]/']) {
    const refused = await add({ name: 'Metadata', target });
    t.equal(refused.status, 422, target);
    t.equal(refused.body.field, 'target');
    t.match(refused.body.detail, /is a link-local or cloud metadata address, never a target/);
  }
});

t.test('a stored target the list no longer allows fails its run before sending anything', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-allow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = await embeddedDataDir(join(dir, 'data'));
  const target = `http://127.0.0.1:${counting.port}`;
  let token = '';
  let evaluationId = '';
  let supplierId = '';
  await t.test('added while the list allowed it', async (t) => {
    const before = await startTestService(t, { dataDir, worker: false, env: { INTEROP_ALLOWED_TARGETS: `${target}, https://sandbox.vendor.example` } });
    token = before.adminToken;
    const call = apiClient(before.url, token);
    evaluationId = (await call('POST', '/api/evaluations', { name: 'Narrowed', profiles: ['baseline'] })).body.id;
    const added = await call('POST', `/api/evaluations/${evaluationId}/suppliers`, { name: 'Since removed', target });
    t.equal(added.status, 201);
    supplierId = added.body.id;
  });
  await t.test('run after the operator narrowed the list', async (t) => {
    const after = await startTestService(t, { dataDir, env: { INTEROP_ALLOWED_TARGETS: 'https://sandbox.vendor.example' } });
    const call = apiClient(after.url, token);
    const queued = await call('POST', `/api/evaluations/${evaluationId}/runs`, { suppliers: [supplierId] });
    t.equal(queued.status, 202);
    const run = await waitForRun(call, queued.body.runs[0].id);
    t.equal(run.status, 'failed');
    t.match(run.error, new RegExp(`^target not allowed: ${target.replace(/[.:/]/g, '\\$&')} is outside INTEROP_ALLOWED_TARGETS.*\\[TARGET_NOT_ALLOWED\\]$`));
    t.equal(counting.requests(), 0, 'nothing was sent');
  });
});
