/**
 * Taking access away, through the API, against the real service on loopback:
 * a revoked API token authenticates nobody, a disabled account loses its
 * tokens, its password and its open sessions at once, and only admins (never
 * against themselves) may do it. On the embedded database and on PostgreSQL.
 */
import pg from 'pg';
import t, { type Test } from 'tap';
import { loginCsrfCookieName, sessionCookieName } from '../../harness/web/web-cookies.js';
import { postgresForTests } from '../support/postgres.js';
import { apiClient } from '../support/service.js';
import { startWorkspace, type RunningWorkspace } from '../support/workspace-service.js';

const ADMIN_TOKEN = 'ih_test-bootstrap-token-0123456789';
const LEAD = { email: 'lead@force.example', password: 'correct horse battery staple' };

async function scenarios(t: Test, env: NodeJS.ProcessEnv): Promise<void> {
  let workspace: RunningWorkspace;
  let lead: { id: string };
  let other: { id: string };
  t.before(async () => {
    workspace = await startWorkspace({ env: { ...env, INTEROP_BOOTSTRAP_TOKEN: ADMIN_TOKEN } });
    lead = await workspace.createAccount({ ...LEAD, role: 'evaluator' });
    other = await workspace.createAccount({ email: 'other@force.example', password: 'another long passphrase', role: 'evaluator' });
  });
  t.teardown(() => workspace?.close());

  const admin = () => apiClient(workspace.url, ADMIN_TOKEN);

  async function tokenFor(account: { id: string }, name: string): Promise<{ id: string; token: string }> {
    const created = await admin()('POST', '/api/tokens', { account: account.id, name });
    if (created.status !== 201) throw new Error(`token not created: ${created.status} ${created.text}`);
    return created.body;
  }

  /** Sign in through the form as a browser would; the session cookie, or undefined when refused. */
  async function signIn(credentials: { email: string; password: string }): Promise<string | undefined> {
    const page = await fetch(`${workspace.url}/login`);
    await page.text();
    const csrf = (page.headers.get('set-cookie') ?? '').match(new RegExp(`${loginCsrfCookieName(false)}=([^;]+)`))?.[1];
    if (!csrf) throw new Error('no sign-in cookie');
    const answer = await fetch(`${workspace.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${loginCsrfCookieName(false)}=${csrf}` },
      body: new URLSearchParams({ _csrf: csrf, ...credentials }).toString(),
    });
    await answer.text();
    const session = (answer.headers.get('set-cookie') ?? '').match(new RegExp(`${sessionCookieName(false)}=([^;]+)`))?.[1];
    return answer.status === 303 && session ? `${sessionCookieName(false)}=${session}` : undefined;
  }

  async function pageStatus(cookie: string): Promise<number> {
    const response = await fetch(`${workspace.url}/evaluations`, { redirect: 'manual', headers: { cookie } });
    await response.text();
    return response.status;
  }

  async function auditActions(subject: string): Promise<string[]> {
    const { rows } = await workspace.service.context.db.query<{ action: string }>('SELECT action FROM audit_log WHERE subject = $1 ORDER BY at, action', [subject]);
    return rows.map((r) => r.action);
  }

  t.test('an account revokes its own token: from then on the token authenticates nobody', async (t) => {
    const { id, token } = await tokenFor(lead, 'ci');
    const asLead = apiClient(workspace.url, token);
    t.equal((await asLead('GET', '/api/me')).status, 200, 'the token works');

    const listed = await asLead('GET', '/api/tokens');
    t.equal(listed.status, 200);
    t.same(listed.body.tokens.map((k: { id: string; name: string; revokedAt: unknown }) => [k.id, k.name, k.revokedAt]), [[id, 'ci', null]]);
    t.notMatch(listed.text, token, 'a listing never shows a token');
    t.ok(listed.body.tokens[0].lastUsedAt, 'it says when the token was last used');

    const revoked = await asLead('DELETE', `/api/tokens/${id}`);
    t.equal(revoked.status, 200);
    t.ok(revoked.body.revokedAt, 'the answer says when');
    t.equal((await asLead('GET', '/api/me')).status, 401, 'the revoked token is refused');
    t.ok((await admin()('GET', `/api/tokens?account=${lead.id}`)).body.tokens.some((k: { id: string; revokedAt: unknown }) => k.id === id && k.revokedAt), 'an admin sees it revoked');
    t.ok((await auditActions(lead.id)).includes('api-token.revoked'), 'the audit log records it');
  });

  t.test("another account's token is not found, exactly as one that does not exist", async (t) => {
    const leadToken = await tokenFor(lead, 'lead-ci');
    const asOther = apiClient(workspace.url, (await tokenFor(other, 'other-ci')).token);
    const theirs = await asOther('DELETE', `/api/tokens/${leadToken.id}`);
    const none = await asOther('DELETE', '/api/tokens/00000000-0000-4000-8000-000000000000');
    t.equal(theirs.status, 404);
    t.equal(none.status, 404);
    t.equal(theirs.body.detail, none.body.detail, 'the same answer');
    t.equal((await asOther('DELETE', '/api/tokens/not-a-uuid')).status, 404, 'a malformed id too');
    t.equal((await asOther('GET', `/api/tokens?account=${lead.id}`)).status, 403, "an evaluator cannot list another account's tokens");
    t.equal((await apiClient(workspace.url, leadToken.token)('GET', '/api/me')).status, 200, 'the token still works');
  });

  t.test('an admin disables an account: its tokens, password and open sessions stop at once; enabling restores sign-in', async (t) => {
    const { token } = await tokenFor(lead, 'before-disable');
    const session = await signIn(LEAD);
    t.ok(session, 'signed in');
    t.equal(await pageStatus(session!), 200, 'the session reaches its pages');

    const disabled = await admin()('PATCH', `/api/accounts/${lead.id}`, { disabled: true });
    t.equal(disabled.status, 200);
    t.equal(disabled.body.disabled, true);
    t.equal((await apiClient(workspace.url, token)('GET', '/api/me')).status, 401, 'its token is refused');
    t.not(await pageStatus(session!), 200, 'its open session no longer reaches a page');
    t.equal(await signIn(LEAD), undefined, 'its password is refused');
    const { rows } = await workspace.service.context.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE account_id = $1', [lead.id]);
    t.equal(rows[0]!.n, 0, 'its sessions are gone from the database');

    const enabled = await admin()('PATCH', `/api/accounts/${lead.id}`, { disabled: false });
    t.equal(enabled.body.disabled, false);
    t.ok(await signIn(LEAD), 'it can sign in again');
    t.equal((await apiClient(workspace.url, token)('GET', '/api/me')).status, 200, 'and a token it was not revoked works again');
    const actions = await auditActions(lead.id);
    t.ok(actions.includes('account.disabled') && actions.includes('account.enabled'), `audited: ${actions.join(', ')}`);
  });

  t.test('only admins disable accounts, and never their own', async (t) => {
    const asOther = apiClient(workspace.url, (await tokenFor(other, 'other-2')).token);
    t.equal((await asOther('PATCH', `/api/accounts/${lead.id}`, { disabled: true })).status, 403, 'an evaluator may not');
    const me = (await admin()('GET', '/api/me')).body;
    const self = await admin()('PATCH', `/api/accounts/${me.id}`, { disabled: true });
    t.equal(self.status, 409, 'an admin may not disable their own account');
    t.equal(self.body.field, 'disabled');
    t.equal((await admin()('GET', '/api/me')).status, 200, 'and is still in');
    t.equal((await admin()('PATCH', '/api/accounts/00000000-0000-4000-8000-000000000000', { disabled: true })).status, 404);
    t.equal((await admin()('PATCH', `/api/accounts/${lead.id}`, { disabled: 'yes' })).status, 400, 'disabled is a boolean');
  });
}

