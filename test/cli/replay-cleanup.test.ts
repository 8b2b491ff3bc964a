import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyReply } from 'fastify';
import t, { type Test } from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { listen } from '../support/listen.js';
import { referenceToken } from '../support/reference-token.js';
import { runCli } from '../support/run-cli.js';
import { sentBase } from '../../harness/run/replay-cleanup.js';

/**
 * `replay --allow-writes` sends a recorded create again, which makes a new
 * record on the target: replay deletes it as a run's lifecycle would, or says
 * LEFT BEHIND with its URL and why and exits 1. Every outcome is checked on
 * the server's own state, not only in the output.
 */

interface ReportResult {
  id: string;
  status: string;
  check: string;
  operationId: string;
}

function readResults(file: string): ReportResult[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { results: ReportResult[] }).results;
}

t.test('a supplier that stores invalid creates: each replayed create is deleted again; without --allow-writes none is sent', async (t) => {
  const supplier = await startReferenceSupplier({ defects: ['incident-invalid-body-stored'] });
  t.teardown(() => supplier.close());
  const env = { INTEROP_CLIENT_ID: supplier.clientId, INTEROP_CLIENT_SECRET: supplier.clientSecret };
  const token = await referenceToken(supplier);
  const incidents = async (): Promise<string[]> => {
    const response = await fetch(`${supplier.url}/v1/incidents?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { data: Array<{ id: string }> };
    return body.data.map((incident) => incident.id).sort();
  };
  const dir = t.testdir();
  const run = await runCli(['run', '--profile', 'incident', '--target', supplier.url, '--allow-writes', '--negative', '--seed', '1', '--out', dir, '-q', '--format', 'json'], { env, cwd: dir });
  t.equal(run.code, 1, run.stderr);
  const results = readResults(join(dir, 'report.json'));
  const failedCreates = results.filter((r) => r.status === 'fail' && r.operationId === 'createIncident');
  t.ok(failedCreates.length > 0, 'the run recorded invalid creates the supplier took');
  const before = await incidents();

  const readOnly = await runCli(['replay', 'report.json'], { env, cwd: dir });
  t.equal(readOnly.code, 1);
  t.match(readOnly.stdout, /^NOT REPLAYED +negative-data-rejection\/POST\/createIncident\/\S+\n(  .*\n)*  why: +not sent: POST changes data; pass --allow-writes/m);
  t.same(await incidents(), before, 'without --allow-writes no create reached the supplier');

  const again = await runCli(['replay', 'report.json', '--allow-writes'], { env, cwd: dir });
  t.equal(again.code, 1, 'the invalid creates are still taken: the failures reproduce');
  t.match(again.stdout, /^REPRODUCES +negative-data-rejection\/POST\/createIncident\//m);
  const removed = [...again.stdout.matchAll(/^ {2}removed: +the record this replay created, by DELETE (\S+) \(HTTP 204\)$/gm)].map((m) => m[1]);
  t.equal(removed.length, failedCreates.length, again.stdout);
  for (const url of removed) t.match(url, new RegExp(`^${supplier.url}/v1/incidents/INC-\\d+$`));
  t.match(again.stdout, `records this replay created: ${failedCreates.length}, ${failedCreates.length} deleted, none left behind`);
  t.same(await incidents(), before, 'every record the replay created is gone from the supplier');

  // A valid create named with --result: it passes, its record is deleted, and the replay is green.
  const validCreate = results.find((r) => r.status === 'pass' && r.operationId === 'createIncident' && r.check === 'response-schema')!;
  const valid = await runCli(['replay', 'report.json', '--allow-writes', '--result', validCreate.id], { env, cwd: dir });
  t.equal(valid.code, 0, valid.stdout);
  t.match(valid.stdout, /^PASSES +response-schema\/INC-01\/POST\/createIncident\/1\n(  .*\n)*  removed: +the record this replay created, by DELETE /m);
  t.same(await incidents(), before, 'the valid create was removed too');
});

/** A thing store behind a bearer token and an API key in the query; its DELETE can be made to fail. */
const THING_DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'things', version: '1' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, key: { type: 'apiKey', in: 'query', name: 'api_key' } } },
  security: [{ bearer: [], key: [] }],
  paths: {
    '/things': {
      post: {
        operationId: 'createThing',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' }, example: { name: 'a thing' } } } },
        responses: { '201': { description: 'created', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/things/{thingId}': {
      parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '404': { description: 'gone' } } },
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
    },
  },
};

/** A thing store's document without credentials: a POST with an example body, a GET that reads a record back, a DELETE. */
function plainThingsDocument(title: string) {
  const json = { 'application/json': { schema: { type: 'object' } } };
  return {
    openapi: '3.0.3',
    info: { title, version: '1' },
    paths: {
      '/things': { post: { operationId: 'createThing', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { name: 'x' } } } }, responses: { '201': { description: 'created', content: json } } } },
      '/things/{thingId}': {
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
      },
    },
  };
}

const TOKEN_RUN = 'token-run-5d8e1f';
const KEY_RUN = 'key-run-a7c2b9';
const TOKEN_REPLAY = 'token-replay-c03b6e';
const KEY_REPLAY = 'key-replay-4f9d21';

async function startThingStore(t: Test) {
  const things = new Set<string>();
  const deletes: Array<{ url: string; authorization?: string }> = [];
  // holdCreates: the record is stored and its answer never comes.
  const state = { deleteStatus: 204, holdCreates: false };
  const held: FastifyReply[] = [];
  t.teardown(() => held.forEach((reply) => reply.raw.destroy()));
  let next = 0;
  const app = Fastify();
  app.post('/things', async (_request, reply) => {
    const id = `t-${++next}`;
    things.add(id);
    if (state.holdCreates) {
      held.push(reply);
      return new Promise(() => {});
    }
    return reply.code(201).send({ id, name: 'a thing' });
  });
  app.get('/things/:thingId', async (request, reply) => {
    const { thingId } = request.params as { thingId: string };
    return things.has(thingId) ? { id: thingId } : reply.code(404).send({ error: 'gone' });
  });
  app.delete('/things/:thingId', async (request, reply) => {
    deletes.push({ url: request.url, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}) });
    if (state.deleteStatus >= 200 && state.deleteStatus < 300) things.delete((request.params as { thingId: string }).thingId);
    return reply.code(state.deleteStatus).send(state.deleteStatus === 204 ? undefined : { error: 'cannot delete now' });
  });
  return { url: await listen(t, app), things, deletes, state };
}

t.test('the DELETE carries fresh credentials; one that fails leaves the record LEFT BEHIND with its URL, and the replay exits 1', async (t) => {
  const store = await startThingStore(t);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(THING_DOCUMENT) });
  const run = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', store.url, '--allow-writes', '--token-env', 'TOKEN', '--api-key-env', 'KEY', '--out', 'out', '-q', '--format', 'json'], {
    env: { TOKEN: TOKEN_RUN, KEY: KEY_RUN },
    cwd: dir,
  });
  t.ok(run.code <= 1, run.stderr);
  t.same([...store.things], [], "the run's own record is gone");
  const create = readResults(join(dir, 'out', 'report.json')).find((r) => r.operationId === 'createThing' && r.check === 'status-code' && r.status === 'pass')!;
  t.ok(create, 'the run has a passing create to replay');
  const replay = ['replay', 'out/report.json', '--allow-writes', '--result', create.id, '--token-env', 'FRESH_TOKEN', '--api-key-env', 'FRESH_KEY'];
  const env = { FRESH_TOKEN: TOKEN_REPLAY, FRESH_KEY: KEY_REPLAY };

  const ranDeletes = store.deletes.length;
  store.state.deleteStatus = 500;
  const failing = await runCli(replay, { env, cwd: dir });
  t.equal(failing.code, 1, 'a record left behind keeps the replay red, though the create passes');
  t.match(failing.stdout, /^PASSES +status-code\/POST\/createThing\/1$/m);
  t.same([...store.things], ['t-2'], 'the record is still on the supplier');
  const leftUrl = new RegExp(`LEFT BEHIND: ${store.url}/things/t-2\\?api_key=\\S+: clean-up DELETE answered 500`);
  t.match(failing.stdout, leftUrl, 'the result says where the record is and why');
  t.match(failing.stdout, 'records this replay created: 1, 0 deleted, 1 LEFT BEHIND');
  t.match(failing.stdout, new RegExp(`^LEFT BEHIND  ${store.url}/things/t-2\\S* \\(clean-up DELETE answered 500\\): check it, and remove by hand what the replay made$`, 'm'));
  const replayDeletes = store.deletes.slice(ranDeletes);
  t.equal(replayDeletes.length, 1, 'one DELETE, to the record the replay created');
  t.equal(replayDeletes[0]!.authorization, `Bearer ${TOKEN_REPLAY}`, 'with the fresh token');
  t.equal(new URL(replayDeletes[0]!.url, store.url).searchParams.get('api_key'), KEY_REPLAY, 'and the fresh key');
  for (const secret of [TOKEN_REPLAY, KEY_REPLAY, TOKEN_RUN, KEY_RUN]) t.notMatch(failing.stdout + failing.stderr, secret, 'no credential is printed');

  store.state.deleteStatus = 204;
  const working = await runCli(replay, { env, cwd: dir });
  t.equal(working.code, 0, working.stdout);
  t.match(working.stdout, new RegExp(`removed: +the record this replay created, by DELETE ${store.url}/things/t-3\\S* \\(HTTP 204\\)`));
  t.match(working.stdout, 'records this replay created: 1, 1 deleted, none left behind');
  t.same([...store.things], ['t-2'], 'the new record is deleted; only the one left behind before remains');
  t.same(store.deletes.slice(ranDeletes).map((d) => new URL(d.url, store.url).pathname), ['/things/t-2', '/things/t-3']);
});

t.test('a replayed create whose answer never comes may have made a record: LEFT BEHIND saying so, and the replay exits 1', async (t) => {
  const store = await startThingStore(t);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(plainThingsDocument('lost answers')) });
  const run = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', store.url, '--allow-writes', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  t.ok(run.code <= 1, run.stderr);
  const create = readResults(join(dir, 'out', 'report.json')).find((r) => r.operationId === 'createThing' && r.check === 'status-code' && r.status === 'pass')!;
  t.ok(create, 'the run has a passing create to replay');
  store.state.holdCreates = true;
  const deletesBefore = store.deletes.length;
  const replay = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', create.id, '--timeout', '1s'], { cwd: dir });
  t.equal(replay.code, 1, replay.stdout);
  t.ok(store.things.has('t-2'), 'the supplier made a record');
  t.match(replay.stdout, /POST \/things got no answer \(.+\): it may have created a record, which the replay cannot name, so it could not delete it/);
  t.match(replay.stdout, 'records this replay created: 1, 0 deleted, 1 LEFT BEHIND');
  t.equal(store.deletes.length, deletesBefore, 'no DELETE is guessed');
});

t.test("a replayed create whose answer has two id fields: the id is read before any DELETE, and one that reads as nothing gets none", async (t) => {
  // As Strapi 5: {data: {id, documentId}}, routed by documentId, and 204 to a DELETE of any id.
  const byDocumentId = new Map<string, number>();
  const deletes: string[] = [];
  let next = 8;
  const app = Fastify();
  app.post('/things', async (_request, reply) => {
    const id = ++next;
    byDocumentId.set(`doc${id}x`, id);
    return reply.code(201).send({ data: { id, documentId: `doc${id}x` } });
  });
  app.get('/things/:thingId', async (request, reply) => {
    const { thingId } = request.params as { thingId: string };
    return byDocumentId.has(thingId) ? { data: { documentId: thingId } } : reply.code(404).send({ error: 'not found' });
  });
  app.delete('/things/:thingId', async (request, reply) => {
    deletes.push(request.url);
    // By either id, so a DELETE to the numeric one would remove a record: "still there" below can fail.
    const { thingId } = request.params as { thingId: string };
    for (const [documentId, id] of byDocumentId) if (documentId === thingId || String(id) === thingId) byDocumentId.delete(documentId);
    return reply.code(204).send();
  });
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(plainThingsDocument('two ids')) });
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  t.same(deletes, [], 'the run sent no DELETE either');
  const create = readResults(join(dir, 'out', 'report.json')).find((r) => r.operationId === 'createThing' && r.check === 'status-code' && r.status === 'pass')!;
  const replay = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', create.id], { cwd: dir });
  t.equal(replay.code, 1, 'a record left behind keeps the replay red');
  t.same(deletes, [], 'no DELETE, whose 204 would have been read as "removed"');
  t.match(replay.stdout, `LEFT BEHIND: ${url}/things: POST /things answered 201, but the read of the record (${url}/things/10) answered 404, so the {thingId} "10" the replay took from the create's answer may not name the record it made (the path may take documentId); the replay sent no update or DELETE to it`);
  t.match(replay.stdout, 'records this replay created: 1, 0 deleted, 1 LEFT BEHIND');
  t.equal(byDocumentId.size, 2, "both records are still there, and the report says so");
});

t.test('a create that names no record is LEFT BEHIND saying why; one the document gives no DELETE for is not sent again; no DELETE is guessed', async (t) => {
  const json = { 'application/json': { schema: { type: 'object' } } };
  const document = {
    openapi: '3.0.3',
    info: { title: 'silent', version: '1' },
    paths: {
      '/silent': { post: { operationId: 'createSilent', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { note: 'x' } } } }, responses: { '201': { description: 'created', content: json } } } },
      '/silent/{silentId}': {
        parameters: [{ name: 'silentId', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getSilent', responses: { '200': { description: 'ok', content: json } } },
        delete: { operationId: 'deleteSilent', responses: { '204': { description: 'deleted' } } },
      },
      '/notes': { post: { operationId: 'createNote', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { text: 'x' } } } }, responses: { '201': { description: 'created', content: json } } } },
    },
  };
  const stored: string[] = [];
  const deletes: string[] = [];
  const app = Fastify();
  // Stores each create, and says nothing about which record it made.
  app.post('/silent', async (_request, reply) => {
    stored.push('silent');
    return reply.code(201).send({});
  });
  app.post('/notes', async (_request, reply) => {
    stored.push('note');
    return reply.code(201).send({ id: `n-${stored.length}` });
  });
  app.get('/silent/:silentId', async () => ({}));
  app.delete('/silent/:silentId', async (request, reply) => {
    deletes.push(request.url);
    return reply.code(204).send();
  });
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--operations', 'createSilent,getSilent,deleteSilent,createNote', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  const results = readResults(join(dir, 'out', 'report.json'));
  const silent = results.find((r) => r.operationId === 'createSilent' && r.check === 'status-code')!;
  const note = results.find((r) => r.operationId === 'createNote' && r.check === 'status-code')!;
  t.ok(silent && note, 'the run sent both creates');
  const deletesBefore = deletes.length;
  stored.length = 0;

  const again = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', silent.id, '--result', note.id], { cwd: dir });
  t.equal(again.code, 1, again.stdout);
  t.same(stored, ['silent'], 'only the create replay can clean up after was sent again: POST /notes never reached the supplier');
  t.match(again.stdout, `LEFT BEHIND: ${url}/silent: POST /silent answered 201, but neither its links, a Location header nor its body (at its top level, or in its data) named the record's {silentId}, so the replay could not delete it`);
  t.match(again.stdout, /^NOT REPLAYED status-code\/POST\/createNote\/1\n(  .*\n)*  why: +not sent, even with --allow-writes: the document gives no DELETE for what POST \/notes may create, so the replay could not remove it$/m);
  t.match(again.stdout, 'records this replay created: 1, 0 deleted, 1 LEFT BEHIND');
  t.equal(deletes.length, deletesBefore, 'no DELETE to a guessed id');

  // Without --allow-writes nothing changes: every write is NOT REPLAYED for want of it.
  const readOnly = await runCli(['replay', 'out/report.json', '--result', note.id], { cwd: dir });
  t.match(readOnly.stdout, /why: +not sent: POST changes data; pass --allow-writes/);
  t.same(stored, ['silent'], 'nothing sent without --allow-writes');
});

