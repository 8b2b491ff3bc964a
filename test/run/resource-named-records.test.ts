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

function commentsDocument(numberSchema: unknown, deleteResponses: Record<string, unknown>) {
  return {
    openapi: '3.0.3',
    info: { title: 'comments', version: '1' },
    components: { schemas: { CommentNumber: { type: 'integer' } } },
    paths: {
      '/comments': {
        post: {
          operationId: 'createComment',
          requestBody: { required: true, content: json({ type: 'object', required: ['comment'], additionalProperties: false, properties: { comment: { type: 'string' } } }) },
          responses: { '201': { description: 'created', content: json(comment) } },
        },
      },
      '/comments/{comment_number}': {
        parameters: [{ name: 'comment_number', in: 'path', required: true, schema: numberSchema }],
        get: { operationId: 'getComment', responses: { '200': { description: 'ok', content: json(comment) }, '404': { description: 'none' } } },
        delete: { operationId: 'deleteComment', responses: deleteResponses },
      },
    },
  };
}

function commentsApp() {
  const stored = new Map<string, { number: number; comment: string }>();
  const requests: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => {
    requests.push(`${request.method} ${request.url}`);
  });
  app.post<{ Body: { comment: string } }>('/comments', async (request, reply) => {
    const made = { number: stored.size + 1, comment: request.body.comment };
    stored.set(String(made.number), made);
    return reply.code(201).send(made);
  });
  app.get<{ Params: { n: string } }>('/comments/:n', async (request, reply) => stored.get(request.params.n) ?? reply.code(404).send({}));
  app.delete<{ Params: { n: string } }>('/comments/:n', async (request, reply) => (stored.delete(request.params.n) ? reply.code(204).send() : reply.code(404).send({})));
  return { app, stored, requests };
}

// Second review: a comment's text is under `comment` too; third review: it got its DELETE, whose 404 failed the
// supplier, and an integer path parameter behind a `$ref` took the text; fourth review: also behind `allOf: [{$ref}]`.
t.test("a comment's text under `comment` is only the run's guess at its id: a 404 to it fails nothing", async (t) => {
  const { app, stored } = commentsApp();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(commentsDocument({ type: 'string' }, { '204': { description: 'deleted' }, '404': { description: 'none' } })) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.check}: ${r.message}`);
  t.same(failures, [], 'no check fails: the supplier did what its document says');
  t.not(report.summary.verdict, 'non-conformant', `verdict ${report.summary.verdict}`);
  t.ok(stored.size === 0 || (report.cleanup?.leftBehind ?? []).length > 0, `the run's comment is deleted or listed: ${JSON.stringify(report.cleanup)}`);
});

t.test("the run's guess (a comment's text) gets no DELETE until a read confirms it, so a DELETE that documents no 404 fails nothing", async (t) => {
  const { app } = commentsApp();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(commentsDocument({ type: 'string' }, { '204': { description: 'deleted' } })) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.check} ${r.operationId ?? ''}: ${r.message}`);
  t.same(failures, [], 'no check fails: the supplier did what its document says');
  t.not(report.summary.verdict, 'non-conformant', `verdict ${report.summary.verdict}`);
});

// Fourth review: also `allOf: [{$ref}]`, OpenAPI 3.0's way to give a reference a description.
for (const [how, schema] of [['a $ref', { $ref: '#/components/schemas/CommentNumber' }], ['allOf: [{$ref}]', { allOf: [{ $ref: '#/components/schemas/CommentNumber' }], description: 'the number' }]] as const) t.test(`an integer {comment_number} behind ${how}: never the text as the id`, async (t) => {
  const { app, requests } = commentsApp();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(commentsDocument(schema, { '204': { description: 'deleted' }, '404': { description: 'none' } })) });
  await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const byText = requests.filter((r) => /^\S+ \/comments\/interop-probe/.test(r));
  t.same(byText, [], `no request to /comments/<text> for an integer parameter; sent: ${JSON.stringify(byText)}`);
});
