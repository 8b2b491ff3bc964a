import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { replay } from '../../harness/run/replay.js';
import { run } from '../../harness/run/run.js';
import { planDryRun } from '../../harness/run/dry-run.js';
import { preparePlan } from '../../harness/run/prepare-run.js';
import { listen } from '../support/listen.js';

/**
 * What a lifecycle does when the supplier does not play along: a record it
 * cannot delete is listed in report.cleanup.leftBehind with its URL and why;
 * a create that names no record leaves the collection's URL; a create refused
 * for a body the harness invented is a warning, and no later step is sent.
 */

const json = { 'application/json': { schema: { type: 'object' } } };
const document = (paths: Record<string, unknown>) =>
  JSON.stringify({ openapi: '3.0.3', info: { title: 'lifecycles', version: '1' }, paths });

t.test('a record whose DELETE fails is left behind, with its URL and why', async (t) => {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.post('/things', async (_request, reply) => reply.code(201).send({ id: 't-1' }));
  app.get('/things/:id', async () => ({ id: 't-1' }));
  app.delete('/things/:id', async (_request, reply) => reply.code(500).send({ error: 'no' }));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': document({
      '/things': { post: { operationId: 'createThing', requestBody: { content: json }, responses: { '201': { description: 'created', content: json } } } },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(report.cleanup, { created: 1, deleted: [], leftBehind: [{ url: `${target}/things/t-1`, reason: 'clean-up DELETE answered 500' }] });
  t.same(sent.filter((r) => r.startsWith('DELETE')), ['DELETE /things/t-1', 'DELETE /things/t-1'], 'the delete step, then one clean-up attempt');
  t.notOk(sent.slice(sent.indexOf('DELETE /things/t-1') + 1).some((r) => r.startsWith('GET')), 'no read-after-delete when the delete failed');
});

