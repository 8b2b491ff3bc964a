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

const comment = { type: 'object', properties: { number: { type: 'integer' }, comment: { type: 'string' } } };
const comments = {
  openapi: '3.0.3',
  info: { title: 'comments', version: '1' },
  paths: {
    '/comments': {
      post: {
        operationId: 'createComment',
        requestBody: { required: true, content: json({ type: 'object', required: ['comment'], additionalProperties: false, properties: { comment: { type: 'string' } } }) },
        responses: { '201': { description: 'created', content: json(comment) } },
      },
    },
    '/comments/{comment_number}': {
      parameters: [{ name: 'comment_number', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getComment', responses: { '200': { description: 'ok', content: json(comment) }, '404': { description: 'none' } } },
      delete: { operationId: 'deleteComment', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
    },
  },
};

t.test("a comment's text under `comment` is only the run's guess at its id: a 404 to it fails nothing (second review)", async (t) => {
  const stored = new Map<string, { number: number; comment: string }>();
  const app = Fastify();
  app.post<{ Body: { comment: string } }>('/comments', async (request, reply) => {
    const made = { number: stored.size + 1, comment: request.body.comment };
    stored.set(String(made.number), made);
    return reply.code(201).send(made);
  });
  app.get<{ Params: { n: string } }>('/comments/:n', async (request, reply) => stored.get(request.params.n) ?? reply.code(404).send({}));
  app.delete<{ Params: { n: string } }>('/comments/:n', async (request, reply) => (stored.delete(request.params.n) ? reply.code(204).send() : reply.code(404).send({})));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(comments) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.check}: ${r.message}`);
  t.same(failures, [], 'no check fails: the supplier did what its document says');
  t.not(report.summary.verdict, 'non-conformant', `verdict ${report.summary.verdict}`);
  t.ok(stored.size === 0 || (report.cleanup?.leftBehind ?? []).length > 0, `the run's comment is deleted or listed: ${JSON.stringify(report.cleanup)}`);
});
