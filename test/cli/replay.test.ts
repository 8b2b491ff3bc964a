import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

/**
 * `interop-harness replay`: a report from a real run against a defective
 * supplier, replayed against the same supplier (the failure reproduces, exit
 * 1) and against a fixed one (exit 0). Credentials are checked where they
 * arrive: on the server.
 */

t.test('the reference supplier with two defects: replay reproduces both against it, and neither against the clean supplier', async (t) => {
  const defective = await startReferenceSupplier({ defects: ['schema-violation', 'undocumented-status'] });
  t.teardown(() => defective.close());
  const clean = await startReferenceSupplier({ clientSecret: defective.clientSecret });
  t.teardown(() => clean.close());
  const env = { INTEROP_CLIENT_ID: defective.clientId, INTEROP_CLIENT_SECRET: defective.clientSecret };
  const dir = t.testdir();
  const run = await runCli(['run', '--profile', 'baseline', '--target', defective.url, '--out', dir, '-q', '--format', 'json'], { env, cwd: dir });
  t.equal(run.code, 1, run.stderr);
  const reportFile = join(dir, 'report.json');
  t.ok(run.stdout.includes(`replay the failures: interop-harness replay '${reportFile}' (one of them: --result <id>)\n`), 'the run says how to replay its failures');
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { results: Array<{ id: string; status: string; check: string; operationId: string }> };
  const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.id);
  t.same(failed.sort(), ['response-schema/BASE-04/GET/listPersons/1', 'status-code/BASE-02/GET/getStatus/1']);
  t.equal(new Set(report.results.map((r) => r.id)).size, report.results.length, 'ids are unique');

  const again = await runCli(['replay', 'report.json'], { env, cwd: dir });
  t.equal(again.code, 1, again.stderr);
  t.match(again.stdout, /^REPRODUCES +status-code\/BASE-02\/GET\/getStatus\/1$/m);
  t.match(again.stdout, /^REPRODUCES +response-schema\/BASE-04\/GET\/listPersons\/1$/m);
  t.match(again.stdout, /expected: one of 200\n  now: +fail: status 202 is not documented/, 'says what was expected and what came back now');
  t.match(again.stdout, /response: HTTP 202 /);
  t.match(again.stdout, /: 2 of 2 replayed; 2 still fail$/m);

  const fixed = await runCli(['replay', reportFile, '--target', clean.url], { env, cwd: dir });
  t.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  t.match(fixed.stdout, /^FIXED +status-code\/BASE-02\/GET\/getStatus\/1$/m);
  t.match(fixed.stdout, /^FIXED +response-schema\/BASE-04\/GET\/listPersons\/1$/m);
  t.match(fixed.stdout, /now: +pass: status 200 is documented/);
  t.match(fixed.stdout, `against ${clean.url}/`);
  t.notMatch(fixed.stdout, defective.url, 'nothing went to the recorded origin');

  const one = await runCli(['replay', reportFile, '--result', 'status-code/BASE-02/GET/getStatus/1'], { env, cwd: dir });
  t.equal(one.code, 1);
  t.match(one.stdout, /: 1 of 1 replayed; 1 still fail$/m);
  t.notMatch(one.stdout, /listPersons/, '--result replays only the one named');
  const oneFixed = await runCli(['replay', reportFile, '--result', 'response-schema/BASE-04/GET/listPersons/1', '--target', clean.url], { env, cwd: dir });
  t.equal(oneFixed.code, 0);

  // A --target run would refuse is refused here too, naming why: exit 2, never an internal error, never dropped.
  for (const bad of ['foo:bar', 'file:///tmp/x', `${clean.url}/?api_key=1`, clean.url.replace('http://', 'http://u:p@')]) {
    const refused = await runCli(['replay', reportFile, '--target', bad], { env, cwd: dir });
    t.equal(refused.code, 2, `--target ${bad}: ${refused.stdout}${refused.stderr}`);
    t.notMatch(refused.stderr, /internal error|at .*\.ts:\d+/, 'a clear message, no stack trace');
  }

  // A passing result can be named too: it is judged the same way.
  const passing = report.results.find((r) => r.status === 'pass' && r.check === 'status-code')!;
  const named = await runCli(['replay', reportFile, '--result', passing.id], { env, cwd: dir });
  t.equal(named.code, 0, named.stdout);

  const unknown = await runCli(['replay', reportFile, '--result', 'status-code/GET/nope/9'], { env, cwd: dir });
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /no result with id "status-code\/GET\/nope\/9".*its failed results are .*\[RESULT_NOT_FOUND\]/);
  t.equal(unknown.stdout, '');
});

