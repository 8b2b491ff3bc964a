/**
 * A credential-named cookie the user sent in a --header Cookie is carried, not
 * "omitted": an undocumented 400 to a request that had it still fails (second review of 3f8e645).
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'c', version: '1' },
  paths: { '/users': { get: {
    operationId: 'listUsers',
    parameters: [{ name: 'api_key', in: 'cookie', required: true, schema: { type: 'string' } }],
    responses: { '200': { description: 'users', content: { 'application/json': { schema: { type: 'array' } } } } },
  } } },
};

t.test('a cookie key given with --header Cookie is not "omitted"', async (t) => {
  const app = Fastify();
  const seen: unknown[] = [];
  // The supplier has the key and still answers an undocumented 400: a real defect.
  app.get('/users', async (request, reply) => { seen.push(request.headers.cookie); return reply.code(400).send({ oops: true }); });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, headers: { Cookie: 'api_key=real-key-123' } });
  const status = report.results.find((r) => r.check === 'status-code')!;
  t.equal(seen[0], 'api_key=real-key-123', 'the cookie was sent');
  t.equal(status.status, 'fail', 'an undocumented 400 to a request that carried the key fails');
  t.notMatch(status.message, /went without/, 'the message does not claim the cookie was missing');
  t.comment(status.status + ': ' + status.message);
});