t.test('a create that names no record leaves the collection URL behind; a refused invented body stops the lifecycle with a warning', async (t) => {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.post('/silent', async (_request, reply) => reply.code(201).send({}));
  app.post('/strict', async (_request, reply) => reply.code(422).send({ error: 'we wanted more' }));
  for (const base of ['/silent', '/strict']) {
    app.get(`${base}/:id`, async () => ({}));
    app.delete(`${base}/:id`, async (_request, reply) => reply.code(204).send());
  }
  const target = await listen(t, app);
  const item = (name: string) => ({
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    get: { operationId: `get${name}`, responses: { '200': { description: 'ok', content: json } } },
    delete: { operationId: `delete${name}`, responses: { '204': { description: 'deleted' } } },
  });
  const body = { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } };
  const dir = t.testdir({
    'openapi.json': document({
      '/silent': { post: { operationId: 'createSilent', requestBody: body, responses: { '201': { description: 'created', content: json } } } },
      '/silent/{id}': item('Silent'),
      '/strict': { post: { operationId: 'createStrict', requestBody: body, responses: { '201': { description: 'created', content: json } } } },
      '/strict/{id}': item('Strict'),
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, limits: { concurrency: 1 } });
  t.match(report.cleanup?.leftBehind, [{ url: `${target}/silent`, reason: /did not|neither its links, a Location header nor its body/ }]);
  const refused = report.results.find((r) => r.operationId === 'createStrict' && r.check === 'status-code');
  t.equal(refused?.status, 'warn', 'an invented body refused with an undocumented 4xx is a warning');
  t.match(refused?.message, /generated values for the request body/);
  t.notOk(sent.some((r) => /^(PUT|PATCH|DELETE) \/strict\//.test(r)), 'no write is sent for a record that was never created');
  t.equal(sent.filter((r) => r.startsWith('GET /strict/')).length, 1, 'only the read phase asked about /strict/{id}');
  t.ok(report.results.some((r) => r.operationId === 'deleteStrict' && r.check === 'probe' && /the create step POST \/strict answered 422/.test(r.message)));
});

/** A thing store: POST creates, GET reads, DELETE removes, each fault switchable. */
function thingServer(faults: { keepOnDelete?: boolean; forgetCreated?: boolean; deleteStatus?: number; createStatus?: number; noLocation?: boolean; nullWhenGone?: boolean } = {}) {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  const things = new Set<string>();
  app.post('/things', async (_request, reply) => {
    if (!faults.forgetCreated) things.add('t-1');
    if (!faults.noLocation) reply.header('location', '/things/t-1');
    return reply.code(faults.createStatus ?? 201).send(faults.noLocation ? {} : { id: 't-1' });
  });
  app.get('/things/:id', async (request, reply) => {
    if (things.has((request.params as { id: string }).id)) return { id: 't-1' };
    // NocoBase answers 200 `{"data": null}` for an id it does not have.
    return faults.nullWhenGone ? { data: null } : reply.code(404).send({ error: 'gone' });
  });
  app.delete('/things/:id', async (request, reply) => {
    if (!faults.keepOnDelete) things.delete((request.params as { id: string }).id);
    return reply.code(faults.deleteStatus ?? 204).send();
  });
  return { app, sent };
}

function thingDocument(getResponses: Record<string, unknown>, extra: { deleteResponses?: Record<string, unknown>; createResponses?: Record<string, unknown>; body?: unknown } = {}) {
  return document({
    '/things': { post: { operationId: 'createThing', requestBody: extra.body ?? { content: json }, responses: extra.createResponses ?? { '201': { description: 'created', content: json } } } },
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getThing', responses: getResponses },
      delete: { operationId: 'deleteThing', responses: extra.deleteResponses ?? { '204': { description: 'deleted' } } },
    },
  });
}

const byCheck = (report: { results: Array<{ check: string; status: string; message: string; operationId: string }> }, check: string) => report.results.filter((r) => r.check === check);

t.test('a conformant lifecycle passes resource-available and use-after-delete, each with its transcript', async (t) => {
  const { app, sent } = thingServer();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(sent.filter((r) => !r.startsWith('GET /things/') || sent.indexOf(r) > sent.indexOf('POST /things')), ['POST /things', 'GET /things/t-1', 'DELETE /things/t-1', 'GET /things/t-1']);
  const [available] = byCheck(report, 'resource-available');
  const [gone] = byCheck(report, 'use-after-delete');
  t.match(available, { status: 'pass', operationId: 'getThing', level: 'MUST', message: /POST .*\/things answered 201, then GET answered 200/ });
  t.match(gone, { status: 'pass', operationId: 'getThing', message: /DELETE .*\/things\/t-1 answered 204, then GET answered 404/ });
  t.equal((gone as { evidence?: { response?: { status: number } } }).evidence?.response?.status, 404, 'the read after the delete is the evidence');
  t.equal(report.summary.verdict, 'conformant');
  t.same(report.cleanup, { created: 1, deleted: [`${target}/things/t-1`], leftBehind: [] });
});

t.test('a 200 holding no record after the DELETE: the record is gone, and the status is a warning', async (t) => {
  // NocoBase (helper run): `GET /notes/7` after its DELETE answered 200 `{"data": null}`; the run listed the note as left behind.
  const { app } = thingServer({ nullWhenGone: true });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const [gone] = byCheck(report, 'use-after-delete');
  t.match(gone, { status: 'warn', message: /answered 204, then GET answered 200 with no record in its body: the record is gone, but the status should say so \(404 or 410\)/ });
  t.same(report.cleanup, { created: 1, deleted: [`${target}/things/t-1`], leftBehind: [] }, 'deleted, not left behind');
});

t.test('a read as empty before the DELETE as after it shows nothing: the record is left behind, not deleted', async (t) => {
  // Fourth review: a read that never shows a record (scoped, or missing a parameter) and a DELETE that removes nothing
  // (NocoBase's destroy answers 200 when its filter matches nothing) were reported as deleted.
  for (const [name, body] of [['{"data": null}', { data: null }], ['{}', {}], ['an empty body', '']] as const) {
    const things = new Set<string>();
    const app = Fastify();
    app.post('/things', async (_request, reply) => {
      things.add('t-1');
      return reply.code(201).header('location', '/things/t-1').send({ id: 't-1' });
    });
    app.get('/things/:id', async (_request, reply) => reply.code(200).header('content-type', 'application/json').send(body === '' ? '' : JSON.stringify(body)));
    app.delete('/things/:id', async () => ({ data: 0 }));
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json } }, { deleteResponses: { '200': { description: 'deleted', content: json } } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.ok(things.has('t-1'), `${name}: the record is still on the supplier`);
    t.match(report.cleanup?.leftBehind, [{ url: `${target}/things/t-1`, reason: /but no read showed the record before or after it .*whether it is gone cannot be told/ }], `${name}: and listed as left behind`);
    t.match(byCheck(report, 'use-after-delete'), [{ status: 'warn', message: /as the read before the DELETE did \(or none was made\): whether the record is gone cannot be told/ }]);
  }
});

t.test('a deleted record that still reads fails use-after-delete, and is listed as left behind', async (t) => {
  const { app } = thingServer({ keepOnDelete: true });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const failed = report.results.filter((r) => r.status === 'fail');
  t.equal(failed.length, 1, 'one defect, one failure');
  t.match(failed[0], { check: 'use-after-delete', operationId: 'getThing', expected: '404 or 410 for the deleted record', actual: '200', message: /answered 204, but the record still reads \(200\)/ });
  t.ok(failed[0]?.evidence?.curl.startsWith('curl '), 'with a curl line that repeats the read');
  t.equal(report.summary.verdict, 'non-conformant', 'generic mode: every check is MUST');
  t.match(report.cleanup?.leftBehind, [{ url: `${target}/things/t-1`, reason: /still readable after its DELETE/ }]);
  const replayed = await replay({ report, profile: `${dir}/openapi.json`, cwd: dir });
  t.match(replayed.replayed, [{ status: 'not-replayed', reason: /use-after-delete judges a record the run created: pass --allow-writes/ }], 'replay without writes says why it cannot judge a lifecycle read alone');
  const again = await replay({ report, profile: `${dir}/openapi.json`, cwd: dir, allowWrites: true });
  t.match(again.replayed, [{ status: 'reproduces' }], 'with --allow-writes the lifecycle runs again and the record still reads');
});

t.test('a created record that does not read back fails resource-available, and nothing else', async (t) => {
  const { app } = thingServer({ forgetCreated: true });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }, { deleteResponses: { '204': { description: 'deleted' }, '404': { description: 'no such thing' } } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(report.results.filter((r) => r.status === 'fail').map((r) => `${r.check} ${r.operationId} ${r.actual}`), ['resource-available getThing 404']);
  t.notOk(report.summary.caveats?.some((c) => c.code === 'not-served'), 'a 404 for the record the run created is not "path not served"');
});

t.test('after a 202 (accepted, done later) a missing or lingering record is a warning, not a failure', async (t) => {
  const { app } = thingServer({ keepOnDelete: true, deleteStatus: 202 });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }, { deleteResponses: { '202': { description: 'accepted' } } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.match(byCheck(report, 'use-after-delete'), [{ status: 'warn', message: /answered 202 \(accepted, not yet done\) and the record still reads/ }]);
  t.notOk(report.results.some((r) => r.status === 'fail'));
});

t.test('an id the run had to take from its own request body: a 404 read-back is a warning', async (t) => {
  const { app } = thingServer({ forgetCreated: true, noLocation: true });
  const target = await listen(t, app);
  const body = { required: true, content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, example: { id: 't-1' } } } };
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }, { body, deleteResponses: { '204': { description: 'deleted' }, '404': { description: 'no such thing' } } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.match(byCheck(report, 'resource-available'), [{ status: 'warn', message: /did not confirm which record it made; the read-back with the id the run used .* answered 404/ }]);
  t.notOk(report.results.some((r) => r.status === 'fail'));
});