// A service check (discovery) makes its own requests and is run again whole; a probe check whose
// failure carries its follow-up's evidence (hash-integrity: the content download) replays the probe.
// A lifecycle check (use-after-delete) read a record the run created and deleted: its lifecycle is run again.
for (const [profile, defect, id, ...flags] of [
  ['open-architecture', 'no-openapi-document', 'discovery/OA-01/GET/service/1'],
  ['evidence-export', 'hash-mismatch', 'hash-integrity/EVX-02/GET/getEvidenceItem/1'],
  ['incident', 'incident-deleted-still-readable', 'use-after-delete/INC-05/GET/getIncident/1', '--allow-writes'],
] as const) {
  t.test(`${defect} (${profile}): reproduces against the defective supplier, fixed against the clean one`, async (t) => {
    const defective = await startReferenceSupplier({ defects: [defect] });
    t.teardown(() => defective.close());
    const clean = await startReferenceSupplier({ clientSecret: defective.clientSecret });
    t.teardown(() => clean.close());
    const env = { INTEROP_CLIENT_ID: defective.clientId, INTEROP_CLIENT_SECRET: defective.clientSecret };
    const dir = t.testdir();
    const run = await runCli(['run', '--profile', profile, '--target', defective.url, '--out', dir, '-q', '--format', 'json', ...flags], { env, cwd: dir });
    t.ok(run.code <= 1, run.stderr);
    if (flags.length > 0) {
      const readOnly = await runCli(['replay', 'report.json'], { env, cwd: dir });
      t.equal(readOnly.code, 1, 'a lifecycle is not run again without --allow-writes');
      t.match(readOnly.stdout, /^NOT REPLAYED +use-after-delete\S+\n(  .*\n)*  why: +use-after-delete judges a record the run created: pass --allow-writes to run that lifecycle again/m);
    }
    const again = await runCli(['replay', 'report.json', ...flags], { env, cwd: dir });
    t.equal(again.code, 1, again.stdout);
    t.match(again.stdout, new RegExp(`^REPRODUCES +${id}$`, 'm'));
    const fixed = await runCli(['replay', 'report.json', '--target', clean.url, ...flags], { env, cwd: dir });
    t.equal(fixed.code, 0, fixed.stdout);
    t.match(fixed.stdout, new RegExp(`^FIXED +${id}$`, 'm'));
  });
}

t.test('a run of the same options gives the same ids', async (t) => {
  const supplier = await startReferenceSupplier({ defects: ['undocumented-status'] });
  t.teardown(() => supplier.close());
  const env = { INTEROP_CLIENT_ID: supplier.clientId, INTEROP_CLIENT_SECRET: supplier.clientSecret };
  const ids: string[][] = [];
  for (const out of ['a', 'b']) {
    const dir = join(t.testdir(), out);
    const run = await runCli(['run', '--profile', 'baseline', '--target', supplier.url, '--out', dir, '-q', '--format', 'json'], { env });
    t.equal(run.code, 1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { results: Array<{ id: string; check: string; operationId: string; status: string }> };
    ids.push(report.results.map((r) => `${r.id} ${r.status}`).sort());
  }
  t.same(ids[0], ids[1]);
});

t.test('bad input is exit 2 with one line: not a report, no report, a profile that is gone', async (t) => {
  const dir = t.testdir({ 'not-a-report.json': '{"hello": "world"}\n', 'dup.json': '{"a": 1, "a": 2}' });
  const notReport = await runCli(['replay', 'not-a-report.json'], { cwd: dir });
  t.equal(notReport.code, 2);
  t.match(notReport.stderr, /not-a-report\.json is not an interop-harness report\.json.*\[REPORT_INVALID\]\n$/);
  const dup = await runCli(['replay', 'dup.json'], { cwd: dir });
  t.equal(dup.code, 2);
  t.match(dup.stderr, /\[REPORT_INVALID\]/);
  const none = await runCli(['replay'], { cwd: dir });
  t.equal(none.code, 2);
  t.match(none.stderr, /replay takes one report\.json.*\[USAGE\]/);
  const missing = await runCli(['replay', 'nope.json'], { cwd: dir });
  t.equal(missing.code, 2);
  const flag = await runCli(['replay', 'x.json', '--token', 'abc'], { cwd: dir });
  t.equal(flag.code, 2);
  t.match(flag.stderr, /\[USAGE\]/);
});

/** What the server saw of one request. */
interface Seen {
  url: string;
  authorization?: string;
  raw: string;
}

const ITEMS_SCHEMA = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'string' } } } };

