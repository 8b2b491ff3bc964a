import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Unleash 6.10: `GET /projects/{projectId}/features/{featureName}` was read
 * with a flag from `GET /archive/features` (a list of the same resource
 * elsewhere), sent in the first wave, because the feature's own list waited
 * for {projectId}: the archived flag answered a documented 404, and the live
 * flag's schema failure went unseen. A read now waits for its own
 * collection's list when that list is sent in the same wave.
 */

const list = { type: 'object', properties: { things: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });

t.test("an item read takes its id from its own collection's list, not another list of the same resource", async (t) => {
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(request.url));
  app.get('/orgs', async () => ({ orgs: [{ id: 'acme' }] }));
  app.get('/archive/things', async () => ({ things: [{ name: 'old-archived' }] }));
  app.get('/orgs/acme/things', async () => ({ things: [{ name: 'live' }] }));
  app.get('/orgs/acme/things/live', async () => ({ name: 'live', count: 'not-a-number' }));
  app.get('/orgs/acme/things/:name', async (_request, reply) => reply.code(404).send({ message: 'not found' }));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'things', version: '1' },
      paths: {
        '/archive/things': { get: { operationId: 'listArchivedThings', responses: { '200': { description: 'ok', content: json(list) } } } },
        '/orgs': { get: { operationId: 'listOrgs', responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { orgs: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } } }) } } } },
        '/orgs/{orgId}/things': {
          get: { operationId: 'listThings', parameters: [{ name: 'orgId', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: json(list) } } },
        },
        '/orgs/{orgId}/things/{thingName}': {
          get: {
            operationId: 'getThing',
            parameters: [{ name: 'orgId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'thingName', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer' } } }) }, '404': { description: 'not found', content: json({ type: 'object' }) } },
          },
        },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  t.ok(sent.includes('/orgs/acme/things/live'), `the live thing, from its own list (sent: ${sent.join(' ')})`);
  t.notOk(sent.includes('/orgs/acme/things/old-archived'), 'not the archived one');
  t.match(report.results.find((r) => r.operationId === 'getThing' && r.check === 'response-schema'), { status: 'fail', message: /\/count must be integer/ });
  t.equal(report.summary.verdict, 'non-conformant');
});
