/**
 * The allow-list behind INTEROP_ALLOWED_TARGETS: its grammar, what it admits
 * before any DNS, and (through a real client and a real server on loopback)
 * that the address a name resolves to is checked where the connection is made.
 */
import t from 'tap';
import { createHttpClient } from '../../harness/http/http-client.js';
import { createRedactor } from '../../harness/http/redactor.js';
import { addressAllowed, admitUrl, parseAllowedTargets } from '../../harness/http/target-allow-list.js';
import { get, startServer, testLimits } from './test-server.js';

const SOURCE = 'INTEROP_ALLOWED_TARGETS';
const parse = (value: string | undefined) => parseAllowedTargets(value, SOURCE);
const admitted = (list: string | undefined, url: string) => admitUrl(parse(list), url);

t.test('the three entry forms are accepted, with spaces around commas', async (t) => {
  const allowed = parse(' https://sandbox.vendor.example , *.vendor.example,10.20.0.0/16, 2001:db8:42::/48, http://127.0.0.1:8080/ ');
  t.same(allowed.entries?.suffixes, ['.vendor.example']);
  t.equal(allowed.entries?.ranges.length, 2);
  t.ok(allowed.entries?.origins.has('http://127.0.0.1:8080'), 'a trailing / is allowed and dropped');
  t.equal(parse(undefined).entries, undefined, 'unset: no list');
  t.equal(parse('  ').entries, undefined, 'blank (compose passes an unset variable as empty): no list');
});

t.test('a malformed entry is refused, naming the entry and what is wrong', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['https://a.example,,https://b.example', /entry 2 "" is empty/],
    ['10.20.1.0/16', /entry 1 "10\.20\.1\.0\/16" has host bits set: the range it names is 10\.20\.0\.0\/16/],
    ['fe80::1/10', /has host bits set: the range it names is fe80::\/10/],
    ['10.0.0.0/33', /has a prefix over 32/],
    ['2001:db8::/129', /has a prefix over 128/],
    ['sandbox.vendor.example', /is not an origin \(https:\/\/sandbox\.vendor\.example\), a host wildcard/],
    ['10.0.0.1', /one address is 10\.20\.0\.5\/32/],
    ['*', /is not an origin/],
    ['*.', /is not a host wildcard/],
    ['*.bad_label.example', /is not a host wildcard/],
    ['ftp://files.example', /the scheme must be http or https/],
    ['https://a.example/api', /nothing may follow the host and port/],
    ['https://a.example?key=1', /nothing may follow the host and port/],
    ['https://*.a.example', /write a host wildcard without a scheme/],
    ['https://user:pw@a.example', /must not carry credentials/],
    ['::ffff:10.0.0.0/104', /write it in IPv4 form/],
    ['010.0.0.0/8', /is not a CIDR range/],
  ];
  for (const [value, message] of cases) {
    t.throws(() => parse(value), { name: 'HarnessError', code: 'ALLOWED_TARGETS_INVALID', message: message }, value);
    t.throws(() => parse(value), { message: /^INTEROP_ALLOWED_TARGETS entry \d+ / }, 'the message names the variable and the entry');
  }
});

t.test('origins match exactly; wildcards match names under them; ranges match IP hosts', async (t) => {
  const list = 'https://sandbox.vendor.example, *.other.example, http://127.0.0.1:8080, 10.20.0.0/16';
  t.match(admitted(list, 'https://sandbox.vendor.example/api/v1'), { allowed: true, rule: 'named' });
  t.match(admitted(list, 'https://SANDBOX.vendor.example.:443/'), { allowed: true, rule: 'named' }, 'case, trailing dot and default port do not matter');
  t.match(admitted(list, 'http://sandbox.vendor.example/'), { allowed: true, rule: 'ranges' }, 'another scheme is another origin: left to the ranges');
  t.match(admitted(list, 'https://a.b.other.example:8443/'), { allowed: true, rule: 'named' });
  t.match(admitted(list, 'http://127.0.0.1:8080/x'), { allowed: true });
  t.match(admitted(list, 'http://127.0.0.1:8081/'), { allowed: false, reason: /http:\/\/127\.0\.0\.1:8081 is outside INTEROP_ALLOWED_TARGETS/ });
  t.match(admitted(list, 'http://10.20.3.4:9000/'), { allowed: true });
  t.match(admitted(list, 'http://10.21.0.1/'), { allowed: false });
  t.match(admitted(list, 'http://[::1]/'), { allowed: false });
  const namesOnly = 'https://sandbox.vendor.example, *.other.example';
  t.match(admitted(namesOnly, 'https://other.example/'), { allowed: false }, 'a wildcard does not match the name itself');
  t.match(admitted(namesOnly, 'https://evil-other.example/'), { allowed: false }, 'nor a name that merely ends the same');
  t.match(admitted(namesOnly, 'http://sandbox.vendor.example/'), { allowed: false }, 'with no ranges, an unlisted name is refused outright');
});

