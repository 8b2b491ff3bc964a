import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyRequest } from 'fastify';
import t, { type Test } from 'tap';
import { listen } from '../support/listen.js';
import { runCli, type CliOutcome } from '../support/run-cli.js';

/**
 * Credentials applied the way the document's security schemes say, from the
 * environment only, and never written anywhere: an apiKey in the query (also
 * listed as a parameter), a cookie scheme, HTTP basic, explicit placements.
 * Every output is searched for every secret; the curl lines are run.
 */

const API_KEY = 'qk-51c0f9e2d7a4-live';
const SHORT_KEY = 'Zq9x7';
const SID = 'sid-7b3e19aa04c2';
const USER = 'probe-user';
const PASSWORD = 'pw-6d1f-basic-secret';
const HEADER_KEY = 'hk-2c8e4a0b9f13';
/** Other users' live tokens, returned by a list endpoint: the supplier's own secrets. */
const LIVE = ['live-a81f3c0e9d2b7', 'live-c44e0d1b8a39f'];

const okJson = { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Item' } } } } };

const queryKeyDocument = {
  openapi: '3.0.3',
  info: { title: 'query keys', version: '1' },
  components: {
    securitySchemes: { api_key: { type: 'apiKey', in: 'query', name: 'api_key' } },
    schemas: { Item: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, email: { type: 'string' }, token: { type: 'string' } } } },
  },
  security: [{ api_key: [] }],
  paths: {
    '/items': {
      get: {
        operationId: 'listItems',
        // The document also lists the key as a parameter, and a credential-named header with no example.
        parameters: [
          { name: 'api_key', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'X-Api-Key', in: 'header', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': okJson, '401': { description: 'no key' } },
      },
    },
    '/health': { get: { operationId: 'health', security: [], responses: { '200': { description: 'ok' } } } },
  },
};

const cookieBasicDocument = {
  openapi: '3.0.3',
  info: { title: 'cookies and basic', version: '1' },
  components: {
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' }, basicAuth: { type: 'http', scheme: 'basic' } },
    schemas: { Item: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
  },
  paths: {
    '/me': { get: { operationId: 'me', security: [{ session: [] }], responses: { '200': okJson, '401': { description: 'no' } } } },
    '/admin': { get: { operationId: 'admin', security: [{ basicAuth: [] }], responses: { '200': okJson, '401': { description: 'no' } } } },
    '/signed': { get: { operationId: 'signed', responses: { '200': okJson, '401': { description: 'no' } } } },
  },
};

interface Seen {
  url: string;
  headers: FastifyRequest['headers'];
}

async function supplier(t: Test) {
  const seen: Seen[] = [];
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request) => {
    seen.push({ url: request.url, headers: { ...request.headers } });
  });
  const items = [{ name: 'ci', email: 'test@example.com', token: LIVE[0] }, { token: LIVE[1] }];
  app.get('/items', (request, reply) => {
    const key = (request.query as Record<string, string>).api_key;
    if (key !== API_KEY && key !== SHORT_KEY) return reply.code(401).send({ error: 'no key', youSent: key ?? null });
    return reply.type('application/json').send(items);
  });
  app.get('/health', (_request, reply) => reply.send());
  app.get('/me', (request, reply) =>
    /(^|; )sid=sid-7b3e19aa04c2(;|$)/.test(request.headers.cookie ?? '') ? reply.send([{ name: 'me' }]) : reply.code(401).send({ echo: request.headers.cookie ?? null }),
  );
  app.get('/admin', (request, reply) =>
    request.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` ? reply.send([{ name: 'admin' }]) : reply.code(401).send({ echo: request.headers.authorization ?? null }),
  );
  app.get('/signed', (request, reply) =>
    request.headers['x-api-key'] === HEADER_KEY ? reply.send([{ name: 'signed' }]) : reply.code(401).send({}),
  );
  const target = await listen(t, app);
  return { target, seen };
}

/** One test folder (t.testdir() empties it on every call): the document in profile/, reports in out/. */
function setUp(t: Test, document: unknown): { profile: string; out: string; root: string } {
  const root = t.testdir({ profile: {}, out: {}, work: {} });
  const profile = join(root, 'profile', 'openapi.json');
  writeFileSync(profile, JSON.stringify(document));
  return { profile, out: join(root, 'out'), root };
}

function writeDocument(root: string, name: string, document: unknown): string {
  const path = join(root, 'profile', name);
  writeFileSync(path, JSON.stringify(document));
  return path;
}

function outputs(outcome: CliOutcome, out: string): Record<string, string> {
  const files: Record<string, string> = { stdout: outcome.stdout, stderr: outcome.stderr };
  for (const file of readdirSync(out)) files[file] = readFileSync(join(out, file), 'utf8');
  return files;
}

function assertAbsent(t: Test, files: Record<string, string>, secrets: string[]): void {
  t.ok(files['report.json'] && files['junit.xml'] && files['report.html'] && files['report.md'], 'json, junit, html and md written');
  for (const [name, text] of Object.entries(files)) {
    for (const secret of secrets) {
      const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').replace(/=+$/, '')];
      t.notOk(forms.some((form) => text.includes(form)), `${secret} absent from ${name}`);
    }
  }
}

interface Report {
  results: Array<{ operationId: string; check: string; negative?: { mutation: string }; evidence?: { curl: string; request: { url: string; headers: Record<string, string> } } }>;
  profile: { source: string; warnings: Array<{ code: string; message: string }> };
  invocation: { argv: string[] };
}

function curlFor(report: Report, operationId: string): string {
  const curl = report.results.find((r) => r.operationId === operationId && r.evidence)?.evidence?.curl;
  if (!curl) throw new Error(`no curl line for ${operationId}`);
  return curl;
}

/** Run a curl line from a report in a shell where the secrets' variables are set; returns the status code. */
async function runCurl(curl: string, env: Record<string, string>): Promise<string> {
  // Asynchronously: the supplier answering it runs in this process.
  const { stdout } = await promisify(execFile)('sh', ['-c', `${curl} -s -o /dev/null -w '%{http_code}'`], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000 });
  return stdout;
}

t.test('--api-key-env: the key goes in the query where the scheme says, never in public operations, and appears in no output', async (t) => {
  const { target, seen } = await supplier(t);
  const { profile, out } = setUp(t, queryKeyDocument);
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--api-key-env', 'KEY_VAR', '--format', 'json,junit,html,md', '--out', out], { env: { KEY_VAR: API_KEY } });
  t.not(outcome.code, 2, outcome.stderr);
  const items = seen.find((s) => s.url.startsWith('/items?'));
  t.ok(items, 'listItems was sent');
  t.equal(new URL(items!.url, target).searchParams.getAll('api_key').join(','), API_KEY, 'the key, once, from the environment (not the parameter example)');
  t.equal(items!.headers['x-api-key'], undefined, 'the credential-named header with no example is left out, not sent as "example"');
  t.notOk(seen.some((s) => s.url.startsWith('/health') && s.url.includes('api_key')), 'security: [] gets no credential');

  const files = outputs(outcome, out);
  assertAbsent(t, files, [API_KEY, ...LIVE]);
  t.match(files['report.json'], /test@example\.com/, 'redaction never rewrites other text');
  t.notMatch(files['report.json'], /\[redacted\]\.com/);
  const report = JSON.parse(files['report.json']!) as Report;
  t.notOk(report.profile.warnings.some((w) => w.code === 'credentials-missing'), 'no missing-credentials warning when the key is given');
  const curl = curlFor(report, 'listItems');
  t.match(curl, /api_key='"\$\{KEY_VAR\}"/, `the curl line names the variable at the secret position: ${curl}`);
  t.equal(await runCurl(curl, { KEY_VAR: API_KEY }), '200', 'the curl line reproduces the request');
  t.equal(new URL(seen.at(-1)!.url, target).searchParams.get('api_key'), API_KEY, 'curl sent the key from the environment');
});

const TOKEN = 'tok-9e4a2f7c1b35-bearer';

/** unleash-server's shape: one header, two schemes (an apiKey named Authorization, or a bearer token there). */
const twoSchemesDocument = {
  openapi: '3.0.3',
  info: { title: 'two schemes for Authorization', version: '1' },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'Authorization' }, bearerToken: { type: 'http', scheme: 'bearer' } },
    schemas: { Item: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
  },
  security: [{ apiKey: [] }, { bearerToken: [] }],
  paths: { '/tokened': { get: { operationId: 'tokened', responses: { '200': okJson, '401': { description: 'no' } } } } },
};

/** GET /tokened: 200 for `Bearer ${TOKEN}`, 401 for anything else; `seen` holds each request. */
async function tokenedSupplier(t: Test): Promise<{ target: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const app = Fastify({ logger: false });
  app.get('/tokened', (request, reply) => {
    seen.push({ url: request.url, headers: { ...request.headers } });
    return request.headers.authorization === `Bearer ${TOKEN}` ? reply.send([{ name: 'ok' }]) : reply.code(401).send({});
  });
  return { target: await listen(t, app), seen };
}

t.test('--token-env on a document with an apiKey and a bearer scheme for Authorization: the curl line names the variable and reproduces the request', async (t) => {
  const { target, seen } = await tokenedSupplier(t);
  const { profile, out } = setUp(t, twoSchemesDocument);
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--token-env', 'TOKEN_VAR', '--format', 'json,junit,html,md', '--out', out], { env: { TOKEN_VAR: TOKEN } });
  t.equal(outcome.code, 0, outcome.stderr);
  t.equal(seen[0]?.headers.authorization, `Bearer ${TOKEN}`, 'the token went as a bearer token');
  const files = outputs(outcome, out);
  assertAbsent(t, files, [TOKEN]);
  const report = JSON.parse(files['report.json']!) as Report;
  const curl = curlFor(report, 'tokened');
  // Was `Bearer [redacted]`: the apiKey scheme's placement, which no value was given for, shadowed the token's.
  t.match(curl, /authorization: Bearer '"\$\{TOKEN_VAR\}"/, `the curl line names the variable: ${curl}`);
  t.equal(report.results.find((r) => r.operationId === 'tokened' && r.evidence)?.evidence?.request.headers.authorization, 'Bearer ${TOKEN_VAR}', 'so does the request evidence');
  t.equal(await runCurl(curl, { TOKEN_VAR: TOKEN }), '200', 'the curl line reproduces the request');
  t.equal(seen.at(-1)?.headers.authorization, `Bearer ${TOKEN}`, 'curl sent the token from the environment');

  // --header-env on the same header overrides the token: the evidence names that variable, and curl sends that value.
  const HEADER_VALUE = `Bearer ${TOKEN}`;
  const again = setUp(t, twoSchemesDocument);
  const overridden = await runCli(['run', '--profile', again.profile, '--target', target, '--header-env', 'Authorization=HDR_VAR', '--token-env', 'OTHER_VAR', '--out', again.out, '-q', '--format', 'json'], {
    env: { HDR_VAR: HEADER_VALUE, OTHER_VAR: 'other-token-5e1d3b7a' },
  });
  t.equal(overridden.code, 0, overridden.stderr);
  t.equal(seen.at(-1)?.headers.authorization, HEADER_VALUE, 'the --header-env value was sent');
  const overriddenCurl = curlFor(JSON.parse(readFileSync(join(again.out, 'report.json'), 'utf8')) as Report, 'tokened');
  t.match(overriddenCurl, /authorization: '"\$\{HDR_VAR\}"/, `the curl line names the header's variable, not the token's: ${overriddenCurl}`);
  t.equal(await runCurl(overriddenCurl, { HDR_VAR: HEADER_VALUE, OTHER_VAR: 'other-token-5e1d3b7a' }), '200', 'and reproduces the request');
});

t.test('--negative with --token-env: the forged token is shown as sent, so the curl line of a 401 repeats the 401', async (t) => {
  const { target, seen } = await tokenedSupplier(t);
  const { profile, out } = setUp(t, twoSchemesDocument);
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--token-env', 'TOKEN_VAR', '--negative', '--seed', '1', '--format', 'json,junit,html,md', '--out', out], { env: { TOKEN_VAR: TOKEN } });
  t.not(outcome.code, 2, outcome.stderr);
  const files = outputs(outcome, out);
  assertAbsent(t, files, [TOKEN]);
  const report = JSON.parse(files['report.json']!) as Report;
  const forged = report.results.find((r) => r.check === 'ignored-auth' && r.negative?.mutation === 'invalid-token');
  t.ok(forged?.evidence, 'the invalid-token case was sent');
  // Was `Bearer ${TOKEN_VAR}`: run with the variable set, that line sent the real token and got 200, not the recorded 401.
  t.equal(forged?.evidence?.request.headers.authorization, 'Bearer interop-harness-invalid-token', 'the request evidence shows the token sent');
  t.match(forged?.evidence?.curl, /authorization: Bearer interop-harness-invalid-token'/);
  t.notMatch(forged?.evidence?.curl, /TOKEN_VAR/);
  t.equal(await runCurl(forged!.evidence!.curl, { TOKEN_VAR: TOKEN }), '401', 'the curl line repeats the request that was judged');
  t.equal(await runCurl(curlFor(report, 'tokened'), { TOKEN_VAR: TOKEN }), '200', "the valid probe's line still sends the real token");
});

t.test('--var for a parameter a security scheme names is that scheme\'s credential and a secret, however short', async (t) => {
  const { target, seen } = await supplier(t);
  const { profile, out } = setUp(t, queryKeyDocument);
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--var', `api_key=${SHORT_KEY}`, '--format', 'json,junit,html,md', '--out', out]);
  t.not(outcome.code, 2, outcome.stderr);
  const items = seen.find((s) => s.url.startsWith('/items?'));
  t.equal(new URL(items!.url, target).searchParams.getAll('api_key').join(','), SHORT_KEY, 'the --var value is sent as the key');
  const files = outputs(outcome, out);
  assertAbsent(t, files, [SHORT_KEY, ...LIVE]);
  const report = JSON.parse(files['report.json']!) as Report;
  t.ok(report.invocation.argv.includes('api_key=[redacted]'), 'the command line in the report hides it');
  t.match(curlFor(report, 'listItems'), /api_key=\[redacted\]/, 'redacted at its own position only');
});

t.test('no credentials for a secured document: said before probing', async (t) => {
  const { target } = await supplier(t);
  const { profile, out } = setUp(t, queryKeyDocument);
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--out', out]);
  const warning = outcome.stdout.indexOf("the document declares security (apiKey 'api_key' in query (api_key)) and no credentials were given: pass --api-key-env VAR");
  t.ok(warning >= 0, 'the warning names the scheme and the flag');
  t.ok(warning < outcome.stdout.indexOf('report written'), 'before the run ends');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  t.equal(report.profile.warnings[0]?.code, 'credentials-missing', 'first among the warnings');
  const items = report.results.find((r) => r.operationId === 'listItems' && r.evidence);
  t.notMatch(items?.evidence?.request.url ?? '', /api_key=/, 'the key parameter is left out, not invented');
});

t.test('a cookie scheme, basic and explicit placements: each sent as declared, reproducible, in no output', async (t) => {
  const { target, seen } = await supplier(t);
  const { profile, out } = setUp(t, cookieBasicDocument);
  const env = { SID_VAR: SID, U: USER, P: PASSWORD, HK: HEADER_KEY };
  const outcome = await runCli(
    ['run', '--profile', profile, '--target', target, '--api-key-env', 'SID_VAR', '--basic-env', 'U:P', '--header-env', 'X-Api-Key=HK', '--format', 'json,junit,html,md', '--out', out],
    { env },
  );
  t.not(outcome.code, 2, outcome.stderr);
  const me = seen.find((s) => s.url === '/me');
  t.match(me?.headers.cookie, new RegExp(`(^|; )sid=${SID}($|;)`), 'the cookie scheme');
  t.equal(me?.headers.authorization, undefined, 'basic only where the document asks for it');
  t.equal(seen.find((s) => s.url === '/admin')?.headers.authorization, `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
  t.equal(seen.find((s) => s.url === '/signed')?.headers['x-api-key'], HEADER_KEY, '--header-env');

  const files = outputs(outcome, out);
  assertAbsent(t, files, [SID, PASSWORD, `${USER}:${PASSWORD}`, HEADER_KEY]);
  const report = JSON.parse(files['report.json']!) as Report;
  for (const operationId of ['me', 'admin', 'signed']) {
    const before = seen.length;
    t.equal(await runCurl(curlFor(report, operationId), env), '200', `the ${operationId} curl line reproduces the request`);
    t.equal(seen.length, before + 1);
  }
  t.match(curlFor(report, 'admin'), /-u "\$\{U\}:\$\{P\}"/);
});

