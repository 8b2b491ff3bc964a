import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Fourth review of 1dce578: a parent embedded under a word the link rule reads as the
 * record's envelope (`region`, `record`, `object`, `item`; `result/object`) was taken for the
 * new region's id, and the run deleted the parent. The answer's own id beside the link, and
 * no value of the run's in the object it reads, now leave the id in doubt: reads only.
 */
const json = (schema: unknown) => ({ 'application/json': { schema } });

function documentFor(link: string, named: boolean) {
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
          responses: { '201': { description: 'created', content: json({ type: 'object' }), links: { GetRegion: { operationId: 'getRegion', parameters: { id: link } } } } },
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


// The answer embeds the parent region (a self-referencing relation) under a member whose name is an envelope
// word or the resource's own name, and the document's link (Platformatic-style, one per relation) reads its id.
for (const named of [false, true]) for (const member of ['region', 'record', 'object', 'item'] as const) {
  const link = `$response.body#/${member}/id`;
  t.test(`a link to the parent embedded as \`${member}\` (${link}) is not taken for the new region's id${named ? ' (the run names its region)' : ''}`, async (t) => {
    const regions = new Map<number, { id: number; name?: string; population: number; parent: number | null }>([[1, { id: 1, name: 'World', population: 8_000_000_000, parent: null }]]);
    const deletes: string[] = [];
    const app = Fastify();
    app.post<{ Body: { name?: string; population: number } }>('/regions', async (request, reply) => {
      const made = { id: regions.size + 1, ...request.body, parent: 1 };
      regions.set(made.id, made);
      const { parent: _parent, ...fields } = made;
      return reply.code(201).send({ ...fields, [member]: { id: 1, name: 'World' } });
    });
    app.get<{ Params: { id: string } }>('/regions/:id', async (request, reply) => regions.get(Number(request.params.id)) ?? reply.code(404).send({}));
    app.delete<{ Params: { id: string } }>('/regions/:id', async (request, reply) => {
      deletes.push(request.params.id);
      return regions.delete(Number(request.params.id)) ? reply.code(204).send() : reply.code(404).send({});
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(documentFor(link, named)) });
    await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.ok(regions.has(1), `region 1, someone else's, is still there; DELETEs sent: ${JSON.stringify(deletes)}`);
    t.notOk(deletes.includes('1'), 'no DELETE goes to region 1');
  });
}

// The read-back defence reads the run's own values only at the top or under `data` (recordOf): an answer in a
// `result` envelope (now accepted) gives it nothing, even when the run names its region.
t.test('named region, answer in a result envelope, parent embedded as object: $response.body#/result/object/id', async (t) => {
  const regions = new Map<number, { id: number; name?: string; population: number; parent: number | null }>([[1, { id: 1, name: 'World', population: 8_000_000_000, parent: null }]]);
  const deletes: string[] = [];
  const app = Fastify();
  app.post<{ Body: { name?: string; population: number } }>('/regions', async (request, reply) => {
    const made = { id: regions.size + 1, ...request.body, parent: 1 };
    regions.set(made.id, made);
    const { parent: _parent, ...fields } = made;
    return reply.code(201).send({ success: true, result: { ...fields, object: { id: 1, name: 'World' } } });
  });
  app.get<{ Params: { id: string } }>('/regions/:id', async (request, reply) => regions.get(Number(request.params.id)) ?? reply.code(404).send({}));
  app.delete<{ Params: { id: string } }>('/regions/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return regions.delete(Number(request.params.id)) ? reply.code(204).send() : reply.code(404).send({});
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(documentFor('$response.body#/result/object/id', true)) });
  await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.ok(regions.has(1), `region 1 (World) is still there; DELETEs sent: ${JSON.stringify(deletes)}`);
});