t.test('a lifecycle run again whose record cannot be deleted: replay lists it as LEFT BEHIND too', async (t) => {
  const document = plainThingsDocument('forgetful');
  const things = new Set<string>();
  let next = 0;
  const app = Fastify();
  // Stores each create, cannot read it back (resource-available fails), and cannot delete it.
  app.post('/things', async (_request, reply) => {
    const id = `t-${++next}`;
    things.add(id);
    return reply.code(201).send({ id });
  });
  app.get('/things/:thingId', async (_request, reply) => reply.code(404).send({ error: 'not found' }));
  app.delete('/things/:thingId', async (_request, reply) => reply.code(500).send({ error: 'no' }));
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  const unreadable = readResults(join(dir, 'out', 'report.json')).find((r) => r.check === 'resource-available' && r.status === 'fail')!;
  t.ok(unreadable, 'the run caught the record it could not read back');
  const again = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', unreadable.id], { cwd: dir });
  t.equal(again.code, 1);
  t.match(again.stdout, /^REPRODUCES +resource-available\//m);
  t.same([...things].sort(), ['t-1', 't-2'], "the run's record and the replayed lifecycle's are both still there");
  t.match(again.stdout, 'records this replay created: 1, 0 deleted, 1 LEFT BEHIND');
  t.match(again.stdout, `LEFT BEHIND  ${url}/things/t-2 (clean-up DELETE answered 500): check it, and remove by hand what the replay made`);
});

t.test('--target with another base path: the DELETE goes under the base the replayed POST was sent to, never the target\'s', async (t) => {
  const document = plainThingsDocument('bases');
  // Two APIs (two tenants, say) on one origin, each numbering its records from one counter.
  const stores: Record<string, Map<string, string>> = { '/a': new Map(), '/b': new Map(), '': new Map() };
  const deletes: string[] = [];
  let next = 0;
  const app = Fastify();
  for (const base of Object.keys(stores)) {
    app.post(`${base}/things`, async (_request, reply) => {
      const id = String(++next);
      stores[base]!.set(id, 'the replay\'s');
      return reply.code(201).send({ id });
    });
    app.get(`${base}/things/:id`, async (request, reply) => (stores[base]!.has((request.params as { id: string }).id) ? {} : reply.code(404).send({})));
    app.delete(`${base}/things/:id`, async (request, reply) => {
      deletes.push(request.url);
      return stores[base]!.delete((request.params as { id: string }).id) ? reply.code(204).send() : reply.code(404).send({});
    });
  }
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', `${url}/a`, '--allow-writes', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  const create = readResults(join(dir, 'out', 'report.json')).find((r) => r.operationId === 'createThing' && r.check === 'status-code')!;
  t.same([...stores['/a']!.keys()], [], "the run's own record is gone");

  for (const target of [`${url}/b`, url]) {
    const base = new URL(target).pathname.replace(/\/$/, '');
    // Someone else's record under the replay target's base, with the id the replayed create will get.
    stores[base]!.set(String(next + 1), 'precious');
    deletes.length = 0;
    const again = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', create.id, '--target', target], { cwd: dir });
    t.equal(again.code, 0, again.stdout);
    t.same(deletes, [`/a/things/${next}`], `--target ${target}: the DELETE went to the record the POST to /a made`);
    t.same([...stores['/a']!.keys()], [], 'which is gone');
    t.same([...stores[base]!.entries()], [[String(next), 'precious']], `the record under ${base || '/'} is untouched`);
    t.match(again.stdout, new RegExp(`removed: +the record this replay created, by DELETE ${url}/a/things/${next} \\(HTTP 204\\)`));
    stores[base]!.clear();
  }
});

t.test('an id only the body sent gave: replay sends no DELETE, and lists its record as LEFT BEHIND saying why', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'silent', version: '1' },
    paths: {
      // An id the run cannot make its own (three digits at most), so the example's "1" is sent as written.
      '/things': { post: { operationId: 'createThing', requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,3}$' } } }, example: { id: '1', name: 'x' } } } }, responses: { '201': { description: 'created' } } } },
      '/things/{thingId}': {
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '404': { description: 'gone' } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
      },
    },
  };
  const store = new Map([['1', 'someone else\'s']]);
  const deletes: string[] = [];
  let next = 100;
  const app = Fastify();
  // Ignores the id sent, makes its own record, and names nothing in its answer.
  app.post('/things', async (_request, reply) => {
    store.set(String(++next), 'created');
    return reply.code(201).send();
  });
  app.get('/things/:id', async (request, reply) => (store.has((request.params as { id: string }).id) ? { id: (request.params as { id: string }).id } : reply.code(404).send({})));
  app.delete('/things/:id', async (request, reply) => {
    deletes.push(request.url);
    store.delete((request.params as { id: string }).id);
    return reply.code(204).send();
  });
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  const create = readResults(join(dir, 'out', 'report.json')).find((r) => r.operationId === 'createThing' && r.check === 'status-code')!;
  const again = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', create.id], { cwd: dir });
  t.equal(again.code, 1, 'a record left behind');
  t.same(deletes, [], 'no DELETE, from the run or the replay');
  t.same([...store.entries()], [['1', 'someone else\'s'], ['101', 'created'], ['102', 'created']], "record 1 is untouched; the run's and the replay's records are still there");
  t.match(again.stdout, `LEFT BEHIND: ${url}/things: POST /things answered 201, but the supplier did not say which record it created (no links, Location header or id in its answer); the {thingId} "1" sent in the request body was not confirmed, so the replay sent no DELETE`);
  t.match(again.stdout, 'records this replay created: 1, 0 deleted, 1 LEFT BEHIND');
});

