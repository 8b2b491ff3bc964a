/**
 * The pieces the workspace's sessions rest on, each on its own: the login
 * limiter's two keys and its bound, the cookie's attributes and reader, and
 * the session id hashing and token comparison.
 */
import t from 'tap';
import { createLoginLimiter } from '../../harness/web/login-limiter.js';
import { loginCsrfCookieName, readCookie, sessionCookie, sessionCookieName } from '../../harness/web/web-cookies.js';
import { hashSessionId, randomSecret, sameSecret } from '../../harness/web/web-session-token.js';

t.test('the limiter refuses an account after its failures, and frees it when the window ends', async (t) => {
  let now = 1_000_000;
  const limiter = createLoginLimiter({ maxFailures: 3, maxAddressFailures: 100, windowMs: 60_000, now: () => now });
  for (let i = 0; i < 3; i++) {
    t.ok(limiter.allowed('a@x', '10.0.0.1'), `attempt ${i + 1} allowed`);
    limiter.failed('a@x', '10.0.0.1');
  }
  t.notOk(limiter.allowed('a@x', '10.0.0.1'), 'the fourth is refused');
  t.notOk(limiter.allowed('a@x', '10.0.0.2'), 'from another address too: the account is the key');
  t.ok(limiter.allowed('b@x', '10.0.0.1'), 'another account from the same address is not yet limited');
  now += 60_000;
  t.ok(limiter.allowed('a@x', '10.0.0.1'), 'allowed again once the window has passed');
});

t.test('the limiter refuses an address that tries many accounts', async (t) => {
  const limiter = createLoginLimiter({ maxFailures: 100, maxAddressFailures: 5 });
  for (let i = 0; i < 5; i++) limiter.failed(`user${i}@x`, '10.0.0.9');
  t.notOk(limiter.allowed('fresh@x', '10.0.0.9'), 'a new account from that address is refused');
  t.ok(limiter.allowed('fresh@x', '10.0.0.10'), 'another address is not');
});

t.test('a success clears the account, not the address', async (t) => {
  const limiter = createLoginLimiter({ maxFailures: 2, maxAddressFailures: 3 });
  limiter.failed('a@x', 'ip');
  limiter.failed('a@x', 'ip');
  t.notOk(limiter.allowed('a@x', 'other'));
  limiter.succeeded('a@x');
  t.ok(limiter.allowed('a@x', 'other'), 'account cleared');
  limiter.failed('c@x', 'ip');
  t.notOk(limiter.allowed('d@x', 'ip'), 'the address still counts its 3 failures');
});

t.test('the limiter keeps at most maxKeys windows', async (t) => {
  const limiter = createLoginLimiter({ maxFailures: 1, maxKeys: 10 });
  limiter.failed('first@x', 'ip-first');
  t.notOk(limiter.allowed('first@x', 'elsewhere'));
  for (let i = 0; i < 20; i++) limiter.failed(`flood${i}@x`, `ip-${i}`);
  t.ok(limiter.allowed('first@x', 'elsewhere'), 'the oldest window was dropped to stay within the bound');
});

t.test('the session cookie is HttpOnly and SameSite=Strict, Secure with __Host- when asked', async (t) => {
  const plain = sessionCookie('abc', { secure: false, maxAgeSeconds: 60 });
  t.match(plain, /^interop-session=abc; Path=\/; HttpOnly; SameSite=Strict; Max-Age=60$/);
  const secure = sessionCookie('abc', { secure: true, maxAgeSeconds: 60 });
  t.match(secure, /^__Host-interop-session=abc;.*HttpOnly.*SameSite=Strict.*; Secure$/);
  t.equal(sessionCookieName(true), '__Host-interop-session');
  t.equal(loginCsrfCookieName(true), '__Host-interop-login');
});

t.test('readCookie finds the value and refuses odd ones', async (t) => {
  t.equal(readCookie('a=1; interop-session=xyz_-9', 'interop-session'), 'xyz_-9');
  t.equal(readCookie('interop-session=a b', 'interop-session'), undefined, 'a value outside the token alphabet is ignored');
  t.equal(readCookie(`interop-session=${'x'.repeat(200)}`, 'interop-session'), undefined, 'too long');
  t.equal(readCookie(`pad=${'y'.repeat(9000)}; interop-session=abc`, 'interop-session'), undefined, 'an oversized header is not read');
  t.equal(readCookie(undefined, 'interop-session'), undefined);
});

t.test('session ids are stored hashed; tokens compare exactly', async (t) => {
  const id = randomSecret();
  t.match(id, /^[A-Za-z0-9_-]{43}$/, '256 bits, URL-safe');
  t.not(randomSecret(), id);
  t.match(hashSessionId(id), /^[0-9a-f]{64}$/);
  t.not(hashSessionId(id), id);
  t.ok(sameSecret(id, id));
  t.notOk(sameSecret(id.slice(1), id));
  t.notOk(sameSecret(undefined, id));
  t.notOk(sameSecret('', ''), 'an empty token never matches');
  t.notOk(sameSecret(['x'], 'x'));
});

t.test('the password-check gate runs 2 at once, lets 20 wait, and refuses the next without running it', async (t) => {
  const { createGate } = await import('../../harness/web/workspace-port.js');
  const gate = createGate(2, 20);
  const release: Array<() => void> = [];
  let started = 0;
  const task = () => new Promise<void>((resolve) => {
    started += 1;
    release.push(resolve);
  });
  const accepted = Array.from({ length: 22 }, () => gate(task));
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(started, 2, 'two run');
  let ranRefused = false;
  await t.rejects(gate(async () => { ranRefused = true; }), { name: 'LoginsBusy' }, 'the 23rd is refused');
  t.notOk(ranRefused, 'without running');
  while (started < 22 || release.length > 0) {
    release.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(accepted);
  t.equal(started, 22, 'every accepted task ran in its turn');
  await gate(async () => undefined);
  t.pass('once drained, a new task runs');
});