t.test('the read after a delete: sent for use-after-delete even when the document lists no 404 (a warning), not sent without that check', async (t) => {
  const getResponses = { '200': { description: 'ok', content: json } };
  {
    const { app, sent } = thingServer();
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': thingDocument(getResponses) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.equal(sent.at(-1), 'GET /things/t-1', 'the read after the delete is sent');
    t.notOk(report.results.some((r) => r.status === 'fail'), 'no false failure: the record is gone, only the document is short');
    t.match(byCheck(report, 'use-after-delete'), [{ status: 'pass' }]);
    const warned = report.results.filter((r) => r.check === 'status-code' && r.status === 'warn' && /just deleted/.test(r.message));
    t.match(warned, [{ operationId: 'getThing', message: /^status 404 is not documented for GET \/things\/\{id\}, though it is the right answer for a record the run has just deleted/ }]);
    t.same(report.cleanup, { created: 1, deleted: [`${target}/things/t-1`], leftBehind: [] });
  }
  {
    const { app, sent } = thingServer();
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': thingDocument(getResponses) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, skipChecks: ['use-after-delete'] });
    t.equal(sent.at(-1), 'DELETE /things/t-1', 'no GET after the delete: its 404 is undocumented, a failure the run would cause');
    t.notOk(report.results.some((r) => r.status === 'fail'), 'no false failure');
    t.ok(report.results.some((r) => r.operationId === 'getThing' && r.check === 'probe' && /documents no 404 or 410/.test(r.message)));
  }
});

t.test('a read-only run never judges a lifecycle', async (t) => {
  const { app, sent } = thingServer();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, vars: { id: 't-0' } });
  t.notOk(sent.some((r) => !r.startsWith('GET')), 'nothing but reads');
  t.same(byCheck(report, 'resource-available'), []);
  t.same(byCheck(report, 'use-after-delete'), []);
});

