/**
 * Replay judges as the run did: where the run left a 5xx body to server-error,
 * a replayed response-schema failure that now gets a 500 is not "fixed" (review of 8c4bac6).
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