t.test('a 404 to the DELETE is not "removed": it is the first request to that URL, so the record is LEFT BEHIND saying so', async (t) => {
  const store = await startThingStore(t);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(THING_DOCUMENT) });
  const env = { TOKEN: TOKEN_RUN, KEY: KEY_RUN };
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', store.url, '--allow-writes', '--token-env', 'TOKEN', '--api-key-env', 'KEY', '--out', 'out', '-q', '--format', 'json'], { env, cwd: dir });
  const create = readResults(join(dir, 'out', 'report.json')).find((r) => r.operationId === 'createThing' && r.check === 'status-code' && r.status === 'pass')!;
  // The supplier answers 404 to the DELETE and keeps the record (the DELETE was to the wrong URL, as far as it knows).
  store.state.deleteStatus = 404;
  const again = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', create.id, '--token-env', 'TOKEN', '--api-key-env', 'KEY'], { env, cwd: dir });
  t.equal(again.code, 1, again.stdout);
  t.same([...store.things], ['t-2'], 'the record the replay made is still there');
  t.match(again.stdout, new RegExp(`LEFT BEHIND: ${store.url}/things/t-2\\S*: clean-up DELETE answered 404: the record may still be there under another URL`));
  t.match(again.stdout, 'records this replay created: 1, 0 deleted, 1 LEFT BEHIND');
  t.notMatch(again.stdout, /removed:/);
});

