/**
 * A lifecycle's update whose schema requires nothing went out as `{}`: it
 * changed nothing, and reading the record back could show nothing. Found on
 * LoopBack 4's todo example (PATCH /todos/{id}).
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const todo = { type: 'object', properties: { id: { type: 'integer', readOnly: true }, title: { type: 'string' }, key: { type: 'string' } } };
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const document = {
  openapi: '3.0.3',
  info: { title: 'todos', version: '1' },
  paths: {
    '/todos': {
      post: { operationId: 'createTodo', requestBody: { content: json({ type: 'object', required: ['title'], properties: { title: { type: 'string' }, key: { type: 'string' } } }) }, responses: { '200': { description: 'made', content: json(todo) } } },
    },
    '/todos/{id}': {
      get: { operationId: 'getTodo', parameters: idParam, responses: { '200': { description: 'one', content: json(todo) } } },
      patch: { operationId: 'patchTodo', parameters: idParam, requestBody: { content: json({ type: 'object', properties: { key: { type: 'string' }, title: { type: 'string' } } }) }, responses: { '204': { description: 'changed' } } },
      delete: { operationId: 'deleteTodo', parameters: idParam, responses: { '204': { description: 'gone' } } },
    },
  },
};

function todoServer(appliesPatch: boolean) {
  const app = Fastify();
  const todos = new Map<number, Record<string, unknown>>();
  let next = 1;
  app.post('/todos', async (request) => {
    const made = { ...(request.body as object), id: next++ };
    todos.set(made.id, made);
    return made;
  });
  app.get('/todos/:id', async (request, reply) => todos.get(Number((request.params as { id: string }).id)) ?? reply.code(404).send());
  app.patch('/todos/:id', async (request, reply) => {
    const id = Number((request.params as { id: string }).id);
    if (appliesPatch) todos.set(id, { ...todos.get(id), ...(request.body as object) });
    return reply.code(204).send();
  });
  app.delete('/todos/:id', async (request, reply) => {
    todos.delete(Number((request.params as { id: string }).id));
    return reply.code(204).send();
  });
  return app;
}

t.test("an update that requires nothing changes the record's title, and its read-back is compared", async (t) => {
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  for (const appliesPatch of [true, false]) {
    const target = await listen(t, todoServer(appliesPatch));
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    const patch = report.results.find((r) => r.operationId === 'patchTodo' && r.evidence?.request.method === 'PATCH')!.evidence!.request;
    t.match(JSON.parse(patch.body!), { title: /^interop-probe-[0-9a-f]+-updated$/ }, 'the title, with a value the create did not send');
    t.notOk('key' in JSON.parse(patch.body!), 'an identifier-like field is left alone');
    const noted = report.results.filter((r) => r.check === 'probe' && /reading the record back shows/.test(r.message));
    if (appliesPatch) t.same(noted, [], 'applied: nothing to say');
    else t.match(noted, [{ status: 'warn', message: /after PATCH \/todos\/\{id\} answered success, reading the record back shows .*title/ }], 'ignored: the read-back says so');
  }
});
