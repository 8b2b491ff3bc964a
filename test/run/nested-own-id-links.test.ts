/**
 * Third review of cbdbd1a: a link to the record's own id inside an envelope of the answer
 * (`$response.body#/user/id` for POST /users, `#/result/id`) was dropped as another record's,
 * and the run fell back to the answer's top-level `id` (an invitation's): it changed and
 * deleted someone else's user. Envelopes and the resource's own name are the record's.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const user = { type: 'object', properties: { id: { type: 'integer' }, email: { type: 'string' } } };

function usersDocument(pointer: string) {
  return {
    openapi: '3.0.3',
    info: { title: 'users', version: '1' },
    paths: {
      '/users': {
        post: {
          operationId: 'createUser',
          requestBody: { required: true, content: json({ type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', format: 'email' } } }) },
          responses: { '201': { description: 'created', content: json({ type: 'object' }), links: { GetUser: { operationId: 'getUser', parameters: { id: pointer } } } } },
        },
      },
      '/users/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getUser', responses: { '200': { description: 'ok', content: json(user) }, '404': { description: 'none' } } },
        patch: { operationId: 'updateUser', requestBody: { content: json({ type: 'object', properties: { email: { type: 'string', format: 'email' } } }) }, responses: { '200': { description: 'ok', content: json(user) }, '404': { description: 'none' } } },
        delete: { operationId: 'deleteUser', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
      },
    },
  };
}

t.test('$response.body#/user/id (the document names the new user) beside the invitation id at the top: no write to user 3', async (t) => {
  const users = new Map<number, { id: number; email: string }>();
  for (let id = 1; id <= 5; id++) users.set(id, { id, email: `someone${id}@example.org` });
  const writes: string[] = [];
  const app = Fastify();
  app.post<{ Body: { email: string } }>('/users', async (request, reply) => {
    const made = { id: 100 + users.size, email: request.body.email };
    users.set(made.id, made);
    // The invitation (id 3) that made the user, with the user under `user`, as the link says.
    return reply.code(201).send({ id: 3, status: 'pending', user: made });
  });
  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => users.get(Number(request.params.id)) ?? reply.code(404).send({}));
  app.patch<{ Params: { id: string }; Body: { email?: string } }>('/users/:id', async (request, reply) => {
    writes.push(`PATCH ${request.params.id}`);
    const found = users.get(Number(request.params.id));
    if (!found) return reply.code(404).send({});
    Object.assign(found, request.body);
    return found;
  });
  app.delete<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    writes.push(`DELETE ${request.params.id}`);
    return reply.code(users.delete(Number(request.params.id)) ? 204 : 404).send();
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(usersDocument('$response.body#/user/id')) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(writes.filter((w) => w.endsWith(' 3')), [], `no write to user 3, someone else's; writes sent: ${JSON.stringify(writes)}`);
  t.ok(users.has(3), 'user 3 is still there');
  t.same(users.get(3)?.email, 'someone3@example.org', 'user 3 unchanged');
  t.notOk(users.has(105), `the run's own user 105 is deleted; left behind: ${JSON.stringify(report.cleanup?.leftBehind)}`);
});

t.test('$response.body#/result/id (a Cloudflare-style envelope): the lifecycle still runs and the record is deleted', async (t) => {
  const users = new Map<number, { id: number; email: string }>();
  const app = Fastify();
  app.post<{ Body: { email: string } }>('/users', async (request, reply) => {
    const made = { id: 7, email: request.body.email };
    users.set(made.id, made);
    return reply.code(201).send({ success: true, errors: [], messages: [], result: made });
  });
  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => users.get(Number(request.params.id)) ?? reply.code(404).send({}));
  app.patch<{ Params: { id: string } }>('/users/:id', async (request, reply) => users.get(Number(request.params.id)) ?? reply.code(404).send({}));
  app.delete<{ Params: { id: string } }>('/users/:id', async (request, reply) => reply.code(users.delete(Number(request.params.id)) ? 204 : 404).send());
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(usersDocument('$response.body#/result/id')) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.notOk(users.has(7), `the run's user 7 is deleted; left behind: ${JSON.stringify(report.cleanup?.leftBehind)}`);
  t.ok(report.results.some((r) => r.check === 'resource-available'), 'resource-available judged the read-back');
});