t.test("a lifecycle run again asks the report's API, whatever path --target has, and says the path was not used", async (t) => {
  const document = plainThingsDocument('things');
  // Two APIs on one origin: /a does not read back what it creates (the defect recorded), /b does.
  const stores: Record<string, Map<string, unknown>> = { a: new Map(), b: new Map() };
  const seen: string[] = [];
  let next = 0;
  const app = Fastify({ logger: false });
  for (const base of ['a', 'b'] as const) {
    app.post(`/${base}/things`, async (_request, reply) => {
      const id = String(++next);
      stores[base]!.set(id, {});
      return reply.code(201).send({ id });
    });
    app.get<{ Params: { id: string } }>(`/${base}/things/:id`, async (request, reply) => {
      seen.push(`GET /${base}`);
      return base === 'b' && stores[base]!.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({});
    });
    app.delete<{ Params: { id: string } }>(`/${base}/things/:id`, async (request, reply) => {
      stores[base]!.delete(request.params.id);
      return reply.code(204).send();
    });
  }
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', `${url}/a`, '--allow-writes', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  const failed = readResults(join(dir, 'out', 'report.json')).find((r) => r.check === 'resource-available');
  t.equal(failed?.status, 'fail', 'the run recorded the defect on /a');
  seen.length = 0;
  const again = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', failed!.id, '--target', `${url}/b`], { cwd: dir });
  t.ok(seen.length > 0 && seen.every((line) => line === 'GET /a'), `the lifecycle ran again on /a, the report's API: ${seen.join(', ')}`);
  t.match(again.stdout, /^REPRODUCES +resource-available\//m, 'so the defect is not shown fixed by another API that lacks it');
  t.match(again.stdout, /--target's path \/b is not used: the replay asks the report's API at \/a on /);
  t.equal(again.code, 1);
  t.equal(stores.a!.size + stores.b!.size, 0, 'and every record it made was deleted');
});

t.test('the base a create was sent under is found for paths written with characters a URL encodes', async (t) => {
  t.equal(sentBase('http://h/a/things', '/things')?.href, 'http://h/a');
  t.equal(sentBase('http://h/m%C3%A4ngel', '/mängel')?.href, 'http://h/', 'the URL is percent-encoded, the document is not');
  t.equal(sentBase('http://h/a/my%20things', '/my things')?.href, 'http://h/a');
  t.equal(sentBase('http://h/a/other', '/things'), undefined, 'a URL that does not end with the path gives no base, so no DELETE');
});

for (const keyed of [false, true]) {
  t.test(`a failure on a read of a record the run created and deleted is not replayed: its id may name another record now${keyed ? ' (an API key in the query)' : ''}`, async (t) => {
    const document = plainThingsDocument('owners') as { paths: Record<string, unknown>; components?: unknown; security?: unknown };
    document.paths['/things/{thingId}/owner'] = {
      parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getOwner', responses: { '200': { description: 'the owner', content: { 'application/json': { schema: { type: 'object' } } } } } },
    };
    // Etherpad's way: the key in every URL, redacted as `[redacted]` in the cleanup and as `${KEY}` in evidence.
    if (keyed) {
      document.components = { securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'apikey' } } };
      document.security = [{ key: [] }];
    }
    const things = new Set<string>();
    const owners: string[] = [];
    const app = Fastify({ logger: false });
    app.post('/things', async (_request, reply) => {
      things.add('4');
      return reply.code(201).send({ id: '4' });
    });
    app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => (things.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({})));
    // A thing with no owner: 404, which the document does not give.
    app.get<{ Params: { id: string } }>('/things/:id/owner', async (request, reply) => {
      owners.push(request.params.id);
      return reply.code(404).send({});
    });
    app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => reply.code(things.delete(request.params.id) ? 204 : 404).send());
    const url = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
    const env = { KEY: 'k3y-replay-91ab7c' };
    const key = keyed ? ['--api-key-env', 'KEY'] : [];
    await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', ...key, '--out', 'out', '-q', '--format', 'json'], { cwd: dir, env });
    const written = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { results: Array<ReportResult & { evidence?: { request: { url: string } } }>; cleanup: { deleted: string[] } };
    const failed = written.results.find((r) => r.operationId === 'getOwner' && r.check === 'status-code' && r.evidence?.request.url.startsWith(`${url}/things/4/owner`));
    t.equal(failed?.status, 'fail', 'the run judged the owner of its own thing 4');
    if (keyed) t.match(written.cleanup.deleted, [/\/things\/4\?apikey=/], 'the deleted URL carries the key, redacted');
    t.ok(owners.includes('4'));
    owners.length = 0;
    // Someone makes a new thing, and the supplier gives it the freed id 4.
    things.add('4');
    const again = await runCli(['replay', 'out/report.json', '--result', failed!.id, ...key], { cwd: dir, env });
    t.equal(again.code, 1, 'not judged');
    t.match(again.stdout, new RegExp(`^NOT REPLAYED +${failed!.id.replace(/[/.]/g, '\\$&')}\\n(  .*\\n)*  why: +the request went to a record the run created and then deleted \\(${url}/things/4`, 'm'));
    t.same(owners, [], 'nothing was sent to the new thing 4');
    t.match(again.stdout, /^replay of 1 named result\(s\): 0 of 1 replayed; 1 not replayed$/m, 'a result not replayed is not counted as replayed');
    t.match(again.stdout, /a new run with --allow-writes judges it on a record of its own/);
  });
}