/** A small secured API: a bearer token and an API key in the query, and one open operation. */
const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Replay API', version: '1.0.0' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, key: { type: 'apiKey', in: 'query', name: 'api_key' } },
  },
  security: [{ bearer: [], key: [] }],
  paths: {
    '/items': {
      get: { operationId: 'listItems', responses: { '200': { description: 'ok', content: { 'application/json': { schema: ITEMS_SCHEMA } } } } },
    },
    '/status': {
      get: { operationId: 'getStatus', security: [], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } },
    },
  },
};

interface SmallApi {
  url: string;
  seen: Seen[];
  state: { defective: boolean; redirectTo?: string };
}

async function startSmallApi(t: Test): Promise<SmallApi> {
  const seen: Seen[] = [];
  const state: SmallApi['state'] = { defective: true };
  const app: FastifyInstance = Fastify();
  app.addHook('onRequest', async (request) => {
    seen.push({ url: request.url, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}), raw: JSON.stringify({ url: request.url, headers: request.headers }) });
  });
  app.get('/items', async (_request, reply) => {
    if (state.redirectTo) return reply.redirect(`${state.redirectTo}/items`, 302);
    return reply.send({ items: state.defective ? [1, 2] : ['a', 'b'] });
  });
  app.get('/status', async () => ({ ok: true }));
  app.get('/*', async (request, reply) => reply.code(404).send({ path: request.url }));
  return { url: await listen(t, app), seen, state };
}

const TOKEN_A = 'token-first-run-7f3a9c';
const KEY_A = 'key-first-run-1b2c3d';
const TOKEN_B = 'token-replay-e41d77';
const KEY_B = 'key-replay-90aa51';

async function reportFromSmallApi(t: Test, api: SmallApi): Promise<{ dir: string; file: string }> {
  const dir = t.testdir({ 'openapi.json': JSON.stringify(DOCUMENT) });
  const run = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', api.url, '--out', 'out', '-q', '--format', 'json', '--token-env', 'TOKEN', '--api-key-env', 'KEY'], {
    env: { TOKEN: TOKEN_A, KEY: KEY_A },
    cwd: dir,
  });
  t.equal(run.code, 1, run.stdout + run.stderr);
  const file = join(dir, 'out', 'report.json');
  const text = readFileSync(file, 'utf8');
  t.notMatch(text, TOKEN_A);
  t.notMatch(text, KEY_A);
  t.match(text, 'api_key=${KEY}', 'the report holds a placeholder where the key was');
  return { dir, file };
}

