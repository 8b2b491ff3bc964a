import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { selectOperations } from '../../harness/plan/operation-selection.js';
import { preparePlan } from '../../harness/run/prepare-run.js';
import { planDryRun } from '../../harness/run/dry-run.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';
import { listen } from '../support/listen.js';

/**
 * Found with Directus 11: `--paths '* /items/incidents'`, meant to narrow a
 * write run to one collection, named its bulk `DELETE /items/incidents` and
 * `PATCH /items/incidents`, and the run sent both, saying so only afterwards.
 * A write is named only deliberately, and a named write is announced before
 * anything is sent.
 */

const op = (method: string, path: string, operationId: string): OperationSpec =>
  ({ operationId, syntheticId: false, method, path, parameters: [], responses: [], secured: false, pointer: `/paths/${path.replace(/\//g, '~1')}/${method.toLowerCase()}` }) as OperationSpec;
const ops = [op('GET', '/things', 'listThings'), op('DELETE', '/things', 'deleteThings'), op('PATCH', '/things', 'updateThings')];
const named = (selection: Parameters<typeof selectOperations>[2]) => [...selectOperations(ops, {}, selection).named].sort();

t.test('a wildcard selects but does not name; a method and path, or an operationId, written out name', async (t) => {
  t.same(named({ paths: ['* /things'] }), [], "'* /things' only narrows");
  t.same(named({ paths: ['/things'] }), [], 'a bare path only narrows');
  t.same(named({ operations: ['*Things'] }), [], 'an operationId glob only narrows');
  t.same(named({ paths: ['DELETE /things'] }), ['deleteThings']);
  t.same(named({ paths: ['patch /things'] }), ['updateThings'], 'the method matched case-blind');
  t.same(named({ paths: ['PATCH /*'] }), [], 'a path glob only narrows, method written or not');
  t.same(named({ paths: ['DELETE /**'] }), []);
  // Review: Etherpad's GET /api/deletePad is a change by its name; a glob over the reads must not name it.
  const pads = [op('GET', '/api/listAllPads', 'listAllPads'), op('GET', '/api/deletePad', 'deletePad')];
  t.same([...selectOperations(pads, {}, { paths: ['GET /api/*'] }).named], []);
  t.same([...selectOperations(pads, {}, { paths: ['GET /api/deletePad'] }).named], ['deletePad']);
  t.same(named({ operations: ['updateThings'] }), ['updateThings']);
  t.same(named({ paths: ['* /things'], operations: ['deleteThings'] }), ['deleteThings'], 'narrowed by one filter, named by the other');
});

t.test('a bulk DELETE matched by a wildcard is not sent; named, it is announced before the run', async (t) => {
  const records = new Set(['theirs']);
  const sent: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.get('/things', async () => ({ data: [...records].map((id) => ({ id })) }));
  app.delete('/things', async (_request, reply) => {
    records.clear();
    return reply.code(204).send();
  });
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'things', version: '1' },
      paths: {
        '/things': {
          get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } },
          delete: { operationId: 'deleteThings', responses: { '204': { description: 'all gone' } } },
        },
      },
    }),
  });
  const profile = `${dir}/openapi.json`;
  const narrowed = await run({ profile, target, allowWrites: true, selection: { paths: ['* /things'] } });
  t.notOk(sent.includes('DELETE /things'), 'not sent');
  t.ok(records.has('theirs'), "someone else's record is still there");
  t.match(narrowed.results.find((r) => r.operationId === 'deleteThings'), { status: 'skip', message: /^would change existing state: .*; name it to send it \(its operationId in --operations, or its method and path in --paths\)$/ });
  t.notOk(narrowed.profile.warnings.some((w) => w.code === 'named-writes'));

  const prepared = await preparePlan({ profile, target, allowWrites: true, selection: { paths: ['DELETE /things', 'GET /things'] } });
  t.match(prepared.warnings[0], { code: 'named-writes', message: '1 write named by --operations or --paths will be sent to state the run did not create, and not undone: DELETE /things' }, 'said first, before any request');
  await run({ profile, target, allowWrites: true, selection: { paths: ['DELETE /things'] } });
  t.ok(sent.includes('DELETE /things'), 'named, it is sent');
});

t.test('the dry run shows the body of a named write that waits for a listed id', async (t) => {
  // Found on Directus: the line for a named PATCH /items/units/{id} had no body; the run sent one to an existing unit.
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'units', version: '1' },
      paths: {
        '/units': { get: { operationId: 'listUnits', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } },
        '/units/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          patch: { operationId: 'updateUnit', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['callsign'], properties: { callsign: { type: 'string' } } } } } }, responses: { '200': { description: 'ok' } } },
        },
      },
    }),
  });
  const plan = planDryRun(await preparePlan({ profile: `${dir}/openapi.json`, target: 'http://127.0.0.1:9', allowWrites: true, selection: { paths: ['GET /units', 'PATCH /units/{id}'] } }));
  t.match(plan.find((line) => line.operationId === 'updateUnit'), { namedWrite: true, body: '{"callsign":"example"}', note: /taken from an earlier list response at run time/ });
});
