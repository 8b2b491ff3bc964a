import t from 'tap';
import { createRedactor, isSensitiveHeader, secretsFromHeaders } from '../../harness/http/redactor.js';

const secret = 'sk_live/4f3e+2d1c"0b9a';

t.test('text() replaces the secret and its encoded forms', async (t) => {
  const r = createRedactor([secret]);
  const b64 = Buffer.from(secret).toString('base64');
  const cases = [
    secret,
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
    encodeURIComponent(secret).toLowerCase().replace(/sk_live/, 'sk_live'),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
  ];
  for (const form of cases) {
    t.equal(r.text(`before ${form} after`), 'before [redacted] after', `redacts ${form}`);
  }
  t.equal(r.text(`${secret}${secret}`), '[redacted][redacted]', 'every occurrence');
  t.equal(r.text(JSON.stringify({ echo: secret })), '{"echo":"[redacted]"}', 'inside JSON');
});

t.test('text() finds a secret base64-encoded inside a larger value (Basic credentials echoed)', async (t) => {
  const token = 'correct-horse-battery-staple';
  const r = createRedactor([token]);
  for (const user of ['a', 'ab', 'abc']) {
    const basic = Buffer.from(`${user}:${token}`).toString('base64');
    const out = r.text(`{"auth":"Basic ${basic}"}`);
    t.notOk(out.includes(basic), `user of ${user.length} chars: the encoded credentials are broken up`);
    t.match(out, /\[redacted\]/);
  }
});

t.test('short secrets are ignored by text(), but sensitive headers are still redacted', async (t) => {
  const r = createRedactor(['abc', '', 'abcd']);
  t.equal(r.text('abc abcd'), 'abc [redacted]');
  t.same(r.headers({ Authorization: 'Bearer abc', 'X-Plain': 'abc' }), { Authorization: 'Bearer [redacted]', 'X-Plain': 'abc' });
});

t.test('headers() redacts sensitive names and passes the rest through text()', async (t) => {
  const r = createRedactor([secret]);
  const out = r.headers({
    Authorization: `Bearer ${secret}`,
    'proxy-authorization': 'Basic dXNlcjpwYXNz',
    Cookie: 'session=abc',
    'Set-Cookie': 'id=1; HttpOnly',
    'X-API-Key': 'k',
    'X-Auth-Token': 't',
    'X-Client-Secret': 's',
    'X-Session-Id': 'i',
    'X-Password': 'p',
    'Api-Key-Id': 'x',
    'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
    'X-Echo': `you sent ${secret}`,
    'Content-Type': 'application/json',
  });
  t.same(out, {
    Authorization: 'Bearer [redacted]',
    'proxy-authorization': 'Basic [redacted]',
    Cookie: '[redacted]',
    'Set-Cookie': '[redacted]',
    'X-API-Key': '[redacted]',
    'X-Auth-Token': '[redacted]',
    'X-Client-Secret': '[redacted]',
    'X-Session-Id': '[redacted]',
    'X-Password': '[redacted]',
    'Api-Key-Id': '[redacted]',
    'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"',
    'X-Echo': 'you sent [redacted]',
    'Content-Type': 'application/json',
  });
  t.equal(r.headers({ authorization: secret }).authorization, '[redacted]', 'a bare credential is redacted whole');
});

t.test('deep() returns a redacted copy and leaves the input alone', async (t) => {
  const r = createRedactor([secret]);
  const input = {
    list: [secret, 1, true, null, { nested: `x${secret}x` }],
    [secret]: 'key is secret',
    when: new Date(0),
    n: 3,
  };
  const out = r.deep(input);
  t.same(out, {
    list: ['[redacted]', 1, true, null, { nested: 'x[redacted]x' }],
    '[redacted]': 'key is secret',
    when: '1970-01-01T00:00:00.000Z',
    n: 3,
  });
  t.equal(input.list[0], secret, 'input untouched');
  t.notOk(JSON.stringify(out).includes(secret));
  const shared = { a: 1 };
  t.same(r.deep({ x: shared, y: shared }), { x: { a: 1 }, y: { a: 1 } }, 'shared (non-cyclic) objects are fine');
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  t.throws(() => r.deep(cyclic), TypeError);
});

t.test('excerpt() cuts at a byte limit without leaving part of a secret at the cut', async (t) => {
  const token = 'tok_0123456789abcdef';
  const r = createRedactor([token]);
  const body = Buffer.from(`0123456789${token} and more`);
  for (let limit = 8; limit <= 34; limit++) {
    const out = r.excerpt(body, limit);
    t.notOk(out.includes('tok_'), `limit ${limit}: no prefix of the secret (${out})`);
  }
  t.equal(r.excerpt(body, 14), '0123456789[redacted]', 'a secret straddling the cut is redacted whole');
  t.equal(r.excerpt(body, 5), '01234');
  t.equal(r.excerpt(Buffer.from('héllo'), 2), 'h\uFFFD', 'UTF-8 decoded with replacement');
  t.equal(createRedactor([]).excerpt(Buffer.from('plain text'), 5), 'plain');
  const emoji = Buffer.from('a😀');
  t.equal(r.excerpt(emoji, 3), emoji.subarray(0, 3).toString('utf8'), 'a split character is replaced, never half a surrogate pair');
});

t.test('withSecrets() adds secrets; secretsFromHeaders() finds the credentials in request headers', async (t) => {
  const found = secretsFromHeaders({
    Authorization: 'Basic ' + Buffer.from('user:hunter22').toString('base64'),
    Cookie: 'session=cookie-value-1; theme=dark',
    'X-Api-Key': 'api-key-value',
    Accept: 'application/json',
  });
  t.same(found, [Buffer.from('user:hunter22').toString('base64'), 'user:hunter22', 'hunter22', 'cookie-value-1', 'dark', 'api-key-value']);
  const r = createRedactor([]).withSecrets(['hunter22']);
  t.equal(r.text('password=hunter22'), 'password=[redacted]');
  t.ok(isSensitiveHeader('X-Vendor-Token'));
  t.notOk(isSensitiveHeader('Content-Type'));
  t.notOk(isSensitiveHeader('Proxy-Authenticate'));
});

t.test('a secret echoed in another case is still redacted', async (t) => {
  const redactor = createRedactor(['tok-Sekrit-AAA111']);
  t.equal(redactor.text('got TOK-SEKRIT-AAA111 and tok-sekrit-aaa111'), 'got [redacted] and [redacted]');
});