t.test('the replayed request carries the fresh credentials, never the report placeholders', async (t) => {
  const api = await startSmallApi(t);
  const { dir } = await reportFromSmallApi(t, api);
  const before = api.seen.length;
  const replayed = await runCli(['replay', 'out/report.json', '--token-env', 'FRESH_TOKEN', '--api-key-env', 'FRESH_KEY'], {
    env: { FRESH_TOKEN: TOKEN_B, FRESH_KEY: KEY_B },
    cwd: dir,
  });
  t.equal(replayed.code, 1, replayed.stdout + replayed.stderr);
  t.match(replayed.stdout, /^REPRODUCES +response-schema\/GET\/listItems\/1$/m);
  const sent = api.seen.slice(before);
  t.equal(sent.length, 1, 'one request: the failed one');
  t.equal(sent[0]!.authorization, `Bearer ${TOKEN_B}`);
  t.equal(new URL(sent[0]!.url, api.url).searchParams.get('api_key'), KEY_B);
  for (const request of sent) {
    t.notMatch(request.raw, /\[redacted\]|\$\{|%5Bredacted|%7B/i, 'no placeholder reaches the server');
    t.notMatch(request.raw, TOKEN_A);
    t.notMatch(request.raw, KEY_A);
  }
  t.notMatch(replayed.stdout, TOKEN_B, 'the fresh token is not printed');
  t.notMatch(replayed.stdout, KEY_B);

  // Fixed: exit 0, with the same fresh credentials.
  api.state.defective = false;
  const fixed = await runCli(['replay', 'out/report.json', '--token-env', 'FRESH_TOKEN', '--api-key-env', 'FRESH_KEY'], { env: { FRESH_TOKEN: TOKEN_B, FRESH_KEY: KEY_B }, cwd: dir });
  t.equal(fixed.code, 0, fixed.stdout);
  t.match(fixed.stdout, /^FIXED +response-schema\/GET\/listItems\/1$/m);
});

t.test('a recorded request that carried credentials is not sent without fresh ones: exit 2 naming them, nothing sent', async (t) => {
  const api = await startSmallApi(t);
  const { dir } = await reportFromSmallApi(t, api);
  const before = api.seen.length;
  const outcome = await runCli(['replay', 'out/report.json'], { cwd: dir });
  t.equal(outcome.code, 2);
  t.match(outcome.stderr, /result response-schema\/GET\/listItems\/1 was recorded with a credential \(query parameter api_key, header authorization\).*--token-env.*\[USAGE\]/);
  t.equal(api.seen.length, before, 'nothing reached the supplier');
});

t.test('no request reaches another origin: not a recorded URL elsewhere, not a redirect, not the recorded target under --target', async (t) => {
  const api = await startSmallApi(t);
  const elsewhere = await startSmallApi(t);
  const moved = await startSmallApi(t);
  moved.state.defective = false;
  const { dir, file } = await reportFromSmallApi(t, api);
  const env = { FRESH_TOKEN: TOKEN_B, FRESH_KEY: KEY_B };
  const credentials = ['--token-env', 'FRESH_TOKEN', '--api-key-env', 'FRESH_KEY'];
  const before = api.seen.length;

  const viaTarget = await runCli(['replay', 'out/report.json', '--target', moved.url, ...credentials], { env, cwd: dir });
  t.equal(viaTarget.code, 0, viaTarget.stdout);
  t.equal(api.seen.length, before, 'with --target, the recorded origin gets nothing');
  t.equal(moved.seen.length, 1);
  t.equal(new URL(moved.seen[0]!.url, moved.url).pathname, '/items', 'the recorded path and query, on the new origin');

  // The supplier now redirects to another origin: never followed, and the failure is not shown fixed.
  api.state.redirectTo = elsewhere.url;
  const redirected = await runCli(['replay', 'out/report.json', ...credentials], { env, cwd: dir });
  t.equal(redirected.code, 1);
  t.equal(elsewhere.seen.length, 0, 'the redirect to another origin was not followed');
  delete api.state.redirectTo;

  // A report edited to point a request elsewhere: refused, and the other origin sees nothing.
  const report = JSON.parse(readFileSync(file, 'utf8')) as { results: Array<{ status: string; evidence?: { request: { url: string } } }> };
  for (const result of report.results) if (result.status === 'fail' && result.evidence) result.evidence.request.url = `${elsewhere.url}/items?api_key=x`;
  writeFileSync(join(dir, 'forged.json'), JSON.stringify(report));
  const forged = await runCli(['replay', 'forged.json', ...credentials], { env, cwd: dir });
  t.equal(forged.code, 1);
  t.match(forged.stdout, /^NOT REPLAYED +response-schema\/GET\/listItems\/1$/m);
  t.match(forged.stdout, /why: +the recorded URL is not on the report's target origin/);
  t.equal(elsewhere.seen.length, 0, 'the other origin got nothing');

  // A report edited to name another site in Host: the request goes to the target, as the target.
  const hosted = JSON.parse(readFileSync(file, 'utf8')) as { results: Array<{ status: string; evidence?: { request: { headers: Record<string, string> } } }> };
  for (const result of hosted.results) if (result.status === 'fail' && result.evidence) result.evidence.request.headers.host = 'evil.example';
  writeFileSync(join(dir, 'hosted.json'), JSON.stringify(hosted));
  const seenBefore = api.seen.length;
  const viaHost = await runCli(['replay', 'hosted.json', ...credentials], { env, cwd: dir });
  t.equal(viaHost.code, 1, viaHost.stdout + viaHost.stderr);
  const sentHost = api.seen.slice(seenBefore).map((r) => (JSON.parse(r.raw) as { headers: { host?: string } }).headers.host);
  t.same(sentHost, [new URL(api.url).host], 'Host names the target, not the edited value');
});

t.test("the report's profile is found where the report says, or given with --profile; one that is gone is exit 2 saying so", async (t) => {
  const api = await startSmallApi(t);
  const { dir } = await reportFromSmallApi(t, api);
  const env = { FRESH_TOKEN: TOKEN_B, FRESH_KEY: KEY_B };
  const credentials = ['--token-env', 'FRESH_TOKEN', '--api-key-env', 'FRESH_KEY'];
  // Another folder, where the report's relative profile path names nothing.
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'copy.json'), JSON.stringify(DOCUMENT));
  const lost = await runCli(['replay', join(dir, 'out', 'report.json'), ...credentials], { env, cwd: elsewhere });
  t.equal(lost.code, 2);
  t.match(lost.stderr, /the report names its profile as "openapi\.json": pass --profile <path\|id> to give it \[PROFILE_NOT_FOUND\]/);
  const given = await runCli(['replay', join(dir, 'out', 'report.json'), '--profile', 'copy.json', ...credentials], { env, cwd: elsewhere });
  t.equal(given.code, 1, given.stderr);
  t.match(given.stdout, /^REPRODUCES/m);
  const wrong = await runCli(['replay', join(dir, 'out', 'report.json'), '--profile', 'nope.yaml', ...credentials], { env, cwd: elsewhere });
  t.equal(wrong.code, 2);
  t.match(wrong.stderr, /\[PROFILE_NOT_FOUND\]/);
});

