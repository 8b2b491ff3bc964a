/**
 * no-success-response counts apart only operations that document a redirect: one
 * that documents only errors is weighed, and the headline does not call it one that documents a success.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'r', version: '1' },
  paths: {
    '/download': { get: { operationId: 'download', responses: { '302': { description: 'to the file' } } } },
    '/legacy': { get: { operationId: 'legacy', responses: { '410': { description: 'gone', content: { 'application/json': { schema: { type: 'object' } } } } } } },
  },
};

t.test('the headline does not say an errors-only operation documents a success', async (t) => {
  const app = Fastify();
  app.get('/download', async (_request, reply) => reply.code(302).header('location', '/file').send());
  app.get('/legacy', async (_request, reply) => reply.code(410).send({ gone: true }));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  const caveat = report.summary.caveats?.find((c: { code: string }) => c.code === 'no-success-response');
  t.comment(`verdict ${report.summary.verdict}; ${JSON.stringify(caveat)}`);
  t.notMatch(caveat?.message ?? '', /sent to operations that document one/);
});