t.test('a replayed create answered with a record its collection listed before (an upsert) is not deleted', async (t) => {
  const document = plainThingsDocument('upserts') as { paths: Record<string, Record<string, unknown>> };
  document.paths['/things']!.get = { operationId: 'listThings', responses: { '200': { description: 'the things', content: { 'application/json': { schema: { type: 'array' } } } } } };
  const things = new Set<string>();
  const deletes: string[] = [];
  let upsert = false;
  const app = Fastify({ logger: false });
  app.get('/things', async () => [...things].map((id) => ({ id })));
  // Until `upsert`, each create makes a new thing; then every create answers with thing 7, which is someone else's.
  app.post('/things', async (_request, reply) => {
    const id = upsert ? '7' : String(100 + things.size);
    things.add(id);
    return reply.code(201).send({ id });
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => (things.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({})));
  app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return reply.code(things.delete(request.params.id) ? 204 : 404).send();
  });
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  const create = readResults(join(dir, 'out', 'report.json')).find((r) => r.operationId === 'createThing' && r.check === 'status-code' && r.status === 'pass')!;
  t.ok(create, 'the run recorded its create');
  things.add('7');
  upsert = true;
  deletes.length = 0;
  const again = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', create.id], { cwd: dir });
  t.equal(again.code, 1, 'a record is left behind');
  t.same(deletes, [], 'no DELETE reached thing 7');
  t.ok(things.has('7'));
  t.match(again.stdout, /LEFT BEHIND: \S+\/things: POST \/things answered 201, but the \{thingId\} "7" it named was listed by GET \/things before the replay wrote anything/);

  // A list too large to read whole (here past --max-json-values) may show thing 7 too: still no DELETE.
  for (let i = 0; i < 50; i++) things.add(`other-${i}`);
  const unread = await runCli(['replay', 'out/report.json', '--allow-writes', '--result', create.id, '--max-json-values', '20'], { cwd: dir });
  t.equal(unread.code, 1, 'a record is left behind');
  t.same(deletes, [], 'no DELETE reached thing 7');
  t.match(unread.stdout, /LEFT BEHIND: \S+\/things: POST \/things answered 201, but GET \/things answered before the replay wrote anything with a list it could not read whole/);
});