t.test('an id only the request body gave is never the target of a write: record 1, someone else\'s, stays; the run\'s own is listed as left behind', async (t) => {
  const sent: string[] = [];
  const store = new Map([['1', 'someone else\'s']]);
  let next = 100;
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  // Ignores the id the body sends, makes its own record, and names nothing in its answer.
  app.post('/things', async (_request, reply) => {
    store.set(String(++next), 'created');
    return reply.code(201).send();
  });
  app.get('/things/:id', async (request, reply) => (store.has((request.params as { id: string }).id) ? { id: (request.params as { id: string }).id } : reply.code(404).send({})));
  app.put('/things/:id', async (request) => {
    store.set((request.params as { id: string }).id, 'overwritten');
    return {};
  });
  app.delete('/things/:id', async (request, reply) => {
    store.delete((request.params as { id: string }).id);
    return reply.code(204).send();
  });
  const target = await listen(t, app);
  // An id the run cannot make its own (three digits at most), so the example's "1" is sent as written.
  const body = { content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,3}$' } } }, example: { id: '1', name: 'x' } } } };
  const dir = t.testdir({
    'openapi.json': document({
      '/things': { post: { operationId: 'createThing', requestBody: body, responses: { '201': { description: 'created' } } } },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } },
        put: { operationId: 'putThing', requestBody: body, responses: { '200': { description: 'ok', content: json } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same([...store.entries()], [['1', 'someone else\'s'], ['101', 'created']], 'record 1 is neither changed nor deleted');
  t.notOk(sent.some((r) => /^(PUT|PATCH|DELETE) /.test(r)), 'no write to the guessed id, not even in the clean-up');
  t.ok(sent.includes('GET /things/1'), 'a read with it is harmless, and sent');
  t.same(report.cleanup, {
    created: 1,
    deleted: [],
    leftBehind: [{ url: `${target}/things`, reason: 'POST /things answered 201, but the supplier did not say which record it created (no links, Location header or id in its answer); the {id} "1" sent in the request body was not confirmed, so the run sent no DELETE to a record that may not be its own' }],
  });
  t.match(byCheck(report, 'resource-available'), [{ status: 'skip', message: /did not confirm which record it made; .* it may not be the one the run created/ }], 'a 2xx to record 1 is not a pass: it may be another record');
  t.same(byCheck(report, 'use-after-delete'), [], 'nothing was deleted, so nothing is judged gone');
  for (const operationId of ['putThing', 'deleteThing']) {
    t.ok(report.results.some((r) => r.operationId === operationId && r.check === 'probe' && r.status === 'skip' && /was not confirmed/.test(r.message)), `${operationId} is a skip saying why`);
  }
  t.notOk(report.results.some((r) => r.status === 'fail'), 'no failure the run caused');
});

/**
 * A supplier that stores by `documentId`, answers creates {data: {id, documentId}}, deletes by either id
 * (so a DELETE to the numeric one does damage), and reads as `read` says.
 */
async function twoIdSupplier(t: Test, read: (known: boolean) => { status: number; body?: unknown }) {
  const byDocumentId = new Map<string, number>();
  const sent: string[] = [];
  let next = 8;
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.post('/things', async (_request, reply) => {
    const id = ++next;
    byDocumentId.set(`doc${id}x`, id);
    return reply.code(201).send({ data: { id, documentId: `doc${id}x` } });
  });
  app.get('/things/:id', async (request, reply) => {
    const answer = read(byDocumentId.has((request.params as { id: string }).id));
    return reply.code(answer.status).send(answer.body ?? {});
  });
  app.delete('/things/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    for (const [documentId, n] of byDocumentId) if (documentId === id || String(n) === id) byDocumentId.delete(documentId);
    return reply.code(204).send();
  });
  return { target: await listen(t, app), byDocumentId, sent };
}

t.test("an answer with two id fields, the path taking the other (Strapi's documentId): no write reaches the id the read refuted", async (t) => {
  // Strapi 5 answers a create {data: {id: 9, documentId: "…"}}, routes /things/{id} by documentId,
  // and answers 204 to a DELETE of any id: a DELETE to 9 would be counted as removing a record that stays.
  const { target, byDocumentId, sent } = await twoIdSupplier(t, (known) => ({ status: known ? 200 : 404 }));
  const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(sent.filter((r) => r.startsWith('DELETE')), [], 'no DELETE, whose 204 would say nothing');
  t.same([...byDocumentId.keys()], ['doc9x'], 'the record is still there');
  t.match(report.cleanup, {
    created: 1,
    deleted: [],
    leftBehind: [{ url: `${target}/things`, reason: /^POST \/things answered 201, but the read of the record \(\S+\/things\/9\) answered 404, so the \{id\} "9" the run took from the create's answer may not name the record it made \(the path may take documentId\); the run sent no update or DELETE to it$/ }],
  });
  const [available] = byCheck(report, 'resource-available');
  t.match(available, { status: 'warn', message: /the answer also holds `documentId`, which the path may take instead \(a link on the create's response, such as \$response\.body#\/documentId, would say which\)/ });
  t.same(byCheck(report, 'use-after-delete').map((r) => r.status), [], 'no delete, so nothing to judge after one');
  t.notOk(report.results.some((r) => r.status === 'fail'), 'the run\'s own guess fails nothing');
});

t.test('an id chosen among several id fields gets a DELETE only after a 2xx read, on every path (review)', async (t) => {
  const deletes = (sent: string[]) => sent.filter((r) => r.startsWith('DELETE'));
  {
    // The document has no GET for the record: nothing can confirm the id.
    const { target, byDocumentId, sent } = await twoIdSupplier(t, () => ({ status: 200 }));
    const document = JSON.parse(thingDocument({ '200': { description: 'ok', content: json } })) as { paths: Record<string, Record<string, unknown>> };
    delete document.paths['/things/{id}']!.get;
    const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.same(deletes(sent), [], 'no GET in the document: no DELETE');
    t.equal(byDocumentId.size, 1, 'the record is still there, and the report says so');
    t.match(report.cleanup?.leftBehind, [{ url: `${target}/things`, reason: /the run took the \{id\} "9" from one of the answer's id fields \(the path may take documentId\) and no read of the record could confirm it; the run sent no update or DELETE to it/ }]);
  }
  {
    // The read answers 400, not 404: still no confirmation.
    const { target, byDocumentId, sent } = await twoIdSupplier(t, () => ({ status: 400, body: { error: 'bad id' } }));
    const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '400': { description: 'bad' } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.same(deletes(sent), [], 'a 400 to the read: no DELETE');
    t.equal(byDocumentId.size, 1);
    t.match(report.cleanup?.leftBehind, [{ reason: /the read of the record \(\S+\/things\/9\) answered 400/ }]);
  }
  {
    // The read is left out of the run (--skip-operations): it is still sent, once, to confirm the id before a write.
    const { target, sent } = await twoIdSupplier(t, (known) => (known ? { status: 200 } : { status: 404 }));
    const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, selection: { skipOperations: ['getThing'] } });
    t.same(deletes(sent), [], 'the confirming read got 404: no DELETE');
    t.ok(sent.includes('GET /things/9'), 'the read that confirms the id was sent');
    t.equal(report.cleanup?.leftBehind.length, 1);
  }
  {
    // Invalid creates (--negative) the supplier stored go to the clean-up, which reads before it deletes.
    const { target, byDocumentId, sent } = await twoIdSupplier(t, (known) => (known ? { status: 200 } : { status: 404 }));
    const dir = t.testdir({
      'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }, { body: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } }, additionalProperties: false }, example: { name: 'x' } } } } }),
    });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, negative: { seed: 1, maxPerOperation: 2 } });
    t.same(deletes(sent), [], 'no DELETE to any of them');
    t.equal(report.cleanup?.created, byDocumentId.size, 'every record made is still there');
    t.equal(report.cleanup?.leftBehind.length, byDocumentId.size, 'and each is listed as left behind');
    t.same(report.cleanup?.deleted, []);
  }
});

t.test('a 404 to a DELETE counts as gone only after a read showed the record at that URL', async (t) => {
  {
    // The supplier keeps the record under its own id: the id it answered with reaches nothing.
    const kept: string[] = [];
    const sent: string[] = [];
    const app = Fastify();
    app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
    app.post('/things', async (_request, reply) => {
      kept.push('internal-7');
      return reply.code(201).send({ id: 't-1' });
    });
    app.get('/things/:id', async (_request, reply) => reply.code(404).send({}));
    app.delete('/things/:id', async (_request, reply) => reply.code(404).send({}));
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }, { deleteResponses: { '204': { description: 'deleted' }, '404': { description: 'no such thing' } } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.same(kept, ['internal-7'], 'the record is still on the supplier');
    // A 404 is the supplier's answer: sent again at the end, the DELETE could reach a record that took the id since (NocoDB).
    t.same(sent.filter((r) => r.startsWith('DELETE')), ['DELETE /things/t-1'], 'the delete step, and no clean-up attempt after its 404');
    t.same(report.cleanup, { created: 1, deleted: [], leftBehind: [{ url: `${target}/things/t-1`, reason: 'DELETE answered 404: the record may still be there under another URL' }] });
  }
  {
    // Read back at that URL, then a DELETE that failed but took effect: the clean-up's 404 means gone.
    const things = new Set<string>();
    let deletes = 0;
    const app = Fastify();
    app.post('/things', async (_request, reply) => {
      things.add('t-1');
      return reply.code(201).send({ id: 't-1' });
    });
    app.get('/things/:id', async (request, reply) => (things.has((request.params as { id: string }).id) ? { id: 't-1' } : reply.code(404).send({})));
    app.delete('/things/:id', async (request, reply) => {
      const had = things.delete((request.params as { id: string }).id);
      return reply.code(++deletes === 1 ? 500 : had ? 204 : 404).send();
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.equal(deletes, 2);
    t.same(report.cleanup, { created: 1, deleted: [`${target}/things/t-1`], leftBehind: [] }, 'seen at its URL, then a 404: gone');
  }
});

t.test("a link that reads the request, or is a constant, confirms nothing: record 1, someone else's, is never deleted, by the run or its replay", async (t) => {
  // Each link gives {thingId} "1" whatever the supplier made; only one reading the answer names the record.
  const links: Record<string, string> = {
    'request body': '$request.body#/id',
    'request header': '$request.header.x-thing-ref',
    'request query': '$request.query.ref',
    constant: '1',
    'answer (control)': '$response.body#/thingId',
  };
  for (const [what, expression] of Object.entries(links)) {
    const control = what === 'answer (control)';
    const sent: string[] = [];
    const store = new Map([['1', "someone else's"]]);
    let next = 100;
    const app = Fastify();
    app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
    // Ignores what the request says, makes its own record, and names it only in the control.
    app.post('/things', async (_request, reply) => {
      const id = String(++next);
      store.set(id, 'created');
      return reply.code(201).send(control ? { thingId: id } : {});
    });
    app.get('/things/:id', async (request, reply) => (store.has((request.params as { id: string }).id) ? { id: (request.params as { id: string }).id } : reply.code(404).send({})));
    app.delete('/things/:id', async (request, reply) => {
      store.delete((request.params as { id: string }).id);
      return reply.code(204).send();
    });
    const target = await listen(t, app);
    const create = {
      operationId: 'createThing',
      parameters: [
        { name: 'x-thing-ref', in: 'header', required: true, schema: { type: 'string' }, example: '1' },
        { name: 'ref', in: 'query', required: true, schema: { type: 'string' }, example: '1' },
      ],
      // An id the run cannot make its own (three digits at most), so the example's "1" is sent as written.
      requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,3}$' } } }, example: { id: '1', name: 'x' } } } },
      responses: { '201': { description: 'created', content: json, links: { GetThing: { operationId: 'getThing', parameters: { thingId: expression } } } } },
    };
    const dir = t.testdir({
      'openapi.json': document({
        '/things': { post: create },
        '/things/{thingId}': {
          parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
          get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } },
          delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
        },
      }),
    });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    if (control) {
      t.same([...store.keys()], ['1'], `${what}: the record the answer named is deleted, record 1 is not`);
      t.same(report.cleanup, { created: 1, deleted: [`${target}/things/101`], leftBehind: [] }, `${what}: cleanup`);
      continue;
    }
    t.same([...store.entries()], [['1', "someone else's"], ['101', 'created']], `${what}: record 1 is untouched, the run's own record 101 is still there`);
    t.same(sent.filter((r) => /^(PUT|PATCH|DELETE) /.test(r)), [], `${what}: no write to the unconfirmed id, not even in the clean-up`);
    t.equal(report.cleanup?.deleted.length, 0, `${what}: nothing reported deleted`);
    t.match(report.cleanup?.leftBehind, [{ url: `${target}/things`, reason: /^POST \/things answered 201, but the supplier did not say which record it created \(its links (read the request|give a constant), not its answer; .*the \{thingId\} "1" its links (take from the request|give as a constant).* was not confirmed, so the run sent no DELETE/ }], `${what}: the run's record is listed as left behind`);
    t.equal(report.cleanup?.leftBehind.length, 1);
    t.match(byCheck(report, 'resource-available'), [{ status: 'skip' }], `${what}: a 2xx read of record 1 is not a pass`);
    t.ok(report.results.some((r) => r.operationId === 'deleteThing' && r.check === 'probe' && r.status === 'skip' && /links (take|give).* was not confirmed/.test(r.message)), `${what}: the delete step is a skip saying why`);
    t.notOk(report.results.some((r) => r.status === 'fail'), `${what}: no failure the run caused`);
    if (what !== 'request body') continue;
    // Replay finds the id with the same code (recordCreated): its create's record is left behind too.
    const createResult = report.results.find((r) => r.operationId === 'createThing' && r.check === 'status-code')!;
    const again = await replay({ report, profile: `${dir}/openapi.json`, cwd: dir, allowWrites: true, resultIds: [createResult.id!] });
    t.same([...store.keys()], ['1', '101', '102'], 'replay: record 1 is untouched, its own record 102 is still there');
    t.same(sent.filter((r) => r.startsWith('DELETE')), [], 'replay: no DELETE');
    t.match(again.cleanup, { created: 1, deleted: [], leftBehind: [{ url: `${target}/things`, reason: /its links take from the request \(\$request\.body#\/id\) was not confirmed, so the replay sent no DELETE/ }] });
  }
});

t.test("a Location that is not the record's (a 202's status monitor, another base, a 200's) gives no id: record 7, someone else's, is never deleted", async (t) => {
  // [status, Location, body]: each names 7, which is a job or someone else's record, never the run's own.
  const cases: Array<[number, string, unknown]> = [
    [202, '/a/queue/things/7', {}],
    [202, '/a/things/7', { id: '7', status: 'queued' }],
    [201, '/a/queue/things/7', {}],
    [201, '/b/things/7', {}],
    [201, '/queue/things/7', {}],
    [201, '/things/7/status', {}],
    [200, '/a/things/7', {}],
  ];
  for (const [status, location, body] of cases) {
    const what = `${status} with Location ${location}`;
    const deletes: string[] = [];
    const store = new Map([['7', "someone else's"]]);
    let next = 100;
    const app = Fastify();
    app.post('/a/things', async (_request, reply) => {
      store.set(String(++next), 'created');
      return reply.code(status).header('location', location).send(body);
    });
    app.get('/a/things/:id', async (request, reply) => (store.has((request.params as { id: string }).id) ? { id: (request.params as { id: string }).id } : reply.code(404).send({})));
    app.delete('/a/things/:id', async (request, reply) => {
      deletes.push(request.url);
      store.delete((request.params as { id: string }).id);
      return reply.code(204).send();
    });
    const server = await listen(t, app);
    const target = `${server}/a`;
    const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }, { createResponses: { [String(status)]: { description: 'answered', content: json } } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.same(deletes, [], `${what}: no DELETE`);
    t.same([...store.entries()], [['7', "someone else's"], ['101', 'created']], `${what}: record 7 is untouched; the run's own record is still there`);
    t.same(report.cleanup?.deleted, [], `${what}: nothing reported deleted`);
    t.match(report.cleanup?.leftBehind, [{ url: `${target}/things`, reason: status === 202 ? /a 202 \(accepted, not yet done\) describes the request's status, not the record/ : status === 200 ? /a 200's Location header need not name the record it created/ : /its Location header \(.*\) does not name a record of \/things/ }], `${what}: left behind, saying why`);
    t.notOk(report.results.some((r) => r.status === 'fail'), `${what}: no failure the run caused`);
  }
  // Controls: a 201's Location right under the collection, as sent or relative to the API root, still names the record.
  for (const location of ['/a/things/101', '/things/101', 'http://placeholder/a/things/101']) {
    const store = new Map([['7', "someone else's"]]);
    const app = Fastify();
    let origin = '';
    app.post('/a/things', async (_request, reply) => {
      store.set('101', 'created');
      return reply.code(201).header('location', location.replace('http://placeholder', origin)).send({});
    });
    app.get('/a/things/:id', async (request, reply) => (store.has((request.params as { id: string }).id) ? {} : reply.code(404).send({})));
    app.delete('/a/things/:id', async (request, reply) => reply.code(store.delete((request.params as { id: string }).id) ? 204 : 404).send());
    origin = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': thingDocument({ '200': { description: 'ok', content: json }, '404': { description: 'gone' } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target: `${origin}/a`, allowWrites: true });
    t.same([...store.keys()], ['7'], `201 with Location ${location}: the run's record is deleted, record 7 is not`);
    t.same(report.cleanup, { created: 1, deleted: [`${origin}/a/things/101`], leftBehind: [] });
  }
});

t.test("a lifecycle's writes use only the run's own ids: a path parameter without one is a skip, never a harvested, example or generated id", async (t) => {
  const p = (name: string, example?: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...(example ? { example } : {}) });
  const profile = document({
    '/things': { post: { operationId: 'createThing', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { name: 'x' } } } }, responses: { '201': { description: 'created', content: json } } } },
    '/things/{thingId}': {
      parameters: [p('thingId')],
      get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } },
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
    },
    '/attachments': { get: { operationId: 'listAttachments', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } },
    '/things/{thingId}/attachments/{attachmentId}': {
      parameters: [p('thingId'), p('attachmentId')],
      get: { operationId: 'getAttachment', responses: { '200': { description: 'ok', content: json }, '404': { description: 'not found' } } },
      delete: { operationId: 'detachAttachment', responses: { '204': { description: 'detached' }, '404': { description: 'not found' } } },
    },
    '/things/{thingId}/labels/{labelId}': {
      parameters: [p('thingId'), p('labelId', 'label-9')],
      put: { operationId: 'putLabel', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { text: 'x' } } } }, responses: { '200': { description: 'ok', content: json } } },
    },
  });
  async function scenario(vars: Record<string, string> = {}) {
    const sent: string[] = [];
    const things = new Set<string>();
    const attachments = new Map([['att-42', "someone else's contract.pdf"]]);
    const labels = new Map([['label-9', "someone else's label"]]);
    let next = 100;
    const app = Fastify();
    app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
    app.post('/things', async (_request, reply) => {
      const id = String(++next);
      things.add(id);
      return reply.code(201).send({ id });
    });
    app.get('/things/:id', async (request, reply) => (things.has((request.params as { id: string }).id) ? { id: (request.params as { id: string }).id } : reply.code(404).send({})));
    app.delete('/things/:id', async (request, reply) => reply.code(things.delete((request.params as { id: string }).id) ? 204 : 404).send());
    app.get('/attachments', async () => [...attachments].map(([id, name]) => ({ id, name })));
    // A lax supplier: the attachment or label is found by its own id, the thing in the path is not checked.
    app.get('/things/:t/attachments/:a', async (request, reply) => (attachments.has((request.params as { a: string }).a) ? {} : reply.code(404).send({})));
    app.delete('/things/:t/attachments/:a', async (request, reply) => reply.code(attachments.delete((request.params as { a: string }).a) ? 204 : 404).send());
    app.put('/things/:t/labels/:l', async (request) => {
      labels.set((request.params as { l: string }).l, 'overwritten');
      return {};
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': profile });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, vars });
    return { sent, things, attachments, labels, report, target };
  }
  {
    // An unscoped --var is as likely meant for reads of an existing record: it does not reach a write.
    const { sent, things, attachments, labels, report, target } = await scenario({ attachmentId: 'att-42' });
    t.same([...attachments.keys()], ['att-42'], "someone else's attachment is still there");
    t.same([...labels.entries()], [['label-9', "someone else's label"]], "someone else's label is unchanged");
    t.same([...things], [], "the run's own record is deleted");
    t.same(sent.filter((r) => /^(POST|PUT|PATCH|DELETE) /.test(r)), ['POST /things', 'DELETE /things/101'], 'the only writes: the create and the DELETE of the record it made');
    t.ok(sent.includes('GET /things/101/attachments/att-42'), 'a read may still use a harvested or --var id');
    t.same(report.cleanup, { created: 1, deleted: [`${target}/things/101`], leftBehind: [] });
    for (const [operationId, name] of [['detachAttachment', 'attachmentId'], ['putLabel', 'labelId']] as const) {
      const skipped = report.results.find((r) => r.operationId === operationId && r.check === 'probe');
      t.match(skipped, { status: 'skip', message: new RegExp(`no value for path parameter \\{${name}\\} from a record the run created: a write is never sent to an id from a list, an example or a generated one.*--var ${operationId}\\.${name}=`) }, `${operationId} is a skip naming {${name}}`);
    }
    t.notOk(report.results.some((r) => r.status === 'fail' || r.status === 'error'), 'no failure the run caused');
    // --dry-run lists what the run will send: the same writes are shown not sent, for the same reason.
    const dir = t.testdir({ 'openapi.json': profile });
    const listed = planDryRun(await preparePlan({ profile: `${dir}/openapi.json`, target, allowWrites: true, vars: { attachmentId: 'att-42' } }));
    for (const [operationId, name] of [['detachAttachment', 'attachmentId'], ['putLabel', 'labelId']] as const) {
      t.match(listed.find((l) => l.operationId === operationId), { reason: new RegExp(`^not sent: no value for path parameter \\{${name}\\} from a record the run created`) }, `--dry-run shows ${operationId} not sent`);
    }
  }
  {
    // A --var scoped to the write names the record for it: the user's choice, sent.
    const { sent, attachments } = await scenario({ 'detachAttachment.attachmentId': 'att-42' });
    t.ok(sent.includes('DELETE /things/101/attachments/att-42'), 'a --var scoped to the operation is sent');
    t.same([...attachments.keys()], []);
  }
});