t.test('an unset or empty variable is SECRET_MISSING naming it; a malformed placement is usage', async (t) => {
  const { profile, root } = setUp(t, cookieBasicDocument);
  for (const flags of [['--query-env', 'sig=NOPE_VAR'], ['--header-env', 'X-Key=NOPE_VAR'], ['--cookie-env', 'sid=NOPE_VAR'], ['--basic-env', 'NOPE_VAR:P'], ['--api-key-env', 'NOPE_VAR']]) {
    const outcome = await runCli(['run', '--profile', profile, '--target', 'http://127.0.0.1:9', ...flags], { env: { P: 'x', NOPE_VAR: '' } });
    t.equal(outcome.code, 2, flags.join(' '));
    t.match(outcome.stderr, /NOPE_VAR.*SECRET_MISSING/, `${flags[0]} names the variable`);
  }
  const bad = await runCli(['run', '--profile', profile, '--target', 'http://127.0.0.1:9', '--query-env', 'no-variable']);
  t.match(bad.stderr, /name=VARIABLE.*USAGE/);
  const noScheme = await runCli(['run', '--profile', writeDocument(root, 'no-scheme.json', { ...queryKeyDocument, components: { schemas: queryKeyDocument.components.schemas } }), '--target', 'http://127.0.0.1:9', '--api-key-env', 'K'], { env: { K: 'k-123456789' } });
  t.match(noScheme.stderr, /declares no apiKey security scheme.*USAGE/, '--api-key-env needs a scheme to follow');
});

t.test('reports name no absolute local path: profile, output folder, key and claims are relative or a file name', async (t) => {
  const { target } = await supplier(t);
  const { profile, root } = setUp(t, { ...queryKeyDocument, security: [] });
  const profileDir = join(profile, '..');
  const cwd = join(root, 'work');
  const out = join(cwd, 'reports');
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--format', 'json,junit,html,md', `--out=${out}`, '-H', 'X-Tenant: acme'], { cwd });
  t.not(outcome.code, 2, outcome.stderr);
  const files = outputs(outcome, out);
  const report = JSON.parse(files['report.json']!) as Report;
  t.equal(report.profile.source, 'openapi.json', 'outside the current folder: the file name');
  t.same(report.invocation.argv.slice(0, 3), ['run', '--profile', '…/openapi.json'], 'in the command line, marked as cut: copied, it fails rather than read another file');
  t.ok(report.invocation.argv.includes('--out=reports'), 'inside it: relative');
  for (const [name, text] of Object.entries(files)) {
    if (name === 'stdout') continue; // the terminal says where it wrote the files; reports never do
    t.notOk(text.includes(profileDir) || text.includes(cwd), `no absolute path in ${name}`);
  }
});