/** An API for the negative phase: a bounded query parameter, a patterned id, a bearer token. */
const NEGATIVE_DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Negative API', version: '1.0.0' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: { Problem: { type: 'object', properties: { title: { type: 'string' } } } },
  },
  security: [{ bearer: [] }],
  paths: {
    '/items': {
      get: {
        operationId: 'listItems',
        parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 100 }, example: 10 }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: ITEMS_SCHEMA } } },
          '400': { description: 'bad input', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
          '401': { description: 'no credentials', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
  },
};

const NEGATIVE_TOKEN = 'token-negative-a6b5c4d3';

/** Fixed: refuses what the document says it must. Defective: a 500 on a non-numeric limit, any limit taken, no credentials needed. */
async function startNegativeApi(t: Test, defective: boolean): Promise<SmallApi> {
  const seen: Seen[] = [];
  const app: FastifyInstance = Fastify();
  app.addHook('onRequest', async (request) => {
    seen.push({ url: request.url, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}), raw: JSON.stringify({ url: request.url, headers: request.headers }) });
  });
  app.get('/items', async (request, reply) => {
    if (!defective && request.headers.authorization !== `Bearer ${NEGATIVE_TOKEN}`) return reply.code(401).header('www-authenticate', 'Bearer').send({ title: 'no credentials' });
    const raw = (request.query as Record<string, string | undefined>).limit;
    const limit = Number(raw);
    if (!/^-?\d+$/.test(raw ?? '')) return defective ? reply.code(500).send({ title: 'SELECT * FROM items LIMIT ' + raw }) : reply.code(400).send({ title: 'limit is not a number' });
    if (!defective && (limit < 1 || limit > 100)) return reply.code(400).send({ title: 'limit out of range' });
    return reply.send({ items: ['a', 'b'] });
  });
  app.get('/*', async (request, reply) => reply.code(404).send({ path: request.url }));
  return { url: await listen(t, app), seen, state: { defective } };
}

