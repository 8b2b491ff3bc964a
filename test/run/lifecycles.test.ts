import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * What a lifecycle does when the supplier does not play along: a record it
 * cannot delete is listed in report.cleanup.leftBehind with its URL and why;
 * a create that names no record leaves the collection's URL; a create refused
 * for a body the harness invented is a warning, and no later step is sent.
 */

const json = { 'application/json': { schema: { type: 'object' } } };
const document = (paths: Record<string, unknown>) =>
  JSON.stringify({ openapi: '3.0.3', info: { title: 'lifecycles', version: '1' }, paths });

t.test('a record whose DELETE fails is left behind, with its URL and why', async (t) => {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.post('/things', async (_request, reply) => reply.code(201).send({ id: 't-1' }));
  app.get('/things/:id', async () => ({ id: 't-1' }));
  app.delete('/things/:id', async (_request, reply) => reply.code(500).send({ error: 'no' }));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': document({
      '/things': { post: { operationId: 'createThing', requestBody: { content: json }, responses: { '201': { description: 'created', content: json } } } },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(report.cleanup, { created: 1, deleted: [], leftBehind: [{ url: `${target}/things/t-1`, reason: 'clean-up DELETE answered 500' }] });
  t.same(sent.filter((r) => r.startsWith('DELETE')), ['DELETE /things/t-1', 'DELETE /things/t-1'], 'the delete step, then one clean-up attempt');
  t.notOk(sent.slice(sent.indexOf('DELETE /things/t-1') + 1).some((r) => r.startsWith('GET')), 'no read-after-delete when the delete failed');
});

t.test('a create that names no record leaves the collection URL behind; a refused invented body stops the lifecycle with a warning', async (t) => {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.post('/silent', async (_request, reply) => reply.code(201).send({}));
  app.post('/strict', async (_request, reply) => reply.code(422).send({ error: 'we wanted more' }));
  for (const base of ['/silent', '/strict']) {
    app.get(`${base}/:id`, async () => ({}));
    app.delete(`${base}/:id`, async (_request, reply) => reply.code(204).send());
  }
  const target = await listen(t, app);
  const item = (name: string) => ({
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    get: { operationId: `get${name}`, responses: { '200': { description: 'ok', content: json } } },
    delete: { operationId: `delete${name}`, responses: { '204': { description: 'deleted' } } },
  });
  const body = { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } };
  const dir = t.testdir({
    'openapi.json': document({
      '/silent': { post: { operationId: 'createSilent', requestBody: body, responses: { '201': { description: 'created', content: json } } } },
      '/silent/{id}': item('Silent'),
      '/strict': { post: { operationId: 'createStrict', requestBody: body, responses: { '201': { description: 'created', content: json } } } },
      '/strict/{id}': item('Strict'),
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, limits: { concurrency: 1 } });
  t.match(report.cleanup?.leftBehind, [{ url: `${target}/silent`, reason: /did not|neither its links, a Location header nor its body/ }]);
  const refused = report.results.find((r) => r.operationId === 'createStrict' && r.check === 'status-code');
  t.equal(refused?.status, 'warn', 'an invented body refused with an undocumented 4xx is a warning');
  t.match(refused?.message, /generated values for the request body/);
  t.notOk(sent.some((r) => /^(PUT|PATCH|DELETE) \/strict\//.test(r)), 'no write is sent for a record that was never created');
  t.equal(sent.filter((r) => r.startsWith('GET /strict/')).length, 1, 'only the read phase asked about /strict/{id}');
  t.ok(report.results.some((r) => r.operationId === 'deleteStrict' && r.check === 'probe' && /the create step POST \/strict answered 422/.test(r.message)));
});

t.test('the read after a delete is sent only when the document says what a gone record answers', async (t) => {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  let exists = false;
  app.post('/things', async (_request, reply) => {
    exists = true;
    return reply.code(201).send({ id: 't-1' });
  });
  app.get('/things/:id', async (_request, reply) => (exists ? { id: 't-1' } : reply.code(404).send({ error: 'gone' })));
  app.delete('/things/:id', async (_request, reply) => {
    exists = false;
    return reply.code(204).send();
  });
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': document({
      '/things': { post: { operationId: 'createThing', requestBody: { content: json }, responses: { '201': { description: 'created', content: json } } } },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(report.cleanup, { created: 1, deleted: [`${target}/things/t-1`], leftBehind: [] });
  t.equal(sent.at(-1), 'DELETE /things/t-1', 'no GET after the delete: its 404 is undocumented, a failure the run would cause');
  t.notOk(report.results.some((r) => r.status === 'fail'), 'no false failure');
  t.ok(report.results.some((r) => r.operationId === 'getThing' && r.check === 'probe' && /documents no 404 or 410/.test(r.message)));
});
