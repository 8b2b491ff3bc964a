import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

/**
 * Issue 10, class 2, through a whole run: a hostile profile meets bodies made
 * for it, and the run still ends with an `error` naming the limit where
 * validation could not finish, a plain `fail` where it could.
 */
const PROFILE = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'budget', version: '1' },
  paths: {
    '/tree': { get: { operationId: 'tree', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/T' } } } } } } },
    '/word': { get: { operationId: 'word', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { w: { type: 'string', pattern: '^(a+)+$' } } } } } } } } },
    '/many': { get: { operationId: 'many', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', uniqueItems: true, items: { type: 'object', properties: { n: { type: 'string' } } } } } } } } } },
  },
  components: {
    schemas: {
      T: { anyOf: [{ type: 'array', items: { $ref: '#/components/schemas/T' } }, { type: 'array', items: { $ref: '#/components/schemas/T' } }, { type: 'number' }] },
    },
  },
});

t.test('an exponential schema, a ReDoS pattern and 100,000 objects under uniqueItems: the run ends, each result says what happened', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/tree', (_request, reply) => reply.type('application/json').send(`${'['.repeat(60)}"x"${']'.repeat(60)}`));
  app.get('/word', (_request, reply) => reply.send({ w: `${'a'.repeat(200_000)}!` }));
  app.get('/many', (_request, reply) => reply.send(Array.from({ length: 100_000 }, (_, i) => ({ n: i }))));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': PROFILE });
  // One probe at a time: validation runs on the main thread, so a validation spending its
  // whole budget delays the timers of requests in flight beside it (see the README).
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const report = await run({ profile: join(dir, 'openapi.json'), target, limits: { requestTimeoutMs: 1000, concurrency: 1 } });
  clearInterval(timer);
  const result = (operationId: string) => report.results.find((r) => r.check === 'response-schema' && r.operationId === operationId);
  t.equal(result('tree')?.status, 'error');
  t.match(result('tree')?.message, /body not validated: validation exceeded the 1 s --timeout budget; schema \/components\/schemas\/T/);
  t.equal(result('word')?.status, 'fail', 'the pattern ran to its verdict');
  t.match(result('word')?.message, /\/w must match pattern/);
  t.equal(result('many')?.status, 'fail', '100,000 objects checked for uniqueness');
  t.match(result('many')?.message, /must be string/);
  t.ok(ticks > 0, 'the event loop kept turning during the run');
});
