/**
 * An operation's own Accept header parameter is ignored as a parameter, as
 * OpenAPI says, but its value is what the probe asks for. Found with Prism on
 * va.gov's facilities document: Accept has an enum, and the harness's list of
 * every documented media type drew a 422 that failed status-code.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const geo = { type: 'object', properties: { type: { type: 'string' } } };
const document = {
  openapi: '3.0.3',
  info: { title: 'facilities', version: '1' },
  paths: {
    '/facilities/all': {
      get: {
        operationId: 'getAllFacilities',
        parameters: [{ name: 'Accept', in: 'header', required: true, example: 'application/geo+json', schema: { type: 'string', enum: ['application/geo+json', 'application/vnd.geo+json', 'text/csv'] } }],
        responses: {
          '200': { description: 'all', content: { 'application/geo+json': { schema: geo }, 'application/vnd.geo+json': { schema: geo }, 'text/csv': { schema: { type: 'string' } } } },
        },
      },
    },
    '/facilities': {
      get: {
        operationId: 'listFacilities',
        responses: { '200': { description: 'some', content: { 'application/json': { schema: { type: 'array' } }, 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
  },
};

t.test("the Accept parameter's value is sent as Accept; without one, every documented media type is", async (t) => {
  const app = Fastify();
  const accepted = ['application/geo+json', 'application/vnd.geo+json', 'text/csv'];
  app.get('/facilities/all', async (request, reply) => {
    if (!accepted.includes(String(request.headers.accept))) return reply.code(422).send({ error: 'accept must be equal to one of the allowed values' });
    return reply.type('application/geo+json').send({ type: 'FeatureCollection' });
  });
  app.get('/facilities', async () => []);
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  t.equal(report.summary.verdict, 'conformant');
  const sent = (operationId: string) => report.results.find((r) => r.operationId === operationId && r.evidence)!.evidence!.request.headers.accept;
  t.equal(sent('getAllFacilities'), 'application/geo+json');
  t.equal(sent('listFacilities'), 'application/json, text/csv');
});
