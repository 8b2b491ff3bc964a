import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { prepareRun, run } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

const profile = join(import.meta.dirname, '..', 'documents', 'oas32', 'openapi.yaml');
const THINGS = [{ id: 1, name: 'one', note: null }, { id: 2, name: 'two', note: 'second' }];

/** A supplier of the 3.2 document (`stream`: the JSON Lines items, a string sent as it is); `seen` holds every request. */
async function supplier(t: Test, stream: unknown[] = THINGS): Promise<{ target: string; seen: string[] }> {
  const seen: string[] = [];
  const app: FastifyInstance = Fastify({ logger: false });
  app.addHook('onRequest', async (request) => {
    seen.push(`${request.method} ${request.url}`);
  });
  app.get('/things', async () => THINGS);
  app.route({
    method: 'QUERY',
    url: '/things',
    handler: async (request) => {
      const { name } = request.body as { name?: string };
      seen.push(`QUERY body ${JSON.stringify(request.body)} as ${request.headers['content-type']}`);
      return THINGS.filter((thing) => thing.name === name);
    },
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => THINGS.find((thing) => String(thing.id) === request.params.id) ?? reply.code(404).send());
  // JSON Lines: each item ends with a newline; a blank line between items is no item.
  app.get('/stream', async (_request, reply) => reply.type('application/jsonl').send(`${stream.map((thing) => (typeof thing === 'string' ? thing : JSON.stringify(thing))).join('\n\n')}\n`));
  app.get('/filtered', async () => THINGS);
  app.get('/searched', async () => THINGS);
  app.route({ method: 'QUERY', url: '/selected', handler: async () => THINGS });
  // Any other method (PURGE) reaches the 404 handler, after onRequest has seen it.
  return { target: await listen(t, app), seen };
}

function readReport(out: string): Report {
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
}

t.test('an OpenAPI 3.2 document loads and is probed: QUERY is sent as a read with its body, a querystring as a form, PURGE never', async (t) => {
  const { target, seen } = await supplier(t);
  const out = t.testdir();
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--out', out, '--format', 'json', '--quiet']);
  t.equal(outcome.code, 0, `conformant: ${outcome.stderr}`);
  const report = readReport(out);
  t.equal(report.profile.openapi, '3.2.0');
  const codes = report.profile.warnings.map((w) => w.code);
  t.ok(codes.includes('openapi-not-validated'), 'says the document was not checked against an OpenAPI schema');
  t.same(codes.filter((c) => ['openapi-invalid', 'json-schema-dialect-ignored', 'parameter-invalid', 'operation-invalid'].includes(c)), [], "3.2's own fields and dialect are not called mistakes");
  t.same(report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.check} ${r.operationId}: ${r.message}`), []);

  const query = report.results.find((r) => r.operationId === 'searchThings' && r.check === 'response-schema');
  t.equal(query?.status, 'pass', 'the QUERY answer is validated against its schema');
  t.equal(query?.method, 'QUERY');
  t.ok(seen.includes('QUERY body {"name":"one"} as application/json'), 'QUERY went with the example body, in a read-only run');
  const curl = query?.evidence?.curl ?? '';
  t.match(curl, /^curl -X 'QUERY' -H .* --data-raw '\{"name":"one"\}' 'http:\/\/127\.0\.0\.1:\d+\/things'$/);
  const { stdout } = await promisify(execFile)('sh', ['-c', `${curl} -s`], { encoding: 'utf8', timeout: 60_000 });
  t.same(JSON.parse(stdout), [THINGS[0]], 'its curl line repeats the query');

  t.notOk(seen.some((line) => line.includes('/selected')), 'a body in a media type that is not JSON (application/jsonpath) is not sent as a JSON string');
  t.match(report.coverage?.find((c) => c.operationId === 'selectThings')?.reason, /its required request body is documented as application\/jsonpath, which the harness does not write \(it writes JSON\)/);
  t.notOk(seen.some((line) => line.startsWith('PURGE')), 'PURGE never sent');
  const purge = report.coverage?.find((c) => c.operationId === 'purgeThings');
  t.match(purge?.reason, /PURGE is not a method HTTP defines \(an OpenAPI 3\.2 additional operation\): what it changes is unknown, so it is never sent/);
  t.ok(seen.includes('GET /filtered?name=one&tag=a&tag=b'), 'the whole query string is written from the example, as a form');
  t.equal(report.results.find((r) => r.operationId === 'filteredThings' && r.check === 'response-schema')?.status, 'pass');
  t.notOk(seen.some((line) => line.startsWith('GET /searched')), 'a query string in a media type the harness cannot write is not sent');
  t.match(report.coverage?.find((c) => c.operationId === 'searchedThings')?.reason, /required parameter "expression" is the whole query string written as text\/plain \(in: querystring, OpenAPI 3\.2\), which the harness cannot write/);

  const thing = report.results.find((r) => r.operationId === 'getThing' && r.check === 'response-schema');
  t.equal(thing?.status, 'pass', 'an id from the list, as in 3.1');
  t.match(thing?.message, /body is valid against the application\/json schema for 200/, 'the schema of a media type given by $ref (components/mediaTypes) is used');
  const stream = report.results.find((r) => r.operationId === 'streamThings' && r.check === 'response-schema');
  t.equal(stream?.status, 'pass');
  t.match(stream?.message, /each of the 2 items is valid against the application\/jsonl item schema for 200/, 'each line of the stream is validated against itemSchema');
});

t.test('a JSON Lines item that breaks the itemSchema fails, pointing at the item', async (t) => {
  const { target } = await supplier(t, [THINGS[0], { id: 'two' }]);
  const out = t.testdir();
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--out', out, '--format', 'json', '--quiet', '--operations', 'streamThings']);
  t.equal(outcome.code, 1, outcome.stderr);
  const stream = readReport(out).results.find((r) => r.operationId === 'streamThings' && r.check === 'response-schema');
  t.equal(stream?.status, 'fail');
  t.match(stream?.message, /^an item does not match item schema Thing: \/1\/(name is missing, and the schema requires it|id must be integer) \(and 1 more\)$/);
  t.same(stream?.schemaErrors?.map((e) => `${e.pointer} ${e.keyword}`).sort(), ['/1/id type', '/1/name required'], 'pointers start with the item index');
  t.equal(stream?.actual, '2 schema errors in 2 items');

  const broken = await supplier(t, [THINGS[0], '{"id": 2, "name": "two",}']);
  const brokenOut = t.testdir();
  await runCli(['run', '--profile', profile, '--target', broken.target, '--out', brokenOut, '--format', 'json', '--quiet', '--operations', 'streamThings']);
  const unparsed = readReport(brokenOut).results.find((r) => r.operationId === 'streamThings' && r.check === 'response-schema');
  t.equal(unparsed?.status, 'fail');
  const offset = JSON.stringify(THINGS[0]).length + 2 + 24;
  t.equal(unparsed?.message, `item 1 (line 3) is not valid JSON at byte ${offset}: unexpected '}', expected a property name`, 'names its item, its line (the blank one counts) and the byte in the body');

  // Review: every item's errors were kept (a 2 MB stream wrote a 261 MB report); at most 50, as for any body.
  const many = await supplier(t, Array.from({ length: 120 }, () => 1));
  const manyOut = t.testdir();
  await runCli(['run', '--profile', profile, '--target', many.target, '--out', manyOut, '--format', 'json', '--quiet', '--operations', 'streamThings']);
  const capped = readReport(manyOut).results.find((r) => r.operationId === 'streamThings' && r.check === 'response-schema');
  t.equal(capped?.schemaErrors?.length, 50);
  t.match(capped?.message, /^an item does not match item schema Thing: \/0 must be object, got number \(and 49 more; 70 later items not checked\)$/);
  t.equal(capped?.actual, '50 or more schema errors in 120 items');

  // Review: a later item that could not be checked turned the run's schema failure into an error (inconclusive).
  const stopped = await supplier(t, [{ id: 'x', name: 'one' }, { id: 2, name: 'two', tags: Array.from({ length: 20 }, (_, i) => `t${i}`) }]);
  const stoppedOut = t.testdir();
  await runCli(['run', '--profile', profile, '--target', stopped.target, '--out', stoppedOut, '--format', 'json', '--quiet', '--operations', 'streamThings', '--max-json-values', '16']);
  t.match(readReport(stoppedOut).results.find((r) => r.operationId === 'streamThings' && r.check === 'response-schema'), { status: 'fail', message: /\/0\/id must be integer/ }, 'the error found first stands, and --max-json-values reached the items');

  // A line of a no-break space is not blank: trim() would have skipped it.
  const nbsp = await supplier(t, [THINGS[0], '\u00a0']);
  const nbspOut = t.testdir();
  await runCli(['run', '--profile', profile, '--target', nbsp.target, '--out', nbspOut, '--format', 'json', '--quiet', '--operations', 'streamThings']);
  t.match(readReport(nbspOut).results.find((r) => r.operationId === 'streamThings' && r.check === 'response-schema'), { status: 'fail', message: /^item 1 \(line 3\) is not valid JSON/ });
});

t.test('with --allow-writes an additional operation is still never sent; --dry-run shows QUERY with its body', async (t) => {
  const { target, seen } = await supplier(t);
  const out = t.testdir();
  const outcome = await runCli(['run', '--profile', profile, '--target', target, '--out', out, '--format', 'json', '--quiet', '--allow-writes']);
  t.not(outcome.code, 2, outcome.stderr);
  t.notOk(seen.some((line) => line.startsWith('PURGE')), 'PURGE never sent');
  t.match(readReport(out).coverage?.find((c) => c.operationId === 'purgeThings')?.reason, /never sent/);

  // Named, it is still not a write the run may send (the export's touch request asks the same set).
  const named = await runCli(['run', '--profile', profile, '--target', target, '--out', t.testdir(), '--format', 'json', '--quiet', '--allow-writes', '--paths', 'purge /things']);
  t.equal(named.code, 2, 'a selection of nothing sendable is bad input');
  t.match(named.stderr, /nothing was probed: every operation was skipped \(PURGE is not a method HTTP defines/, '--paths matched it (any case), and the reason is given');
  t.notOk(seen.some((line) => line.startsWith('PURGE')), 'PURGE never sent, even named');
  const prepared = await prepareRun({ profile, target, allowWrites: true, selection: { operations: ['purgeThings'] } });
  t.equal(prepared.operations.map((o) => o.operationId).join(), 'purgeThings', 'it can be selected');
  t.same([...prepared.namedWrites], [], 'but it is no named write');

  const dry = await runCli(['run', '--profile', profile, '--target', target, '--dry-run']);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, /QUERY .*\/things/);
  t.match(dry.stdout, /\{"name":"one"\}/);
  t.match(dry.stdout, /purgeThings|PURGE/);
});

t.test('discovery: a supplier publishing its 3.2 document passes, and the result says it was not schema-checked', async (t) => {
  const document = {
    openapi: '3.2.0',
    info: { title: 'published 3.2', version: '1' },
    'x-interop': {
      id: 'published-32',
      version: '1.0.0',
      requirements: [{ id: 'PUB-01', level: 'MUST', statement: 'The supplier MUST publish its OpenAPI description.', checks: ['discovery'] }],
    },
    paths: {
      '/things': {
        get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } },
        query: { operationId: 'searchThings', requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '200': { description: 'found' } } },
      },
    },
  };
  const app = Fastify({ logger: false });
  app.get('/things', async () => []);
  app.get('/openapi.json', async () => document);
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--out', join(dir, 'out'), '--format', 'json', '--quiet']);
  t.equal(outcome.code, 0, outcome.stderr);
  const discovery = readReport(join(dir, 'out')).results.find((r) => r.check === 'discovery');
  t.equal(discovery?.status, 'pass', 'its 3.2 fields (query) are not called mistakes');
  t.equal(discovery?.message, 'an OpenAPI 3.2.0 document is served at /openapi.json; OpenAPI 3.2 is not checked against the OpenAPI schema: the validator knows 2.0, 3.0 and 3.1');

  // Review: a bare {"openapi": "3.2.0"} passed; without a schema, its outline is still checked.
  const bare = Fastify({ logger: false });
  bare.get('/things', async () => []);
  bare.get('/openapi.json', async () => ({ openapi: '3.2.0' }));
  const bareTarget = await listen(t, bare);
  const bareOut = join(dir, 'bare');
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', bareTarget, '--out', bareOut, '--format', 'json', '--quiet']);
  const bareDiscovery = readReport(bareOut).results.find((r) => r.check === 'discovery');
  t.equal(bareDiscovery?.status, 'fail');
  t.match(bareDiscovery?.message, /is not valid OpenAPI: \/: OpenAPI 3\.2 outline: \/ must have required property 'info'; \/: OpenAPI 3\.2 outline: \/ must have paths, webhooks or components/);
});

t.test('a JSON query string, its media type by $ref, is sent as JSON text; an API key in the query joins it unchanged', async (t) => {
  const document = {
    openapi: '3.2.0',
    info: { title: 'json query', version: '1' },
    components: {
      securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'api_key' } },
      mediaTypes: { Filter: { schema: { type: 'object', properties: { q: { type: 'string' } } }, example: { q: 'a b+c&d' } } },
    },
    security: [{ key: [] }],
    paths: {
      '/search': {
        get: {
          operationId: 'search',
          parameters: [{ name: 'filter', in: 'querystring', required: true, content: { 'application/json': { $ref: '#/components/mediaTypes/Filter' } } }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };
  const seen: string[] = [];
  const app = Fastify({ logger: false });
  app.get('/search', async (request) => {
    seen.push(request.url);
    return {};
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--api-key-env', 'KEY', '--out', join(dir, 'out'), '--format', 'json', '--quiet'], { env: { KEY: 'k3y-query-5e1d' } });
  t.equal(outcome.code, 0, outcome.stderr);
  // Review: appending the key through URLSearchParams rewrote the JSON (`+` for %20, a stray `=`), and the $ref was not followed.
  t.same(seen, [`/search?${encodeURIComponent('{"q":"a b+c&d"}')}&api_key=k3y-query-5e1d`]);
  t.same(JSON.parse(decodeURIComponent(seen[0]!.split('?')[1]!.split('&')[0]!)), { q: 'a b+c&d' });

  // Review: the request stripped of its key (--negative's no-credentials case) went through URLSearchParams.delete,
  // which rewrote the JSON (`+` for a space, a stray `=`): the supplier's 400 to it then read as a finding.
  const negative = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--api-key-env', 'KEY', '--negative', '--seed', '1', '--out', join(dir, 'negative'), '--format', 'json', '--quiet'], { env: { KEY: 'k3y-query-5e1d' } });
  t.not(negative.code, 2, negative.stderr);
  t.ok(seen.includes(`/search?${encodeURIComponent('{"q":"a b+c&d"}')}`), `the key is taken out and the JSON kept as sent: ${JSON.stringify(seen)}`);
});

t.test('OpenAPI 4 is still refused, naming the versions the harness reads', async (t) => {
  const outcome = await runCli(['run', '--profile', join(import.meta.dirname, '..', 'documents', 'bad', 'openapi-4.yaml'), '--target', 'http://127.0.0.1:1', '--dry-run']);
  t.equal(outcome.code, 2);
  t.match(outcome.stderr, /supported versions are 3\.0\.x, 3\.1\.x and 3\.2\.x \(and Swagger 2\.0\)/);
});

// A 3.2 JSON Lines response: item 1 has 30 bad dates (warnings) and a wrong type on `n` (a real failure).
const dates = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}`, { type: 'string', format: 'date' }]));
const itemSchema = { type: 'object', properties: { ...dates, n: { type: 'integer' } } };
const badDates = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}`, 'not a date']));

t.test('third review: a stream item whose type error falls past the 50 errors kept is not called format-only', async (t) => {
  const app = Fastify();
  app.get('/stream', async (_request, reply) => reply.type('application/jsonl').send(`${JSON.stringify({ ...badDates, n: 1 })}\n${JSON.stringify({ ...badDates, n: 'one' })}\n`));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.2.0',
      info: { title: 's', version: '1' },
      paths: { '/stream': { get: { operationId: 'stream', responses: { '200': { description: 'ok', content: { 'application/jsonl': { itemSchema } } } } } } },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  const result = report.results.find((r) => r.check === 'response-schema')!;
  t.equal(result.status, 'fail', 'item 1 sends a string where the schema says integer');
  t.equal(report.summary.verdict, 'non-conformant');
});