t.test('embedded database', (t) => scenarios(t, {}));

t.test('PostgreSQL', async (t) => {
  const pgdb = await postgresForTests(t);
  if ('skip' in pgdb) return t.plan(0, pgdb.skip);
  await scenarios(t, { DATABASE_URL: pgdb.url, INTEROP_SECRET_KEY: 'b'.repeat(64) });
  await t.test('two admins disabling each other at the same moment: one of them stays an admin', async (t) => {
    const workspace = await startWorkspace({ env: { DATABASE_URL: pgdb.url, INTEROP_SECRET_KEY: 'b'.repeat(64), INTEROP_BOOTSTRAP_TOKEN: ADMIN_TOKEN } });
    t.teardown(() => workspace.close());
    const admin = apiClient(workspace.url, ADMIN_TOKEN);
    const me = (await admin('GET', '/api/me')).body;
    const second = (await admin('POST', '/api/accounts', { email: 'second-admin@force.example', name: 'Second admin', role: 'admin' })).body;
    const asSecond = apiClient(workspace.url, (await admin('POST', '/api/tokens', { account: second.id, name: 'second' })).body.token);
    // Hold changes to accounts until both requests wait on a lock, so neither has seen the other's change.
    const holder = new pg.Client({ connectionString: pgdb.url });
    await holder.connect();
    t.teardown(() => holder.end().catch(() => {}));
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE accounts IN SHARE MODE');
    const answers = Promise.all([admin('PATCH', `/api/accounts/${second.id}`, { disabled: true }), asSecond('PATCH', `/api/accounts/${me.id}`, { disabled: true })]);
    for (let polls = 0, waiting = 0; polls < 150 && waiting < 2; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      waiting = (await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'interop-harness' AND state = 'active' AND wait_event_type = 'Lock'")).rows[0]!.n;
    }
    await holder.query('COMMIT');
    const statuses = (await answers).map((a) => a.status).sort();
    t.same(statuses, [200, 403], `one disables the other, who is refused: ${statuses.join(',')}`);
    const { rows } = await workspace.service.context.db.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts WHERE role = 'admin' AND disabled_at IS NULL");
    t.equal(rows[0]!.n, 1, 'one enabled admin is left');
  });
});