t.test('a GET named as a change is sent once, with no follow-up, and replay never sends it again', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'rpc', version: '1' },
    // A profile, so a probe check (conditional-requests) runs beside status-code.
    'x-interop': {
      id: 'rpc-groups',
      version: '1.0.0',
      requirements: [{ id: 'RPC-01', level: 'SHOULD', statement: 'Reads SHOULD support conditional requests.', checks: ['status-code', 'conditional-requests'] }],
    },
    paths: { '/createGroup': { get: { operationId: 'createGroupUsingGET', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } } },
  };
  const made: string[] = [];
  const app = Fastify({ logger: false });
  // An ETag invites conditional-requests to send the GET again with If-None-Match: here, another group.
  app.get('/createGroup', async (request, reply) => {
    made.push(String(request.headers['if-none-match'] ?? 'plain'));
    return reply.header('etag', `"g${made.length}"`).send({ groupID: `g.${made.length}` });
  });
  const url = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', url, '--allow-writes', '--operations', 'createGroupUsingGET', '--out', 'out', '-q', '--format', 'json'], { cwd: dir });
  t.not(outcome.code, 2, outcome.stderr);
  t.same(made, ['plain'], 'sent once: no check sent it again');
  const results = readResults(join(dir, 'out', 'report.json'));
  t.match(results.find((r) => r.check === 'conditional-requests'), { status: 'skip', message: /is named as a change, and this check's follow-up request would make it again/ });
  const sent = results.find((r) => r.operationId === 'createGroupUsingGET' && r.check === 'status-code')!;
  for (const flags of [[], ['--allow-writes']]) {
    const again = await runCli(['replay', 'out/report.json', '--result', sent.id, ...flags], { cwd: dir });
    t.equal(again.code, 1, 'not replayed');
    t.match(again.stdout, /why: +not sent, even with --allow-writes: GET \/createGroup is named as a change \(its operationId begins with "create"\)/);
  }
  t.same(made, ['plain'], 'replay sent nothing');
});
