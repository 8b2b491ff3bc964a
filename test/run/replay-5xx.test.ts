/**
 * Replay judges as the run did: where the run left a 5xx body to server-error,
 * a replayed response-schema failure that now gets a 500 is not "fixed" (review of 8c4bac6),
 * nor where the run had no server-error. A 5xx can still be a fix: a 501 to an unknown
 * method, which unsupported-method asks for, and a documented 5xx whose body now fits,
 * where the run failed that 5xx (review of 784685f).
 */
import Fastify from 'fastify';
import t from 'tap';
import { replay, run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const document = {
  openapi: '3.0.3',
  info: { title: 'x', version: '1' },
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        responses: {
          '200': { description: 'ok', content: json({ type: 'array', items: { type: 'string' } }) },
          default: { description: 'error', content: json({ type: 'object', required: ['message'], properties: { message: { type: 'string' } } }) },
        },
      },
    },
  },
};

t.test('replay of a response-schema failure that now gets a 500 is not "fixed"', async (t) => {
  let calls = 0;
  const app = Fastify();
  app.get('/things', async (_request, reply) => (calls++ === 0 ? [1, 2] : reply.code(500).send({ message: 'boom' })));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  const outcome = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: report.results.filter((r) => r.check === 'response-schema' && r.status === 'fail').map((r) => r.id!) });
  const r = outcome.replayed[0]!;
  t.not(r.status, 'fixed', 'a 500 shows nothing fixed: the run leaves a 5xx body to server-error');
});

t.test('a run without server-error: a failure that now gets a 500 whose body fits default is inconclusive, not "fixed"', async (t) => {
  let calls = 0;
  const app = Fastify();
  app.get('/things', async (_request, reply) => (calls++ === 0 ? [1, 2] : reply.code(500).send({ message: 'boom' })));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, checks: ['response-schema'] });
  const failed = report.results.filter((r) => r.check === 'response-schema' && r.status === 'fail');
  t.equal(failed.length, 1, 'the run recorded the failure');
  const outcome = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: failed.map((r) => r.id!) });
  const r = outcome.replayed[0]!;
  t.equal(r.now?.status, 'pass', 'judged as the run judged: the 500 body fits default');
  t.equal(r.status, 'inconclusive');
  t.match(r.reason, /answers 500: a server error is not a fix/);
});

t.test('unsupported-method: a 200 to TRACE that is now a 501 is fixed, not inconclusive', async (t) => {
  let fixedNow = false;
  const app = Fastify();
  app.get('/things', async () => [1]);
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'TRACE') return;
    if (fixedNow) return reply.code(501).send({ message: 'not implemented' });
    return reply.code(200).send({ echoed: true });
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, negative: { seed: 1 }, checks: ['unsupported-method'] });
  const failed = report.results.filter((r) => r.check === 'unsupported-method' && r.status === 'fail');
  t.equal(failed.length, 1, `the run recorded the 200 to TRACE as a failure: ${JSON.stringify(report.results.map((r) => [r.check, r.status, r.message]))}`);
  fixedNow = true;
  const outcome = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: failed.map((r) => r.id!) });
  const r = outcome.replayed[0]!;
  t.equal(r.now?.status, 'pass', `the check passes on the 501: ${r.now?.message}`);
  t.equal(r.status, 'fixed', `501 is what the check asks for; got ${r.status}: ${r.reason}`);
});

t.test('response-schema on a documented 503 whose body was fixed: the failure was about the 503 body, and it is gone', async (t) => {
  let fixedNow = false;
  const doc503 = {
    openapi: '3.0.3',
    info: { title: 'x', version: '1' },
    paths: {
      '/status': {
        get: {
          operationId: 'getStatus',
          responses: {
            '200': { description: 'ok', content: json({ type: 'object' }) },
            '503': { description: 'maintenance', content: json({ type: 'object', required: ['retryAt'], properties: { retryAt: { type: 'string' } } }) },
          },
        },
      },
    },
  };
  const app = Fastify();
  app.get('/status', async (_request, reply) => reply.code(503).send(fixedNow ? { retryAt: '2030-01-01T00:00:00Z' } : { oops: 1 }));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(doc503) });
  const report = await run({ profile: `${dir}/openapi.json`, target, checks: ['response-schema'] });
  const failed = report.results.filter((r) => r.check === 'response-schema' && r.status === 'fail');
  t.equal(failed.length, 1, 'the run recorded the 503 body failure');
  t.equal(failed[0]?.evidence?.response?.status, 503, 'the recorded failure was itself on a 503');
  fixedNow = true;
  const outcome = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: failed.map((r) => r.id!) });
  const r = outcome.replayed[0]!;
  t.equal(r.now?.status, 'pass');
  t.equal(r.status, 'fixed', `the 503 body now fits its documented schema; got ${r.status}: ${r.reason}`);
});
