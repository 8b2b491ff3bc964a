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

t.test("an Accept parameter's value that asks for no documented media type is not sent: one of its enum values that does is", async (t) => {
  // Found with Prism on spoonacular's document: the nutrition widget documents text/html alone, its optional Accept
  // parameter's example is application/json, and the supplier's 406 to that was failed as undocumented.
  const widget = (accept: Record<string, unknown>) => ({
    openapi: '3.0.3',
    info: { title: 'widgets', version: '1' },
    paths: {
      '/widget': {
        get: {
          operationId: 'getWidget',
          parameters: [{ name: 'Accept', in: 'header', required: false, schema: { type: 'string', ...accept }, example: 'application/json' }],
          responses: { '200': { description: 'ok', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
    },
  });
  for (const [name, accept, expected] of [
    ['an enum value the responses document', { enum: ['application/json', 'text/html', 'media/*'] }, 'text/html'],
    ['no enum: the documented media types', {}, 'text/html'],
  ] as const) {
    const app = Fastify();
    let seen: string | undefined;
    app.get('/widget', async (request, reply) => {
      seen = request.headers.accept;
      return /text\/html|\*\/\*|text\/\*/.test(request.headers.accept ?? '') ? reply.type('text/html').send('<p>ok</p>') : reply.code(406).send({ error: 'not acceptable' });
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(widget(accept)) });
    const report = await run({ profile: `${dir}/openapi.json`, target });
    t.equal(seen, expected, name);
    t.equal(report.summary.verdict, 'conformant', `${name}: ${report.results.filter((r) => r.status === 'fail').map((r) => r.message).join('; ')}`);
  }
});