t.test('cloud metadata addresses are refused with or without a list, in every spelling', async (t) => {
  for (const list of [undefined, '169.254.0.0/16, http://169.254.169.254']) {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/', 'http://100.100.100.200/', 'http://[fd20:ce::254]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:a9fe:a9fe::1]/', 'http://[::a9fe:a9fe]/']) {
      t.match(admitted(list, url), { allowed: false, reason: /cloud metadata address/ }, `${url} with ${list ?? 'no list'}`);
    }
  }
  t.match(admitted(undefined, 'http://10.0.0.1/'), { allowed: true, rule: 'any' }, 'without a list, private addresses stay reachable (compatibility)');
  t.notOk(addressAllowed(parse(undefined), 'any', '169.254.169.254'), 'a name resolving to metadata is refused at connect time');
  t.notOk(addressAllowed(parse(undefined), 'any', '::ffff:169.254.169.254'));
  t.notOk(addressAllowed(parse(undefined), 'any', 'fd00:ec2::254'));
  t.ok(addressAllowed(parse(undefined), 'any', '10.0.0.1'));
});

t.test('a listed name reaches public addresses, and private ones only through a listed range', async (t) => {
  const allowed = parse('https://sandbox.vendor.example, 10.20.0.0/16, 2001:db8:42::/48');
  t.ok(addressAllowed(allowed, 'named', '203.0.114.7'), 'public');
  t.notOk(addressAllowed(allowed, 'named', '10.1.2.3'), 'private, outside the ranges');
  t.ok(addressAllowed(allowed, 'named', '10.20.1.2'), 'private, inside a range');
  t.ok(addressAllowed(allowed, 'named', '::ffff:10.20.1.2'), 'IPv4-mapped counts as IPv4');
  t.notOk(addressAllowed(allowed, 'named', '127.0.0.1'));
  t.notOk(addressAllowed(allowed, 'named', '::1'));
  t.notOk(addressAllowed(allowed, 'named', 'fe80::1%eth0'));
  t.notOk(addressAllowed(allowed, 'named', 'fd12:3456::1'), 'unique-local');
  t.ok(addressAllowed(allowed, 'named', '2001:db8:42::9'));
  t.notOk(addressAllowed(allowed, 'ranges', '203.0.114.7'), 'an unlisted name reaches only the ranges, public or not');
  t.ok(addressAllowed(allowed, 'ranges', '10.20.255.255'));
});

t.test('at connect time: a name that resolves outside the list is never connected to', async (t) => {
  const server = await startServer((_req, res) => res.end('{"ok":true}'));
  t.teardown(server.close);
  // `localhost` resolves (from /etc/hosts, no query leaves the machine) to loopback: private.
  const url = `http://localhost:${server.port}`;
  const refusing = createHttpClient({ targetUrl: url, limits: testLimits(), redactor: createRedactor([]), allowedTargets: parse(url) });
  t.teardown(() => refusing.close());
  const refused = await refusing.send(get(`${url}/persons`));
  t.equal(refused.response, undefined);
  t.equal(refused.transportError?.code, 'connection-refused');
  t.match(refused.transportError?.message, /^not connected: localhost resolves to [^,]*127\.0\.0\.1.*, not a public address and in no range INTEROP_ALLOWED_TARGETS lists$/);
  t.equal(server.requests.length, 0, 'nothing reached the server');

  // The same name with loopback's range listed: the lookup keeps 127.0.0.1 and drops ::1.
  const allowing = createHttpClient({ targetUrl: url, limits: testLimits(), redactor: createRedactor([]), allowedTargets: parse(`${url}, 127.0.0.0/8`) });
  t.teardown(() => allowing.close());
  const answered = await allowing.send(get(`${url}/persons`));
  t.equal(answered.response?.status, 200, answered.transportError?.message ?? '');
  t.equal(server.requests.length, 1);
});

t.test('a client for a URL off the list refuses before any connection', async (t) => {
  const server = await startServer((_req, res) => res.end('ok'));
  t.teardown(server.close);
  t.throws(
    () => createHttpClient({ targetUrl: server.origin, limits: testLimits(), redactor: createRedactor([]), allowedTargets: parse('10.20.0.0/16') }),
    { name: 'HarnessError', code: 'TARGET_NOT_ALLOWED', message: /^not sent: http:\/\/127\.0\.0\.1:\d+ is outside INTEROP_ALLOWED_TARGETS/ },
  );
  t.equal(server.requests.length, 0);
});
