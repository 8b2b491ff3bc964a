import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { replay } from '../../harness/index.js';
import { listen } from '../support/listen.js';

/**
 * Found on Platformatic DB 2.61: a create whose text primary key is left out
 * stores the row, then answers 500. The run reported "0 records created, none
 * left behind" while the row stayed, and so did replay. A server error says
 * nothing of what was stored: such a create is listed as left behind.
 */

const tag = { type: 'object', required: ['name'], properties: { code: { type: 'string' }, name: { type: 'string' } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });
const document = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'tags', version: '1' },
  paths: {
    '/tags': {
      get: { operationId: 'listTags', responses: { '200': { description: 'ok', content: json({ type: 'array', items: tag }) } } },
      post: { operationId: 'createTag', requestBody: { required: true, content: json(tag) }, responses: { '200': { description: 'made', content: json(tag) } } },
    },
    '/tags/{code}': {
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getTag', responses: { '200': { description: 'ok', content: json(tag) } } },
      delete: { operationId: 'deleteTag', responses: { '200': { description: 'gone', content: json(tag) } } },
    },
  },
});

async function supplier(t: Test) {
  const stored: unknown[] = [];
  const app = Fastify();
  app.get('/tags', async () => stored);
  app.post<{ Body: Record<string, unknown> }>('/tags', async (request, reply) => {
    stored.push(request.body);
    return reply.code(500).send({ code: 'PLT_SQL_EVENTS_PRIMARY_KEY_IS_NECESSARY_INSIDE_DATA' });
  });
  return { target: await listen(t, app), stored };
}

t.test('a create answered 500 is listed as left behind: it may have stored the record', async (t) => {
  const { target, stored } = await supplier(t);
  const dir = t.testdir({ 'openapi.json': document });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.equal(stored.length, 1, 'the supplier stored it');
  t.match(report.cleanup, { created: 1, deleted: [] });
  t.match(report.cleanup?.leftBehind, [{ url: /\/tags$/, reason: /^POST \/tags answered 500: a server error says nothing of what was stored, so it may have created a record, which the run cannot name/ }]);
});

t.test('so is one sent again by replay', async (t) => {
  const { target, stored } = await supplier(t);
  const dir = t.testdir({ 'openapi.json': document });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, checks: ['server-error'] });
  const failed = report.results.filter((r) => r.check === 'server-error' && r.status === 'fail').map((r) => r.id!);
  t.equal(failed.length, 1);
  const outcome = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: failed, allowWrites: true });
  t.equal(stored.length, 2);
  t.match(outcome.replayed[0], { status: 'reproduces', cleanup: { outcome: 'left-behind', reason: /answered 500: a server error says nothing of what was stored/ } });
});
