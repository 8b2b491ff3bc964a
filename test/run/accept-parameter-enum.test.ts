/**
 * An Accept parameter's example that its own enum refuses is not sent: the value
 * comes from the schema instead, as for any parameter (review of 9358004).
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'facilities', version: '1' },
  paths: {
    '/facilities': {
      get: {
        operationId: 'listFacilities',
        // The schema's example contradicts its enum: the only Accept the schema allows is application/json.
        parameters: [{ name: 'Accept', in: 'header', required: true, schema: { type: 'string', enum: ['application/json'], example: 'application/geo+json' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } },
      },
    },
  },
};

t.test('an Accept value outside the parameter enum is not sent', async (t) => {
  const app = Fastify();
  let accept: string | undefined;
  app.get('/facilities', async (request, reply) => {
    accept = request.headers.accept;
    // Checks Accept against the documented enum, as va.gov does.
    return request.headers.accept === 'application/json' ? [] : reply.code(406).send({ error: 'Accept must be application/json' });
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  t.not(report.summary.verdict, 'non-conformant', 'a supplier that takes exactly what the enum allows is not flagged');
});
