import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Unleash 6.10 (review of its run): an action on the run's own record that
 * answers 201 (`POST /features/{name}/clone`) makes another record, which
 * deleting the run's record does not remove; the report said "none left
 * behind". It is now listed as left behind, with its Location.
 */

const json = (schema: unknown) => ({ 'application/json': { schema } });
const thing = { type: 'object', required: ['id'], properties: { id: { type: 'string' }, name: { type: 'string' } } };

t.test("an action answered 201 on the run's record is listed as made, not deleted", async (t) => {
  const things = new Map<string, { id: string; name?: string }>();
  let next = 100;
  const app = Fastify();
  app.post<{ Body: { name?: string } }>('/things', async (request, reply) => {
    const made = { id: String(++next), ...(request.body.name ? { name: request.body.name } : {}) };
    things.set(made.id, made);
    return reply.code(201).send(made);
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => things.get(request.params.id) ?? reply.code(404).send({}));
  app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => reply.code(things.delete(request.params.id) ? 204 : 404).send());
  app.post<{ Params: { id: string } }>('/things/:id/clone', async (request, reply) => {
    const copy = { ...things.get(request.params.id)!, id: String(++next) };
    things.set(copy.id, copy);
    return reply.code(201).header('location', `/things/${copy.id}`).send(copy);
  });
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'things', version: '1' },
      paths: {
        '/things': { post: { operationId: 'createThing', requestBody: { required: true, content: json({ type: 'object', properties: { name: { type: 'string' } } }) }, responses: { '201': { description: 'made', content: json(thing) } } } },
        '/things/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json(thing) }, '404': { description: 'none' } } },
          delete: { operationId: 'deleteThing', responses: { '204': { description: 'gone' }, '404': { description: 'none' } } },
        },
        '/things/{id}/clone': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          post: { operationId: 'cloneThing', responses: { '201': { description: 'cloned', content: json(thing) } } },
        },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.equal(things.size, 1, 'the clone is still there');
  const [clone] = [...things.keys()];
  t.match(report.cleanup, {
    created: 2,
    deleted: [/\/things\/101$/],
    leftBehind: [{ url: /\/things\/101\/clone$/, reason: `POST /things/{id}/clone, an action on the run's own record, answered 201 Created (its Location: /things/${clone}): it may have made a record apart from the run's, which the run does not delete` }],
  });
});

t.test('a 201 whose Location lies under the run\'s record is a part of it, not listed', async (t) => {
  // Review: `POST /orders/{id}/items` answered 201 with Location /orders/1/items/1; the order's DELETE removes its lines.
  const orders = new Map<string, string[]>();
  const app = Fastify();
  app.post('/orders', async (_request, reply) => {
    orders.set('1', []);
    return reply.code(201).send({ id: '1' });
  });
  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => (orders.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({})));
  app.delete<{ Params: { id: string } }>('/orders/:id', async (request, reply) => reply.code(orders.delete(request.params.id) ? 204 : 404).send());
  app.post<{ Params: { id: string } }>('/orders/:id/items', async (request, reply) => {
    orders.get(request.params.id)?.push('line');
    return reply.code(201).header('location', `/orders/${request.params.id}/items/1`).send({ id: '1' });
  });
  const target = await listen(t, app);
  const order = { type: 'object', properties: { id: { type: 'string' } } };
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'orders', version: '1' },
      paths: {
        '/orders': { post: { operationId: 'createOrder', requestBody: { content: json({ type: 'object' }) }, responses: { '201': { description: 'made', content: json(order) } } } },
        '/orders/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: { operationId: 'getOrder', responses: { '200': { description: 'ok', content: json(order) }, '404': { description: 'none' } } },
          delete: { operationId: 'deleteOrder', responses: { '204': { description: 'gone' }, '404': { description: 'none' } } },
        },
        '/orders/{id}/items': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          post: { operationId: 'addItem', requestBody: { content: json({ type: 'object' }) }, responses: { '201': { description: 'added', content: json(order) } } },
        },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.ok(report.results.some((r) => r.operationId === 'addItem' && r.check === 'status-code' && r.status === 'pass'), 'the line was added');
  t.same(report.cleanup?.leftBehind, [], 'nothing listed: the line went with its order');
});

t.test('with no DELETE planned for the record, a clone under the collection is still listed', async (t) => {
  // Review: the record's URL was then the collection's, and the clone's Location /things/2 lay "under" it.
  const things = new Map<string, object>();
  let next = 0;
  const app = Fastify();
  app.post('/things', async (_request, reply) => {
    things.set(String(++next), { id: next });
    return reply.code(201).send({ id: next });
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => things.get(request.params.id) ?? reply.code(404).send({}));
  app.post<{ Params: { id: string } }>('/things/:id/clone', async (_request, reply) => {
    things.set(String(++next), { id: next });
    return reply.code(201).header('location', `/things/${next}`).send({ id: next });
  });
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'things', version: '1' },
      paths: {
        '/things': { post: { operationId: 'createThing', requestBody: { required: true, content: json({ type: 'object' }) }, responses: { '201': { description: 'made', content: json({ type: 'object', properties: { id: { type: 'integer' } } }) } } } },
        '/things/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json({ type: 'object' }) }, '404': { description: 'none' } } },
          // A body the harness does not write: no DELETE can be planned for the record.
          delete: { operationId: 'deleteThing', requestBody: { required: true, content: { 'application/octet-stream': {} } }, responses: { '204': { description: 'gone' } } },
        },
        '/things/{id}/clone': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          post: { operationId: 'cloneThing', responses: { '201': { description: 'cloned', content: json({ type: 'object' }) } } },
        },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.ok(report.cleanup?.leftBehind.some((left) => /\/things\/1\/clone$/.test(left.url) && /its Location: \/things\/2/.test(left.reason)), JSON.stringify(report.cleanup));
});
