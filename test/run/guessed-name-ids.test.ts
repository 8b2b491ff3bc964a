/**
 * Third review of 490ea1a: a comment's text under `comment` is taken as the id (source request-body),
 * yet it is not handled as an unconfirmed id: the update and the DELETE still go to it, and their
 * 404s are judged as the supplier's fault; and `takesText` reads the path parameter's schema as
 * written, so an integer behind a $ref still takes the text.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
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

t.test("the run's guess (a comment's text) gets a DELETE whose 404 fails a conformant supplier", async (t) => {
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
