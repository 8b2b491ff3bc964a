import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Found on Directus 11: `POST /items/{collection}` takes one record or a list
 * of them (`oneOf: [array, object]`) and answers `{data: [...]}` to a list,
 * `{data: {...}}` to one. The run sent a batch of one, did not find the id in
 * the list it got back, and left the record behind on every run, saying the
 * supplier had not named it.
 */

const item = { type: 'object', required: ['name'], properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string' } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });

function document(createBody: unknown): string {
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'items', version: '1' },
    paths: {
      '/items/incidents': {
        post: { operationId: 'createIncidents', requestBody: { content: json(createBody) }, responses: { '200': { description: 'made', content: json({ type: 'object', properties: { data: {} } }) } } },
      },
      '/items/incidents/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'readIncident', responses: { '200': { description: 'ok', content: json({ type: 'object' }) }, '404': { description: 'gone' } } },
        delete: { operationId: 'deleteIncident', responses: { '204': { description: 'deleted' } } },
      },
    },
  });
}

/**
 * Directus's answers: a list for a list, one record for one; the store starts with someone else's
 * record 1. `stale`: a list is answered with the collection as it was before the insert.
 */
async function supplier(t: Test, stale = false) {
  const store = new Map<number, Record<string, unknown>>([[1, { id: 1, name: 'theirs' }]]);
  const bodies: unknown[] = [];
  let next = 4;
  const app = Fastify();
  const make = (record: Record<string, unknown>) => {
    const made = { ...record, id: ++next };
    store.set(made.id, made);
    return made;
  };
  app.post('/items/incidents', async (request) => {
    bodies.push(request.body);
    if (!Array.isArray(request.body)) return { data: make(request.body as Record<string, unknown>) };
    const before = [...store.values()];
    const made = request.body.map(make);
    return { data: stale ? before : made };
  });
  app.get<{ Params: { id: string } }>('/items/incidents/:id', async (request, reply) => {
    const record = store.get(Number(request.params.id));
    return record ? { data: record } : reply.code(404).send({});
  });
  app.delete<{ Params: { id: string } }>('/items/incidents/:id', async (request, reply) => {
    store.delete(Number(request.params.id));
    return reply.code(204).send();
  });
  return { target: await listen(t, app), store, bodies };
}

t.test('a create that takes one record or a list is sent one record, and the record it names is deleted', async (t) => {
  const { target, store, bodies } = await supplier(t);
  const dir = t.testdir({ 'openapi.json': document({ oneOf: [{ type: 'array', items: item }, item] }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.match(bodies, [{ name: /^interop-probe-[0-9a-f]+$/ }], 'one record, not a batch of one');
  t.match(report.cleanup, { deleted: [`${target}/items/incidents/5`], leftBehind: [] });
  t.same([...store.keys()], [1], "only someone else's record is left");
});

t.test('a create that takes only a list is answered with a list of one: that one is the record made', async (t) => {
  const { target, store, bodies } = await supplier(t);
  const dir = t.testdir({ 'openapi.json': document({ type: 'array', items: item }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.match(bodies, [[{ name: /^interop-probe-[0-9a-f]+$/ }]], 'a batch of one');
  t.match(report.cleanup, { deleted: [`${target}/items/incidents/5`], leftBehind: [] });
  t.same([...store.keys()], [1]);
});

t.test("a list of one that is not the record sent (the collection as it was: one foreign record) is not taken as the run's", async (t) => {
  // Review: the answer held only someone else's record 1, which the run read, DELETEd, and reported a clean run.
  const { target, store } = await supplier(t, true);
  const dir = t.testdir({ 'openapi.json': document({ type: 'array', items: item }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.ok(store.has(1), "someone else's record is still there");
  t.match(report.cleanup, { deleted: [], leftBehind: [{ url: `${target}/items/incidents`, reason: /did not say which record it created|named the record/ }] }, 'the run says its own record is left behind');
});
