/**
 * Review of 931f62b: a create whose link reads the record's own identifier under a key
 * outside OWN_ID_KEYS (`$response.body#/number` for `/issues/{issue_number}`, as GitHub
 * addresses issues) has its link dropped; the run falls back to the body's `id`, a
 * different identifier, and writes to (and DELETEs) the record whose number that is.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const issue = { type: 'object', required: ['id', 'number', 'body'], properties: { id: { type: 'integer' }, number: { type: 'integer' }, body: { type: 'string' } } };
const document = {
  openapi: '3.0.3',
  info: { title: 'issues', version: '1' },
  paths: {
    '/issues': {
      post: {
        operationId: 'createIssue',
        requestBody: { required: true, content: json({ type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'string' } } }) },
        responses: { '201': { description: 'created', content: json(issue), links: { GetIssue: { operationId: 'getIssue', parameters: { issue_number: '$response.body#/number' } } } } },
      },
    },
    '/issues/{issue_number}': {
      parameters: [{ name: 'issue_number', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { operationId: 'getIssue', responses: { '200': { description: 'ok', content: json(issue) }, '404': { description: 'none' } } },
      delete: { operationId: 'deleteIssue', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
    },
  },
};

t.test('the link names the issue by its number: the run deletes its own issue, not the one numbered like its id', async (t) => {
  // Issues are addressed by number; `id` is a separate sequence (as GitHub's global ids are).
  const byNumber = new Map<number, { id: number; number: number; body: string }>();
  for (let n = 1; n <= 20; n++) byNumber.set(n, { id: 900 + n, number: n, body: `someone else's issue ${n}` });
  let nextId = 5;
  const deletes: string[] = [];
  const app = Fastify();
  app.post<{ Body: { body: string } }>('/issues', async (request, reply) => {
    const made = { id: nextId++, number: byNumber.size + 1, body: request.body.body };
    byNumber.set(made.number, made);
    return reply.code(201).send(made);
  });
  app.get<{ Params: { n: string } }>('/issues/:n', async (request, reply) => byNumber.get(Number(request.params.n)) ?? reply.code(404).send({}));
  app.delete<{ Params: { n: string } }>('/issues/:n', async (request, reply) => {
    deletes.push(request.params.n);
    return byNumber.delete(Number(request.params.n)) ? reply.code(204).send() : reply.code(404).send({});
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(deletes, ['21'], `only the run's own issue, number 21, is deleted; DELETEs sent: ${JSON.stringify(deletes)}`);
  t.ok(byNumber.has(5), "issue 5, someone else's, is still there");
  t.notOk(byNumber.has(21), "the run's issue is gone");
  t.match(JSON.stringify(report.cleanup?.deleted), /issues\/21/, 'the report lists /issues/21 as deleted');
});