t.test('negative-phase results replay with their change, judged against their recorded expectation; an ignored-auth case never gets the fresh token', async (t) => {
  const defective = await startNegativeApi(t, true);
  const fixed = await startNegativeApi(t, false);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(NEGATIVE_DOCUMENT) });
  const env = { TOKEN: NEGATIVE_TOKEN };
  const run = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', defective.url, '--negative', '--seed', '1', '--max-negative', '30', '--out', 'out', '-q', '--format', 'json', '--token-env', 'TOKEN'], { env, cwd: dir });
  t.equal(run.code, 1, run.stdout + run.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { results: Array<{ id: string; status: string; check: string; negative?: { location: string; mutation: string } }> };
  const failed = report.results.filter((r) => r.status === 'fail');
  const ids = failed.map((r) => r.id);
  t.ok(ids.includes('negative-data-rejection/GET/listItems/query-limit-missing/1'), `the 500 for a missing limit failed: ${ids.join(', ')}`);
  t.ok(ids.includes('negative-data-rejection/GET/listItems/query-limit-wrong-type-abc/1'), 'the 500 for a wrong-typed limit failed');
  t.ok(ids.includes('ignored-auth/GET/listItems/credentials-authorization-no-credentials/1'), 'the request without credentials was taken');
  t.ok(ids.includes('ignored-auth/GET/listItems/credentials-authorization-invalid-token/1'), 'the request with an invalid token was taken');

  const before = defective.seen.length;
  const again = await runCli(['replay', 'out/report.json', '--token-env', 'TOKEN'], { env, cwd: dir });
  t.equal(again.code, 1, again.stdout + again.stderr);
  t.match(again.stdout, /^REPRODUCES +negative-data-rejection\/GET\/listItems\/query-limit-above-maximum-101\/1\n.*\n  changed: .*the API must reject it\n/m);
  t.notMatch(again.stdout, /^(FIXED|INCONCLUSIVE|NOT REPLAYED)/m, 'every failure reproduces against the same supplier');
  const sent = defective.seen.slice(before);
  t.equal(sent.length, failed.length, 'one request per failed result');
  const auth = sent.filter((r) => r.authorization !== `Bearer ${NEGATIVE_TOKEN}`).map((r) => r.authorization ?? '(none)');
  t.same(auth.sort(), ['(none)', 'Bearer interop-harness-invalid-token'], 'the ignored-auth cases went without credentials and with the unsigned token, as recorded');
  for (const request of sent) t.notMatch(request.raw, /\[redacted\]|\$\{/);

  const now = await runCli(['replay', 'out/report.json', '--target', fixed.url, '--token-env', 'TOKEN'], { env, cwd: dir });
  t.equal(now.code, 0, now.stdout + now.stderr);
  t.match(now.stdout, /^FIXED +ignored-auth\/GET\/listItems\/credentials-authorization-no-credentials\/1$/m);
  t.match(now.stdout, /^FIXED +negative-data-rejection\/GET\/listItems\/query-limit-missing\/1$/m);
});

t.test('replay --allow-writes never re-sends a DELETE, PUT or PATCH to a record it did not create', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'notes', version: '1' },
    paths: {
      '/notes': { get: { operationId: 'listNotes', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } } } },
      '/notes/{noteId}': {
        parameters: [{ in: 'path', name: 'noteId', required: true, schema: { type: 'integer' } }],
        put: { operationId: 'putNote', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' }, example: { title: 'x' } } } }, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } },
        delete: { operationId: 'deleteNote', responses: { '204': { description: 'gone' } } },
      },
    },
  };
  const seen: string[] = [];
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request) => {
    seen.push(`${request.method} ${request.url}`);
  });
  app.get('/notes', async () => [{ id: 7 }]);
  // Undocumented answers: each write fails a check, so the report has results for them.
  app.put('/notes/:noteId', async (_request, reply) => reply.code(418).send({ teapot: true }));
  app.delete('/notes/:noteId', async (_request, reply) => reply.code(418).send({ teapot: true }));
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const first = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--operations', 'listNotes,putNote,deleteNote', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { results: Array<{ id: string; method: string; status: string }> };
  const writes = report.results.filter((r) => (r.method === 'PUT' || r.method === 'DELETE') && r.status === 'fail');
  t.ok(writes.length > 0, `the run recorded failing writes: ${first.stdout}`);
  const before = seen.length;
  const again = await runCli(['replay', 'out/report.json', '--allow-writes'], { cwd: dir });
  const resent = seen.slice(before).filter((line) => line.startsWith('PUT') || line.startsWith('DELETE'));
  t.same(resent, [], 'no PUT or DELETE was sent again');
  t.match(again.stdout, /^NOT REPLAYED status-code\/DELETE\/deleteNote\/1\n(.*\n)*  why: +not sent, even with --allow-writes: DELETE \/notes\/\{noteId\} would change a record this replay did not create/m);
  // Without the flag, the reason is the same: a hint to pass --allow-writes would promise a DELETE it never sends.
  const readOnly = await runCli(['replay', 'out/report.json'], { cwd: dir });
  t.match(readOnly.stdout, /^NOT REPLAYED status-code\/PUT\/putNote\/1\n(.*\n)*  why: +not sent, even with --allow-writes: PUT \/notes\/\{noteId\} would change a record/m);
  t.notMatch(readOnly.stdout, /pass --allow-writes/, 'no hint to pass a flag that would not send them');
});

