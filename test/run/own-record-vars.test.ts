/**
 * A --var scoped to a lifecycle's write of its own record is never sent: the
 * write acts on the record the run created. Found on LoopBack 4's todo
 * example, where `--var TodoController.deleteById.id=2` was dropped silently.
 */
import t from 'tap';
import { planDryRun, preparePlan } from '../../harness/index.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const todo = { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' } } };
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const document = {
  openapi: '3.0.3',
  info: { title: 'todos', version: '1' },
  paths: {
    '/todos': {
      post: { operationId: 'createTodo', requestBody: { content: json({ type: 'object', required: ['title'], properties: { title: { type: 'string' } } }) }, responses: { '200': { description: 'made', content: json(todo) } } },
    },
    '/todos/{id}': {
      get: { operationId: 'getTodo', parameters: idParam, responses: { '200': { description: 'one', content: json(todo) } } },
      patch: { operationId: 'patchTodo', parameters: idParam, requestBody: { content: json({ type: 'object' }) }, responses: { '204': { description: 'changed' } } },
      delete: { operationId: 'deleteTodo', parameters: idParam, responses: { '204': { description: 'gone' } } },
    },
  },
};

t.test("a --var scoped to a lifecycle's write of its own record is warned about, and not sent", async (t) => {
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const vars = { 'deleteTodo.id': '2', 'patchTodo.path:id': '2', 'getTodo.id': '3' };
  const prepared = await preparePlan({ profile: `${dir}/openapi.json`, target: 'http://127.0.0.1:9', allowWrites: true, vars });
  const unsent = prepared.warnings.filter((w) => w.code === 'var-unused').map((w) => w.message).sort();
  t.same(unsent, [
    '--var deleteTodo.id is not sent: with --allow-writes, deleteTodo acts only on the record the run creates, whose id fills {id}',
    '--var patchTodo.path:id is not sent: with --allow-writes, patchTodo acts only on the record the run creates, whose id fills {id}',
  ], 'the read is not named: its --var is sent by the read phase');
  const lines = planDryRun(prepared);
  t.notOk(lines.some((line) => (line.method === 'DELETE' || line.method === 'PATCH') && /\/todos\/2\b/.test(line.url)), 'no write names record 2');
  t.ok(lines.some((line) => line.method === 'GET' && line.url.endsWith('/todos/3')), 'the read uses its --var');
  const readOnly = await preparePlan({ profile: `${dir}/openapi.json`, target: 'http://127.0.0.1:9', vars });
  t.notOk(readOnly.warnings.some((w) => /is not sent: with --allow-writes/.test(w.message)), 'read-only: no lifecycle, no such warning');
});
