import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Found on Directus 11.3: POST /collections takes `collection`, the new
 * collection's name, and answers `{data: {collection, meta, schema}}` with no
 * other id; its item path `/collections/{id}` takes that name. The run sent
 * the document's `my_collection`, found no id in the answer, and left a table
 * behind on every write run. A create's field named for its resource now gets
 * the run's own value, and an answer naming it back there is the run's record.
 */

const collection = { type: 'object', required: ['collection'], properties: { collection: { type: 'string', example: 'my_collection' }, meta: { type: 'object', properties: { note: { type: 'string' } } } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });
const document = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'collections', version: '1' },
  paths: {
    '/collections': {
      get: { operationId: 'listCollections', responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { data: { type: 'array', items: collection } } }) } } },
      post: { operationId: 'createCollection', requestBody: { required: true, content: json(collection) }, responses: { '200': { description: 'made', content: json({ type: 'object', properties: { data: collection } }) } } },
    },
    '/collections/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getCollection', responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { data: collection } }) } } },
      delete: { operationId: 'deleteCollection', responses: { '204': { description: 'gone' } } },
    },
  },
});

t.test("a create's field named for its resource carries the run's value, and names the record to delete", async (t) => {
  const collections = new Map<string, Record<string, unknown>>([['articles', { collection: 'articles', meta: { note: 'not the run’s' } }]]);
  const deleted: string[] = [];
  const app = Fastify();
  app.get('/collections', async () => ({ data: [...collections.values()] }));
  app.post<{ Body: { collection: string } }>('/collections', async (request) => {
    collections.set(request.body.collection, request.body);
    return { data: request.body };
  });
  app.get<{ Params: { id: string } }>('/collections/:id', async (request, reply) => (collections.has(request.params.id) ? { data: collections.get(request.params.id) } : reply.code(404).send({})));
  app.delete<{ Params: { id: string } }>('/collections/:id', async (request, reply) => {
    deleted.push(request.params.id);
    return reply.code(collections.delete(request.params.id) ? 204 : 404).send();
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': document });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.match(deleted, [/^interop-probe-[0-9a-f]+$/], "the run's own collection is deleted");
  t.same([...collections.keys()], ['articles'], 'nothing else is touched, and nothing left');
  t.same(report.cleanup?.leftBehind ?? [], []);
});
