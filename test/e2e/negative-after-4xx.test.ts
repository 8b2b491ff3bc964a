import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * NocoDB 0.262.5: `GET …/groupby` answered 404 to the valid request (its
 * column name was missing), and every invalid `offset` or `limit` got the
 * same 404, credited as "the API rejected it; the document should say so".
 * After a 4xx to the valid request no changed value is sent: each is a skip
 * saying why. An undocumented method is still asked.
 */
t.test('after a 4xx to the valid request, changed values are not sent', async (t) => {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.get('/items/groupby', async (request, reply) => ((request.query as Record<string, string>).column_name ? { list: [] } : reply.code(404).send({ error: 'FIELD_NOT_FOUND' })));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'groupby', version: '1' },
      paths: {
        '/items/groupby': {
          get: {
            operationId: 'groupItems',
            parameters: [
              { name: 'column_name', in: 'query', schema: { type: 'string' } },
              { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
              { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
            ],
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '404': { description: 'not found' } },
          },
        },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, negative: { seed: 1 }, selection: { operations: ['groupItems'] } });
  t.notOk(sent.some((line) => /[?&](offset|limit)=/.test(line)), `no changed value sent: ${sent.join(', ')}`);
  t.notOk(report.results.some((r) => r.check === 'negative-data-rejection' && r.status !== 'skip'), 'no rejection credited');
  t.ok(report.results.some((r) => r.check === 'negative-data-rejection' && r.status === 'skip' && /judged against a 2xx to the valid request, which was answered 404/.test(r.message)), 'each says why');
  t.ok(sent.some((line) => !line.startsWith('GET ')), 'an undocumented method is still asked');
});
