/**
 * A credential-named header given with --header is carried, not "omitted": an
 * undocumented 422 to a request that had the key still fails (review of 3f8e645).
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'exa', version: '1' },
  paths: {
    '/users': {
      get: {
        operationId: 'listUsers',
        parameters: [{ name: 'ev-api-key', in: 'header', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'users', content: { 'application/json': { schema: { type: 'array' } } } } },
      },
    },
  },
};

t.test('a credential-named header given with --header is not "omitted"', async (t) => {
  const app = Fastify();
  const seen: unknown[] = [];
  // The supplier has the key, and answers an undocumented 422 regardless: a real defect.
  app.get('/users', async (request, reply) => { seen.push(request.headers['ev-api-key']); return reply.code(422).send({ oops: true }); });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, headers: { 'ev-api-key': 'real-key-123' } });
  const status = report.results.find((r) => r.check === 'status-code')!;
  t.equal(seen[0], 'real-key-123', 'the header was sent');
  t.equal(status.status, 'fail', 'an undocumented 422 to a request that carried the key fails');
  t.notMatch(status.message, /went without/, 'the message does not claim the header was missing');
});
