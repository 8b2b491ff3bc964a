/**
 * A 5xx body is left to server-error only where server-error is bound at least as
 * strongly: with it at SHOULD, a MUST response-schema still judges the body (review of 8c4bac6).
 */
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'levels', version: '1.0.0' },
  'x-interop': {
    id: 'levels', version: '0.1.0', status: 'draft', principles: ['interoperability-first'],
    requirements: [
      { id: 'LV-01', level: 'SHOULD', statement: 'The API SHOULD NOT answer 5xx (a documented 503 while busy is tolerated).', principle: 'interoperability-first', checks: ['server-error'] },
      { id: 'LV-02', level: 'MUST', statement: 'Every JSON body MUST match its documented schema.', principle: 'interoperability-first', checks: ['response-schema'] },
    ],
  },
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } },
          '503': { description: 'busy', content: { 'application/json': { schema: { type: 'object', required: ['retryAfter'], properties: { retryAfter: { type: 'integer' } } } } } },
        },
      },
    },
  },
};

t.test("a documented 5xx's body that breaks its schema still breaks a MUST where server-error is only a SHOULD", async (t) => {
  const app = Fastify();
  app.get('/things', async (_request, reply) => reply.code(503).send({ retryAfter: 'soon' }));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: join(dir, 'openapi.json'), target });
  t.equal(report.summary.verdict, 'non-conformant', 'the MUST (LV-02) is broken by the 503 body');
});
