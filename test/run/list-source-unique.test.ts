/**
 * A list the generator padded by repeating one item value (breaking uniqueItems)
 * is the harness's value, not the document's: a refusal of it is no failure (review of 4029da6).
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets': {
      get: {
        operationId: 'findPets',
        parameters: [{ name: 'status', in: 'query', required: true, explode: true, schema: { type: 'array', minItems: 2, uniqueItems: true, items: { type: 'string', enum: ['available', 'pending', 'sold'] } } }],
        responses: { '200': { description: 'pets', content: { 'application/json': { schema: { type: 'array' } } } } },
      },
    },
  },
};

t.test('a list the harness padded with one item value repeated (breaking uniqueItems) is not the document value', async (t) => {
  const app = Fastify();
  const seen: string[] = [];
  app.get('/pets', async (request, reply) => {
    seen.push(request.url);
    const raw = (request.query as { status?: string | string[] }).status;
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    // A conformant server enforcing the documented schema: uniqueItems.
    if (new Set(list).size !== list.length || list.length < 2) return reply.code(400).send({ message: 'status must be 2+ unique values' });
    return [];
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  const status = report.results.find((r) => r.check === 'status-code')!;
  t.not(status.status, 'fail', 'a refusal of a value the harness built against the schema is not a failure');
});
