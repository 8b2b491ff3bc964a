import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Second review of 17d8cf5: a link was taken for the new record's id unless its last key
 * ended in id/uuid/guid. A self-referencing table whose answer names the parent as `parent`
 * (DRF / Django serialise a foreign key under the field's own name), or nested (`parent.id`,
 * JSON:API's relationships/parent/data/id), led the run to the parent: someone else's region.
 * With and without a name the run gives the region (the read-back defence sees only the latter).
 */
const json = (schema: unknown) => ({ 'application/json': { schema } });

type Shape = 'flat' | 'embedded' | 'nested' | 'jsonapi';
// Third review: the same link embedded in a template (`{$response.body#/parent}`), which OpenAPI allows.
const pointer: Record<Shape, string> = { flat: '$response.body#/parent', embedded: '{$response.body#/parent}', nested: '$response.body#/parent/id', jsonapi: '$response.body#/data/relationships/parent/data/id' };

function documentFor(shape: Shape, named: boolean) {
  const region = { type: 'object', properties: { id: { type: 'integer' }, population: { type: 'integer' } } };
  const required = named ? ['name', 'population'] : ['population'];
  return {
    openapi: '3.0.3',
    info: { title: 'regions', version: '1' },
    paths: {
      '/regions': {
        post: {
          operationId: 'createRegion',
          requestBody: { required: true, content: json({ type: 'object', required, additionalProperties: false, properties: { name: { type: 'string' }, population: { type: 'integer' } } }) },
          responses: { '201': { description: 'created', content: json({ type: 'object' }), links: { GetRegion: { operationId: 'getRegion', parameters: { id: pointer[shape] } } } } },
        },
      },
      '/regions/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getRegion', responses: { '200': { description: 'ok', content: json(region) }, '404': { description: 'none' } } },
        delete: { operationId: 'deleteRegion', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
      },
    },
  };
}

for (const named of [false, true]) for (const shape of ['flat', 'embedded', 'nested', 'jsonapi'] as const) {
  t.test(`a link to the parent (${pointer[shape]}) is not taken for the new region's id${named ? ' (the run names its region)' : ''}`, async (t) => {
    const regions = new Map<number, { id: number; name?: string; population: number; parent: number | null }>([[1, { id: 1, name: 'World', population: 8_000_000_000, parent: null }]]);
    const deletes: string[] = [];
    const app = Fastify();
    app.post<{ Body: { name?: string; population: number } }>('/regions', async (request, reply) => {
      const made = { id: regions.size + 1, ...request.body, parent: 1 };
      regions.set(made.id, made);
      const { parent: _parent, id, ...fields } = made;
      const body =
        shape === 'flat' || shape === 'embedded' ? made
        : shape === 'nested' ? { id, ...fields, parent: { id: 1 } }
        : { data: { type: 'regions', id: String(id), attributes: fields, relationships: { parent: { data: { type: 'regions', id: '1' } } } } };
      return reply.code(201).send(body);
    });
    app.get<{ Params: { id: string } }>('/regions/:id', async (request, reply) => regions.get(Number(request.params.id)) ?? reply.code(404).send({}));
    app.delete<{ Params: { id: string } }>('/regions/:id', async (request, reply) => {
      deletes.push(request.params.id);
      return regions.delete(Number(request.params.id)) ? reply.code(204).send() : reply.code(404).send({});
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(documentFor(shape, named)) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.ok(regions.has(1), `region 1, someone else's, is still there; DELETEs sent: ${JSON.stringify(deletes)}`);
    t.notOk(deletes.includes('1'), 'no DELETE goes to region 1');
    const listed = JSON.stringify(report.cleanup);
    t.ok(!regions.has(2) || /regions/.test(JSON.stringify(report.cleanup?.leftBehind ?? [])), `the run's own region 2 is deleted or listed as left behind: ${listed}`);
  });
}
