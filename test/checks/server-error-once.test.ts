/**
 * A 5xx is one defect, one failure: server-error's. Found with Prism, whose
 * 500 labelled application/problem+json, matched by a `default` documented as
 * application/json, also failed content-type.
 */
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'five hundred', version: '1.0.0' },
  paths: {
    '/examples': {
      get: {
        operationId: 'getExamples',
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
          default: {
            description: 'an error',
            headers: { 'X-Request-Id': { required: true, schema: { type: 'string' } } },
            content: { 'application/json': { schema: { type: 'object', required: ['code'], properties: { code: { type: 'integer' } } } } },
          },
        },
      },
    },
    '/documented': {
      get: {
        operationId: 'getDocumented',
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
          '503': { description: 'down', content: { 'application/json': { schema: { type: 'object', required: ['retry'] } } } },
        },
      },
    },
  },
};

t.test('a 5xx fails server-error alone, whether default or the document names it', async (t) => {
  const app = Fastify();
  app.get('/examples', async (_request, reply) => reply.code(500).type('application/problem+json').send({ title: 'no schema to fake from' }));
  app.get('/documented', async (_request, reply) => reply.code(503).type('text/html').send('<h1>down</h1>'));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: join(dir, 'openapi.json'), target });
  for (const operationId of ['getExamples', 'getDocumented']) {
    const byCheck = new Map(report.results.filter((r) => r.operationId === operationId).map((r) => [r.check, r]));
    t.equal(byCheck.get('server-error')?.status, 'fail', `${operationId}: server-error fails`);
    for (const check of ['content-type', 'response-schema', 'response-headers']) {
      t.match(byCheck.get(check), { status: 'skip', message: /server-error's failure; its body and headers are not judged a second time$/ }, `${operationId}: ${check} skips`);
    }
    t.equal(report.results.filter((r) => r.operationId === operationId && r.status === 'fail').length, 1, `${operationId}: one failure`);
  }
  t.equal(report.summary.verdict, 'non-conformant');
});

t.test('without server-error in the run, a 5xx body is judged as any other', async (t) => {
  // A profile may name response-schema alone (incident, pole-exchange): nothing else would see a 5xx's body.
  const app = Fastify();
  app.get('/examples', async (_request, reply) => reply.code(500).type('application/problem+json').send({ title: 'no schema to fake from' }));
  app.get('/documented', async (_request, reply) => reply.code(503).type('application/json').send({}));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: join(dir, 'openapi.json'), target, checks: ['content-type', 'response-schema'] });
  t.match(report.results.find((r) => r.operationId === 'getExamples' && r.check === 'content-type'), { status: 'fail', message: /^Content-Type application\/problem\+json(; charset=utf-8)? is not documented for default$/ });
  t.match(report.results.find((r) => r.operationId === 'getDocumented' && r.check === 'response-schema'), { status: 'fail' }, 'the 503 body lacks its required retry');
});
