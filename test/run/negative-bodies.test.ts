import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Negative bodies go only where --allow-writes lets a run write (its own
 * collections and records), only with --negative too, and what an invalid
 * create made by accident is deleted at the end, or listed as left behind.
 */

const problem = { 'application/problem+json': { schema: { type: 'object' } } };
const thing = { 'application/json': { schema: { type: 'object' } } };
const openapi = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'things', version: '1' },
  paths: {
    '/things': {
      post: {
        operationId: 'createThing',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } }, example: { name: 'a thing' } } } },
        responses: { '201': { description: 'created', content: thing }, '400': { description: 'not JSON', content: problem }, '415': { description: 'not JSON at all', content: problem }, '422': { description: 'invalid', content: problem } },
      },
    },
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: thing }, '404': { description: 'gone', content: problem } } },
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' }, '404': { description: 'gone', content: problem } } },
    },
  },
});

/** A thing store; `lax` takes any body in any media type, `stuck` refuses to delete all but the first thing. */
function thingServer(mode: { lax?: boolean; stuck?: boolean } = {}) {
  const sent: string[] = [];
  const things = new Map<string, unknown>();
  let next = 0;
  const app = Fastify();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  const refuse = (reply: { code(n: number): { type(t: string): { send(b: unknown): unknown } } }, status: number) => reply.code(status).type('application/problem+json').send({ title: 'no', status });
  app.post('/things', async (request, reply) => {
    let body = request.body;
    if (typeof body === 'string') {
      if (!mode.lax) return refuse(reply, 415);
      body = JSON.parse(body);
    }
    const valid = typeof body === 'object' && body !== null && Object.keys(body).length === 1 && typeof (body as { name?: unknown }).name === 'string';
    if (!valid && !mode.lax) return refuse(reply, 422);
    const id = `t-${++next}`;
    things.set(id, body);
    return reply.code(201).header('location', `/things/${id}`).send({ id, ...(body as object) });
  });
  app.get('/things/:id', async (request, reply) => things.get((request.params as { id: string }).id) ?? refuse(reply, 404));
  app.delete('/things/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (mode.stuck && id !== 't-1') return reply.code(500).send({ error: 'cannot' });
    if (!things.delete(id)) return refuse(reply, 404);
    return reply.code(204).send();
  });
  return { app, sent, things };
}

const bodyResults = (report: { results: Array<{ negative?: { location: string; mutation: string }; status: string; check: string; operationId: string }> }) => report.results.filter((r) => r.negative?.location === 'body');

t.test('a supplier that refuses every invalid body: each judged, nothing left behind', async (t) => {
  const { app, things } = thingServer();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': openapi });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, negative: { seed: 5 } });
  t.same(bodyResults(report).map((r) => `${r.check} ${r.negative!.mutation} ${r.status}`).sort(), [
    'negative-data-rejection malformed-json pass',
    'negative-data-rejection missing-property pass',
    'negative-data-rejection unknown-property pass',
    'negative-data-rejection wrong-type pass',
    'unsupported-media-type wrong-content-type pass',
  ]);
  t.ok(bodyResults(report).every((r) => r.operationId === 'createThing'), 'sent to the collection only');
  t.notOk(report.results.some((r) => r.status === 'fail'));
  t.same(report.cleanup, { created: 1, deleted: [`${target}/things/t-1`], leftBehind: [] });
  t.equal(things.size, 0, 'the supplier holds nothing the run made');
});

t.test('invalid bodies a supplier takes fail, and what they created is deleted at the end', async (t) => {
  const { app, things, sent } = thingServer({ lax: true });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': openapi });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, negative: { seed: 5 } });
  const failed = report.results.filter((r) => r.status === 'fail');
  t.same(failed.map((r) => `${r.check} ${r.operationId} ${r.negative?.mutation}`).sort(), [
    'negative-data-rejection createThing missing-property',
    'negative-data-rejection createThing unknown-property',
    'negative-data-rejection createThing wrong-type',
    'unsupported-media-type createThing wrong-content-type',
  ]);
  t.match(failed.find((r) => r.check === 'unsupported-media-type'), { expected: /4xx/, actual: '201', message: /accepted a body in a media type the operation does not take \(the body sent as text\/plain\) with 201/ });
  t.equal(report.cleanup?.created, 5, 'the valid create and the four invalid ones it took');
  t.same(report.cleanup?.leftBehind, []);
  t.equal(things.size, 0, 'every accidental record deleted');
  t.notOk(sent.some((r) => /^(POST|PUT|PATCH|DELETE) /.test(r) && !/^(POST \/things|DELETE \/things\/t-\d)$/.test(r)), 'writes only to the collection and to records the run created');
});

t.test('an accidental record the supplier will not delete is listed as left behind, with its URL', async (t) => {
  const { app } = thingServer({ lax: true, stuck: true });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': openapi });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, negative: { seed: 5 } });
  t.same(report.cleanup?.leftBehind.map((r) => r.url).sort(), [`${target}/things/t-2`, `${target}/things/t-3`, `${target}/things/t-4`, `${target}/things/t-5`]);
  t.ok(report.cleanup?.leftBehind.every((r) => r.reason === 'clean-up DELETE answered 500'));
});

t.test('no body is sent without both --negative and --allow-writes', async (t) => {
  for (const options of [{ allowWrites: true }, { negative: true }]) {
    const { app, sent } = thingServer({ lax: true });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': openapi });
    const report = await run({ profile: `${dir}/openapi.json`, target, vars: { id: 't-1' }, ...options });
    t.same(bodyResults(report), [], JSON.stringify(options));
    t.ok(sent.filter((r) => r === 'POST /things').length <= 1, `${JSON.stringify(options)}: at most the valid create`);
  }
});
