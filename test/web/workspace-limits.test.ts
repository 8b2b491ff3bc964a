/**
 * The workspace's limits against a real service on loopback: sign-in
 * attempts counted before the password is checked, the form size cap, and
 * what a flood of requests may leave behind.
 */
import t from 'tap';
import { accountByEmail } from '../../harness/service/store/accounts-repository.js';
import { createRun } from '../../harness/service/store/runs-repository.js';
import { loginCsrfCookieName } from '../../harness/web/web-cookies.js';
import { startWorkspace, type RunningWorkspace } from '../support/workspace-service.js';

const ACCOUNT = { email: 'lead@force.example', password: 'correct horse battery staple' };

let workspace: RunningWorkspace;
t.before(async () => {
  workspace = await startWorkspace();
  await workspace.createAccount({ ...ACCOUNT, role: 'evaluator' });
});
t.teardown(() => workspace?.close());

/** A sign-in form's token and its cookie, as a browser would hold them. */
async function loginForm(): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${workspace.url}/login`);
  const name = loginCsrfCookieName(false);
  const match = (response.headers.get('set-cookie') ?? '').match(new RegExp(`${name}=([^;]+)`));
  await response.text();
  if (!match) throw new Error('no sign-in cookie');
  return { cookie: `${name}=${match[1]}`, csrf: match[1]! };
}

async function postForm(path: string, form: { cookie: string; csrf: string }, fields: Record<string, string>): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${workspace.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    body: new URLSearchParams({ _csrf: form.csrf, ...fields }).toString(),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

t.test('parallel wrong passwords: at most the limit are checked, the rest are refused with 429', async (t) => {
  const form = await loginForm();
  const email = 'parallel@force.example';
  const answers = await Promise.all(Array.from({ length: 12 }, () => postForm('/login', form, { email, password: 'wrong guess' })));
  const statuses = answers.map((a) => a.status);
  t.ok(statuses.every((s) => s === 401 || s === 429), `only 401 and 429: ${statuses.join(',')}`);
  t.ok(statuses.filter((s) => s === 401).length <= 5, `at most 5 passwords checked: ${statuses.join(',')}`);
  t.ok(statuses.filter((s) => s === 429).length >= 7, 'the rest refused');
  t.ok(answers.filter((a) => a.status === 429).every((a) => a.headers.get('retry-after') === '900'), 'each refusal says when to retry');
});

t.test('a successful sign-in is not counted against the account', async (t) => {
  const form = await loginForm();
  for (let i = 0; i < 6; i++) {
    const answer = await postForm('/login', form, ACCOUNT);
    t.equal(answer.status, 303, `sign-in ${i + 1} succeeds`);
  }
});

t.test('refused sign-ins are audited once per account and address per window, not once each', async (t) => {
  const form = await loginForm();
  const email = 'flood@force.example';
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await postForm('/login', form, { email, password: 'wrong guess' })).status);
  t.equal(statuses.filter((s) => s === 429).length, 5, `5 checked, 5 refused: ${statuses.join(',')}`);
  const { rows } = await workspace.service.context.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_log WHERE action = 'session.login-refused' AND detail->>'reason' = 'too many attempts'",
  );
  // The parallel test before this one left one refusal row of its own.
  t.equal(rows[0]!.n, 2, 'one row for this account, one for the earlier one');
});

t.test('a form over 64 KiB is refused unless it is the claims upload, whatever the query string says', async (t) => {
  const form = await loginForm();
  const big = { email: 'x@force.example', password: 'p'.repeat(70 * 1024) };
  t.equal((await postForm('/login?/claims', form, big)).status, 413, '/login?/claims: 413');
  t.equal((await postForm('/login', form, big)).status, 413, '/login: 413');
  // Past the size check, the claims route refuses it for want of a session: the parser let it through.
  t.equal((await postForm('/suppliers/00000000-0000-4000-8000-000000000000/claims', form, { claims: 'c'.repeat(70 * 1024) })).status, 403, 'the claims upload is not held to 64 KiB');
});

t.test('a live progress stream ends when its session is signed out', async (t) => {
  const { db, workspace: core } = workspace.service.context;
  const lead = (await accountByEmail(db, ACCOUNT.email))!;
  const evaluation = await core.createEvaluation(lead, { name: 'Streams', profiles: ['baseline'] });
  const supplier = await core.addSupplier(lead, evaluation.id, { name: 'Vendor', target: 'http://127.0.0.1:9' });
  // Stored as queued with no job: no worker takes it, so only the sign-out can end its stream.
  const run = await createRun(db, { evaluationId: evaluation.id, supplierId: supplier.id, profile: 'baseline', kind: 'evaluation', queuedBy: lead.id });

  const signedIn = await postForm('/login', await loginForm(), ACCOUNT);
  t.equal(signedIn.status, 303, 'signed in');
  const session = (signedIn.headers.get('set-cookie') ?? '').match(/interop-session=([^;]+)/)![1]!;
  const cookie = `interop-session=${session}`;
  const stream = await fetch(`${workspace.url}/runs/${run.id}/events`, { headers: { cookie } });
  t.equal(stream.status, 200, 'the stream opens');
  const reader = stream.body!.getReader();
  await reader.read();

  const page = await (await fetch(`${workspace.url}/evaluations`, { headers: { cookie } })).text();
  const csrf = page.match(/name="_csrf" value="([^"]+)"/)![1]!;
  const out = await fetch(`${workspace.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}` });
  t.equal(out.status, 303, 'signed out');

  // A generous guard so a regression fails instead of hanging; the outcome asserted is that the stream ended.
  let guardFired = false;
  const guard = setTimeout(() => {
    guardFired = true;
    void reader.cancel();
  }, 60_000);
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    if (new TextDecoder().decode(chunk.value).includes('event: end')) t.fail('the run did not finish: the stream must end for the sign-out');
  }
  clearTimeout(guard);
  t.notOk(guardFired, 'the server ended the stream after the sign-out');
});
