import t from 'tap';
import { createRedactor, isSecretFieldName, isSensitiveHeader, secretsFromHeaders } from '../../harness/http/redactor.js';

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

t.test('secrets shorter than 8 characters are ignored by text(), but sensitive headers are still redacted', async (t) => {
  const r = createRedactor(['abc', '', 'example', 'abcdefgh']);
  t.equal(r.text('abc example abcdefgh test@example.com'), 'abc example [redacted] test@example.com', 'a short value never rewrites other text');
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

t.test('deep() copies every object, keeps an own __proto__ key as data, with or without secrets', async (t) => {
  const withSecret = createRedactor([secret]);
  for (const r of [createRedactor([]), withSecret]) {
    const input = JSON.parse(`{"__proto__":{"polluted":${JSON.stringify(secret)}},"plain":${JSON.stringify(secret)},"inner":{"a":[1,{"b":2}]}}`) as Record<string, unknown>;
    const out = r.deep(input) as Record<string, unknown>;
    t.not(out, input, 'a new object');
    t.not(out['inner'], input['inner'], 'nested objects are copied too');
    t.ok(Object.hasOwn(out, '__proto__'), '__proto__ stays an own key');
    t.equal(Object.getPrototypeOf(out), Object.prototype, 'and does not become the prototype');
    t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'nothing is polluted');
    const shown = (out['__proto__'] as Record<string, unknown>)['polluted'];
    t.equal(out['plain'], r === withSecret ? '[redacted]' : secret, 'strings follow the redactor');
    t.equal(shown, r === withSecret ? '[redacted]' : secret, 'under __proto__ too');
  }
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

t.test('deepShared() redacts exactly as deep() does, copying only the objects on the way to a change', async (t) => {
  const make = () => {
    const evidence = { response: { bodyExcerpt: '[{"apiKey":"live-1"}]', bodySha256: 'x' } };
    return {
      clean: { message: 'nothing to hide', list: [1, 'two', { three: 3 }], none: null },
      echoed: { message: `you sent ${secret}`, nested: { deeper: [`x${secret}x`] }, untouched: { a: 1 } },
      keyed: { [secret]: 'a secret as a key' },
      evidence,
      again: evidence,
      errors: [
        { pointer: '/0/apiKey', keyword: 'type', schemaPath: '#/type', message: 'm', value: '"live-1"' },
        { pointer: '/0', keyword: 'required', schemaPath: '#/required', message: 'm', value: '{"apiKey":"live-1","id":1}' },
        { pointer: '/1', keyword: 'type', schemaPath: '#/type', message: 'm', value: '3' },
        // Found with Mockoon on adyen's document: an empty password under minLength 1 read "[redacted]", which looked like a value.
        { pointer: '/password', keyword: 'minLength', schemaPath: '#/minLength', message: 'm', value: '""' },
      ],
      when: new Date(0),
      sparse: [1, , 3],
      proto: JSON.parse(`{"__proto__":{"polluted":${JSON.stringify(secret)}}}`) as Record<string, unknown>,
    };
  };
  for (const r of [createRedactor([secret]), createRedactor([])]) {
    const input = make();
    const before = JSON.stringify(input);
    const shared = r.deepShared(input);
    t.equal(JSON.stringify(shared), JSON.stringify(r.deep(make())), 'the same JSON as deep()');
    t.equal(JSON.stringify(input), before, 'the input is left alone');
    t.equal(shared.clean, input.clean, 'an object redaction leaves alone is the input object itself');
    t.equal(shared.errors[2], input.errors[2], 'so is a schema error with nothing to mask');
    t.not(shared, input, 'an object with a change below it is a copy');
    t.not(shared.evidence, input.evidence, 'a masked excerpt is a copy');
    t.equal(shared.again, shared.evidence, 'an object shared in the input is redacted once and stays shared');
    t.not(shared.errors[0], input.errors[0]);
    t.equal(shared.errors[0]!.value, '"[redacted]"', 'a value under a secret-named field is masked whole');
    t.equal(shared.errors[1]!.value, '{"apiKey":"[redacted]","id":1}');
    t.equal(shared.errors[3]!.value, '""', 'an empty value under a secret-named field holds no secret, and is the fault: shown');
    t.equal(shared.when as unknown, '1970-01-01T00:00:00.000Z', 'a value with toJSON is serialised first');
    t.ok(Object.hasOwn(shared.proto, '__proto__'), '__proto__ stays an own key');
    t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'nothing is polluted');
    t.notOk(JSON.stringify(shared).includes('live-1'));
    if (JSON.stringify(r.deep(secret)) !== JSON.stringify(secret)) {
      t.notOk(JSON.stringify(shared).includes(secret.slice(0, 8)), 'no secret is left');
      t.not(shared.echoed, input.echoed);
      t.equal(shared.echoed.untouched, input.echoed.untouched, 'a clean branch beside a change is shared');
      t.equal(shared.echoed.nested.deeper[0], 'x[redacted]x');
      t.same(Object.keys(shared.keyed), ['[redacted]'], 'a key that is a secret is redacted');
      t.equal((shared.proto['__proto__'] as Record<string, unknown>)['polluted'], '[redacted]', 'under __proto__ too');
    } else {
      t.equal(shared.echoed, input.echoed, 'without secrets, text is left as it is');
    }
  }
  const marked = createRedactor([secret]);
  const evidence = marked.markRedacted({ curl: 'curl x' });
  const results = [{ message: 'ok', evidence }];
  t.equal(marked.deepShared(results), results, 'results whose evidence was redacted at capture are kept as they are');
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  t.throws(() => createRedactor([]).deepShared(cyclic), TypeError);
  t.throws(() => createRedactor([secret]).deepShared([cyclic]), TypeError);
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
  t.same(found, [Buffer.from('user:hunter22').toString('base64'), 'user:hunter22', 'hunter22', 'cookie-value-1', 'api-key-value'], 'values under 8 characters (dark) are not substring secrets');
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

t.test('credentials at their positions become ${VAR} placeholders in request evidence, [redacted] elsewhere', async (t) => {
  const r = createRedactor(['k3y-value-123', 'tok-abcdefgh'], {
    placements: [
      { in: 'query', name: 'api_key', variable: 'API_KEY' },
      { in: 'cookie', name: 'session', variable: 'SESSION' },
      { in: 'header', name: 'authorization', scheme: 'bearer', variable: 'TOKEN' },
      { in: 'header', name: 'X-Short', variable: 'SHORT' },
      { in: 'query', name: 'sig' },
    ],
  });
  t.equal(r.requestUrl('http://h/x?a=1&api_key=k3y-value-123&b=2'), 'http://h/x?a=1&api_key=${API_KEY}&b=2');
  t.equal(r.requestUrl('http://h/x?api_key=abc&sig=xyz'), 'http://h/x?api_key=${API_KEY}&sig=[redacted]', 'short values by position');
  t.equal(r.text('see http://h/x?api_key=abc'), 'see http://h/x?api_key=[redacted]', 'text() redacts the position too, without a placeholder');
  t.equal(r.text(r.requestUrl('http://h/x?api_key=abc')), 'http://h/x?api_key=${API_KEY}', 'a placeholder survives a second pass');
  t.same(r.requestHeaders({ Authorization: 'Bearer tok-abcdefgh', 'x-short': 'abc', cookie: 'session=s1; theme=dark; csrf_token=zz', accept: 'application/json' }), {
    Authorization: 'Bearer ${TOKEN}',
    'x-short': '${SHORT}',
    cookie: 'session=${SESSION}; theme=dark; csrf_token=[redacted]',
    accept: 'application/json',
  });
  t.same(r.headers({ 'x-short': 'abc', cookie: 'session=s1' }), { 'x-short': 'abc', cookie: '[redacted]' }, 'response headers never get placeholders');
  t.same([...r.curlVariables.variables].sort(), ['API_KEY', 'SESSION', 'SHORT', 'TOKEN']);
});

t.test('one header, two schemes: the placement whose scheme the value shows names its variable', async (t) => {
  // unleash-server's document: an apiKey named Authorization, or a bearer token. Only the token was given.
  const tokenOnly = createRedactor(['tok-abcdefgh'], {
    placements: [
      { in: 'header', name: 'Authorization' },
      { in: 'header', name: 'authorization', scheme: 'bearer', variable: 'TOKEN' },
    ],
  });
  t.same(tokenOnly.requestHeaders({ authorization: 'Bearer tok-abcdefgh' }), { authorization: 'Bearer ${TOKEN}' });
  t.same(tokenOnly.requestHeaders({ authorization: 'tok-abcdefgh' }), { authorization: '[redacted]' }, 'a value without the scheme is still redacted');
  // Both given: the apiKey value has no scheme, the token's has.
  const both = createRedactor(['k3y-value-123', 'tok-abcdefgh'], {
    placements: [
      { in: 'header', name: 'Authorization', variable: 'API_KEY' },
      { in: 'header', name: 'authorization', scheme: 'bearer', variable: 'TOKEN' },
    ],
  });
  t.same(both.requestHeaders({ Authorization: 'k3y-value-123' }), { Authorization: '${API_KEY}' });
  t.same(both.requestHeaders({ Authorization: 'Bearer tok-abcdefgh' }), { Authorization: 'Bearer ${TOKEN}' });
});

t.test('one header, several placements that know their values: the one whose credential was sent names it', async (t) => {
  // --header-env Authorization=HDR overrides the token: its value shows the bearer scheme too.
  const overridden = createRedactor(['Bearer hdr-secret-abcdef', 'other-token-123456'], {
    placements: [
      { in: 'header', name: 'Authorization' },
      { in: 'header', name: 'Authorization', variable: 'HDR', value: 'Bearer hdr-secret-abcdef' },
      { in: 'header', name: 'authorization', scheme: 'bearer', variable: 'OTHER', value: 'other-token-123456' },
    ],
  });
  t.same(overridden.requestHeaders({ authorization: 'Bearer hdr-secret-abcdef' }), { authorization: '${HDR}' }, 'the header-env value, not the token');
  t.same(overridden.requestHeaders({ authorization: 'Bearer other-token-123456' }), { authorization: 'Bearer ${OTHER}' }, 'the token where the token went');
  // An apiKey whose own value starts with "Bearer ", beside a token.
  const keyed = createRedactor(['Bearer k3y-value-123', 'tok-abcdefgh'], {
    placements: [
      { in: 'header', name: 'Authorization', variable: 'API_KEY', value: 'Bearer k3y-value-123' },
      { in: 'header', name: 'authorization', scheme: 'bearer', variable: 'TOKEN', value: 'tok-abcdefgh' },
    ],
  });
  t.same(keyed.requestHeaders({ Authorization: 'Bearer k3y-value-123' }), { Authorization: '${API_KEY}' });
  t.same(keyed.requestHeaders({ Authorization: 'bearer\ttok-abcdefgh' }), { Authorization: 'bearer ${TOKEN}' }, 'any case and whitespace after the scheme');
  // Was `Bearer ${TOKEN}`: the curl line then sent the real token, and a 401 recorded for a forged one read 200.
  t.same(keyed.requestHeaders({ Authorization: 'Bearer someone-elses-token' }), { Authorization: 'Bearer [redacted]' }, 'a value no placement carries names no variable');
  t.same(keyed.requestHeaders({ Authorization: 'Bearer interop-harness-invalid-token' }), { Authorization: 'Bearer interop-harness-invalid-token' }, "the harness's forged token is shown as sent");
  t.same(keyed.requestHeaders({ Authorization: 'bearer  interop-harness-invalid-token' }), { Authorization: 'bearer  interop-harness-invalid-token' });
  t.same(keyed.requestHeaders({ 'X-Other': 'Bearer interop-harness-invalid-token' }), { 'X-Other': 'Bearer interop-harness-invalid-token' }, 'not a secret anywhere');
  t.same(keyed.requestHeaders({ Authorization: 'Bearer interop-harness-invalid-token-tok-abcdefgh' }), { Authorization: 'Bearer [redacted]' }, 'only the forged token itself');
});

t.test('secret-named fields in responses are masked, in JSON cut short, in forms, and by --redact-field', async (t) => {
  const r = createRedactor([], { fields: ['ssn'] });
  const body = '{"items":[{"name":"ci","token":"live-aaaa","tokenType":"bearer","nextPageToken":"p2","api_key":"k","clientSecret":"s","private_key":"-----BEGIN","pin":1234,"password":123456,"ssn":"123-45","email":"test@example.com","setupCode":"X-HM://0023","shipping":"post","spin":"up","mapPin":"A1"}],"access_token":"live-cut-sho';
  t.equal(
    r.maskFields(body),
    '{"items":[{"name":"ci","token":"[redacted]","tokenType":"bearer","nextPageToken":"p2","api_key":"[redacted]","clientSecret":"[redacted]","private_key":"[redacted]","pin":"[redacted]","password":"[redacted]","ssn":"[redacted]","email":"test@example.com","setupCode":"[redacted]","shipping":"post","spin":"up","mapPin":"A1"}],"access_token":"[redacted]"',
  );
  t.equal(r.maskFields('grant=x&refresh_token=abc&scope=read'), 'grant=x&refresh_token=[redacted]&scope=read');
  // Found on n8n 1.123: the invite link's two ids claim the account, and the report kept it for any reader.
  const plain = createRedactor([]);
  t.equal(
    plain.responseExcerpt(Buffer.from('[{"user":{"id":"u1","inviteAcceptUrl":"http://127.0.0.1:5678/signup?inviterId=a&inviteeId=b","avatarUrl":"http://x/a.png"},"error":""}]'), 4096),
    '[{"user":{"id":"u1","inviteAcceptUrl":"[redacted]","avatarUrl":"http://x/a.png"},"error":""}]',
  );
  // Review: word orders the endings missed.
  for (const name of ['passwordResetUrl', 'magic_link', 'activationLink', 'email_verification_url', 'invitationUrl', 'resetPasswordUrl', 'resetPasswordLink', 'magicLinkUrl', 'inviteAcceptLink', 'verifyEmailUrl', 'confirmUrl', 'action_link']) {
    t.ok(plain.maskFields(`{"${name}":"https://x/y?k=1"}`).includes('[redacted]'), name);
  }
  // Third review: written as one word, or with the word inside another, they were shown.
  for (const name of ['magiclink', 'resetlink', 'invitelink', 'confirmurl', 'signupurl', 'passwordreset_url', 'emailverification_url', 'pwresetLink', 'acceptUrl', 'accept_link']) {
    t.ok(plain.maskFields(`{"${name}":"https://app.example/invitations/8f3Kq9x7Lm2Pz4"}`).includes('[redacted]'), name);
  }
  for (const name of ['signUpUrl', 'inviteLinks', 'one_time_login_url']) t.ok(plain.maskFields(`{"${name}":"https://x/y?k=1"}`).includes('[redacted]'), name);
  // Second review: a substring test masked these.
  for (const name of ['avatarUrl', 'homepage_url', 'selfLink', 'next', 'transactionUrl', 'reactionsUrl', 'acceptedTermsUrl', 'resetAt']) t.notOk(plain.maskFields(`{"${name}":"https://x/y?k=1"}`).includes('[redacted]'), `${name} is no key`);
  t.notOk(isSecretFieldName('inviteUrl'), 'a parameter so named is still filled: masking is for evidence');
  // A compound name split where its words join is the same name (`pass_code` is `passcode`):
  // a quick test ahead of masking looked for the joined words and let these through.
  for (const name of ['pass_word', 'pass_wd', 'pass_phrase', 'pass_code', 'Pass-Code', 'setup_code', 'set_up_code', 'api_key', 'private_key', 'access_key', 'secret_key', 'session_id', 'client_secret', 'access_token']) {
    t.equal(plain.maskFields(`{"${name}":"abcdefgh12"}`), `{"${name}":"[redacted]"}`, name);
    t.equal(plain.maskFields(`${name}=abcdefgh12`), `${name}=[redacted]`, `${name} in a form`);
  }
  // Found on Directus 11.3: its settings answer mapbox_key, a flow's outgoing headers are name/value pairs,
  // and a collection's fields took any name; each was written into the report as it came.
  t.equal(
    plain.maskFields(JSON.stringify({ mapbox_key: 'pk.eyJ1IjoiZXhhbXBsZSJ9.abc', signing_key: '9f86d081884c7d659a2f', license_key: 'AB12C-DE34F-GH56I-JK78L', secret_value: 'v1', SecretString: 'aws', secret_id: 'e4a7c1d0', otp_code: '123456', mfaCode: '654321', recovery_codes: 'r1' })),
    JSON.stringify({ mapbox_key: '[redacted]', signing_key: '[redacted]', license_key: '[redacted]', secret_value: '[redacted]', SecretString: '[redacted]', secret_id: '[redacted]', otp_code: '[redacted]', mfaCode: '[redacted]', recovery_codes: '[redacted]' }),
  );
  const identifiers = JSON.stringify({ key: 'dark-mode', projectKey: 'PROJ', primary_key: 'id', sortKey: 'name', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5', secretName: 'db', secretArn: 'arn:x', client_secret_expires_at: 0, pincode: '560001' });
  t.equal(plain.maskFields(identifiers), identifiers, 'keys that name or order records, and names of secrets, are shown');
  // Review: the *key rule hid record identifiers (Camunda 8, Camunda 7, Confluence); only a long key-like value is masked.
  const records = '{"processInstanceKey":"2251799813685249","processDefinitionKey":2251799813685100,"userTaskKey":"2251799813686001","businessKey":"order-4711","spaceKey":"DEV"}';
  t.equal(plain.maskFields(records), records, 'identifiers stay readable');
  t.equal(plain.deep({ pointer: '/items/0/processInstanceKey', schemaPath: '#/type', keyword: 'type', message: 'must be string', value: '"2251799813685249"' }).value, '"2251799813685249"', 'and so do schema error values about them');
  t.equal(plain.deep({ pointer: '/signing_key', schemaPath: '#/format', keyword: 'format', message: 'm', value: '"9f86d081884c7d659a2feaa0"' }).value, '"[redacted]"');
  t.equal(plain.maskFields('hmac_key=9f86d081884c7d659a2feaa0&a=1'), 'hmac_key=[redacted]&a=1', 'in a form too');
  t.equal(
    plain.maskFields(JSON.stringify({ headers: [{ header: 'Authorization', value: 'Bearer op-1' }, { header: 'X-Auth-Token', value: 't2' }, { header: 'Accept', value: 'application/json' }] })),
    JSON.stringify({ headers: [{ header: 'Authorization', value: '[redacted]' }, { header: 'X-Auth-Token', value: '[redacted]' }, { header: 'Accept', value: 'application/json' }] }),
    "a name/value pair's value is masked when its name is a credential header's",
  );
  t.equal(
    plain.maskFields(JSON.stringify({ env: [{ value: 'pw-1', name: 'DB_PASSWORD' }, { key: 'token', value: 'tk' }, { name: 'author', value: 'Ann' }, { name: 'Authorization', value: 'Basic eA==' }] })),
    JSON.stringify({ env: [{ value: '[redacted]', name: 'DB_PASSWORD' }, { key: 'token', value: '[redacted]' }, { name: 'author', value: 'Ann' }, { name: 'Authorization', value: '[redacted]' }] }),
    'in either order, and by the field rules for a name that is no header',
  );
  // Second review: a PEM block holds spaces, and a key the excerpt cuts short is shorter than 16 characters.
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n';
  for (const name of ['tls.key', 'signing_key', 'client_key', 'ssl_key']) t.equal(plain.maskFields(JSON.stringify({ [name]: pem })), JSON.stringify({ [name]: '[redacted]' }), `${name} holding a PEM block`);
  const keyed = Buffer.from(JSON.stringify({ signing_key: '9f86d081884c7d659a2feaa0c55ad015' }));
  t.equal(plain.responseExcerpt(keyed, keyed.indexOf('9f86') + 10), '{"signing_key":"[redacted]"', 'no prefix of a key cut short');
  t.equal(plain.responseExcerpt(Buffer.from('{"spaceKey":"DEV"}'), 15), '{"spaceKey":"[redacted]"', "cut short, a key's length is unknown: even an identifier's start is masked");
  t.equal(plain.maskFields('{"spaceKey":"DEV\\"}'), '{"spaceKey":"[redacted]"', 'an escaped quote does not close it: the text was cut inside the string');
  // Third review: a form value cut at the excerpt's end, PGP and PuTTY private keys, and *key name/value pairs.
  const form = Buffer.from('a=1&signing_key=9f86d081884c7d659a2feaa0c55ad015');
  t.equal(plain.responseExcerpt(form, form.indexOf('9f86') + 10), 'a=1&signing_key=[redacted]');
  for (const key of ['-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF0AAAAB\n-----END PGP PRIVATE KEY BLOCK-----', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\nAAAAIB']) {
    t.equal(plain.maskFields(JSON.stringify({ signing_key: key })), '{"signing_key":"[redacted]"}', key.slice(0, 24));
  }
  t.equal(
    plain.maskFields(JSON.stringify({ env: [{ name: 'SIGNING_KEY', value: '9f86d081884c7d659a2feaa0c55ad015' }, { name: 'SPACE_KEY', value: 'DEV' }] })),
    JSON.stringify({ env: [{ name: 'SIGNING_KEY', value: '[redacted]' }, { name: 'SPACE_KEY', value: 'DEV' }] }),
    'a name/value pair is judged as the member would be',
  );
  // Fourth review: a complete form body ending in an identifier keeps it; only an excerpt cut there is in doubt.
  t.equal(plain.maskFields('a=1&spaceKey=DEV'), 'a=1&spaceKey=DEV');
  const whole = Buffer.from('status=ok&businessKey=order-4711');
  t.equal(plain.responseExcerpt(whole, whole.length), 'status=ok&businessKey=order-4711', 'a whole body, not cut');
  // Review: the quick test must never pass over a name the masking would hide.
  const unfiltered = createRedactor([], { fields: ['an-unused-extra-field'] });
  for (const body of ['{"2_fa_code": "913 442"}', '{"back_up_code": "k3j9-22ma"}', '{"Setup__Code": "031-45-154"}', '{"\\u0074oken": "eyJhbGciOiJIUzI1NiJ9.e30.x"}', '{"api_\u212Aey": "sk_live_abcdef"}', 'a=1&%70assword=hunter22']) {
    const masked = unfiltered.maskFields(body);
    t.match(masked, /\[redacted\]/, `masked without the quick test: ${body}`);
    t.equal(plain.maskFields(body), masked, `and with it: ${body}`);
  }
  // Left open last session: key links whose names hold none of the words. Masked when they hold a link.
  t.equal(
    plain.maskFields('{"ticket":"https://tenant.auth0.com/lo/reset?ticket=Xy7Qm#","start_url":"https://zoom.us/s/1?zak=eyJ","join_url":"https://zoom.us/j/1"}'),
    '{"ticket":"[redacted]","start_url":"[redacted]","join_url":"https://zoom.us/j/1"}',
  );
  t.equal(plain.maskFields('ticket=https%3A%2F%2Ftenant.auth0.com%2Flo%2Freset%3Fticket%3DXy&id=1'), 'ticket=[redacted]&id=1', 'in a form body too');
  t.equal(plain.maskFields('{"ticket":4711,"startUrl":"/relative"}'), '{"ticket":4711,"startUrl":"/relative"}', 'a helpdesk ticket id is no key');
  t.equal(
    plain.deep({ pointer: '/ticket', keyword: 'format', schemaPath: '#/format', message: 'm', value: '"https://tenant.auth0.com/lo/reset?ticket=Xy"' }).value,
    '"[redacted]"',
    'nor is it shown as a schema error value',
  );
  t.equal(r.maskFields('{"note":"the \\"token\\": \\"x\\" text"}'), '{"note":"the \\"token\\": \\"x\\" text"}', 'a key inside a string is left alone');
  t.equal(r.responseExcerpt(Buffer.from('{"secret":"abcdef","id":1}'), 15), '{"secret":"[redacted]"');
  const report = r.deep({
    evidence: { response: { bodyExcerpt: '[{"apiKey":"live-1"}]', bodySha256: 'x' } },
    errors: [
      { pointer: '/0/apiKey', keyword: 'type', schemaPath: '#/type', message: 'm', value: '"live-1"' },
      { pointer: '/0', keyword: 'required', schemaPath: '#/required', message: 'm', value: '{"apiKey":"live-1","id":1}' },
    ],
  });
  t.notOk(JSON.stringify(report).includes('live-1'), 'excerpts and schema error values are masked in the report');
  t.equal(report.errors[1]!.value, '{"apiKey":"[redacted]","id":1}');
});