t.test('replay --allow-writes says why a POST under a parent is not sent again', async (t) => {
  // Unleash: `POST /projects/{projectId}/features` was refused with words saying it was no POST to a collection.
  const json = { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } };
  const document = {
    openapi: '3.0.3',
    info: { title: 'notes', version: '1' },
    paths: {
      '/orgs/{orgId}/notes': {
        parameters: [{ in: 'path', name: 'orgId', required: true, schema: { type: 'string' } }],
        post: { operationId: 'createNote', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '201': { description: 'made', content: json } } },
      },
      '/orgs/{orgId}/notes/{noteId}': {
        parameters: [{ in: 'path', name: 'orgId', required: true, schema: { type: 'string' } }, { in: 'path', name: 'noteId', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getNote', responses: { '200': { description: 'ok', content: json }, '404': { description: 'none' } } },
        delete: { operationId: 'deleteNote', responses: { '204': { description: 'gone' } } },
      },
    },
  };
  const seen: string[] = [];
  const notes = new Set<string>();
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request) => void seen.push(`${request.method} ${request.url}`));
  // An undocumented 200 for the create: a failing result to replay.
  app.post('/orgs/:orgId/notes', async (_request, reply) => {
    notes.add('n-1');
    return reply.code(200).header('location', '/orgs/acme/notes/n-1').send({ id: 'n-1' });
  });
  app.get('/orgs/:orgId/notes/:noteId', async (request, reply) => (notes.has((request.params as { noteId: string }).noteId) ? { id: 'n-1' } : reply.code(404).send({})));
  app.delete('/orgs/:orgId/notes/:noteId', async (request, reply) => reply.code(notes.delete((request.params as { noteId: string }).noteId) ? 204 : 404).send());
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const first = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--var', 'orgId=acme', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  t.ok(seen.includes('POST /orgs/acme/notes'), `the run created under the parent it was given: ${first.stdout}${first.stderr}`);
  const before = seen.length;
  const again = await runCli(['replay', 'out/report.json', '--allow-writes'], { cwd: dir });
  t.same(seen.slice(before).filter((line) => line.startsWith('POST')), [], 'not sent again');
  t.match(again.stdout, /^NOT REPLAYED status-code\/POST\/createNote\/1\n(.*\n)*  why: +not sent, even with --allow-writes: POST \/orgs\/\{orgId\}\/notes goes to a path with a parameter \(\{orgId\}\), so it adds to or changes a record this replay did not create/m);
});

t.test('an ignored-auth case replays without any credential the run placed, whatever its header is called', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'keyed', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: { '/keyed': { get: { operationId: 'keyed', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '401': { description: 'no' } } } } },
  };
  const seen: Array<string | undefined> = [];
  const app = Fastify({ logger: false });
  // Defective: takes any request, key or not.
  app.get('/keyed', async (request) => {
    seen.push(request.headers['x-partner'] as string | undefined);
    return { ok: true };
  });
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const env = { KEY: 'abcdefgh12345', TOKEN: 'a-token-of-sorts' };
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--negative', '--seed', '1', '--token-env', 'TOKEN', '--header-env', 'X-Partner=KEY', '--out', 'out', '-q', '--format', 'json'], { env, cwd: dir });
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { results: Array<{ id: string; status: string; check: string }> };
  const auth = report.results.find((r) => r.check === 'ignored-auth' && r.status === 'fail');
  t.ok(auth, 'the run caught the ignored key');
  // As a report of an earlier version recorded it: the key still on the request, in plain text.
  const edited = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { results: Array<{ id: string; evidence?: { request: { headers: Record<string, string> } } }> };
  edited.results.find((r) => r.id === auth!.id)!.evidence!.request.headers['x-partner'] = 'abcdefgh12345';
  writeFileSync(join(dir, 'out', 'edited.json'), JSON.stringify(edited));
  const before = seen.length;
  const again = await runCli(['replay', 'out/edited.json', '--result', auth!.id, '--token-env', 'TOKEN', '--header-env', 'X-Partner=KEY'], { env, cwd: dir });
  t.match(again.stdout, /^REPRODUCES +ignored-auth\//m, again.stdout + again.stderr);
  t.same(seen.slice(before), [undefined], 'the replayed request carried no key');
});
