import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * A create's link that reads a related record's id (a region's parent) is not the new
 * record's id. Found on Platformatic DB (`parentId`); the review rounds then proved each
 * of these shapes was taken, and the run deleted the parent:
 * - second review: `parent` (Django serialises a foreign key under the field's own name),
 *   nested `parent/id`, JSON:API's `relationships/parent/data/id`;
 * - third review: the same link embedded in a template, `{$response.body#/parent}`;
 * - fourth review: the parent embedded under a word read as the record's envelope
 *   (`region`, `record`, `object`, `item`, `result/object`) beside the answer's own id;
 * - fifth review: a parent listing its children, the run's among them; an answer with no
 *   id of its own whose `result` member hid the run's values from the read-back defence.
 * Each with and without a name the run gives the region (the read-back defence sees only the latter).
 */
const json = (schema: unknown) => ({ 'application/json': { schema } });

type Made = { id: number; name?: string; population: number };
const parent = { id: 1, name: 'World' };
const cases: Array<{ link: string; answer: (made: Made) => unknown }> = [
  { link: '$response.body#/parent', answer: (made) => ({ ...made, parent: 1 }) },
  { link: '{$response.body#/parent}', answer: (made) => ({ ...made, parent: 1 }) },
  { link: '$response.body#/parent/id', answer: (made) => ({ ...made, parent: { id: 1 } }) },
  {
    link: '$response.body#/data/relationships/parent/data/id',
    answer: ({ id, ...fields }) => ({ data: { type: 'regions', id: String(id), attributes: fields, relationships: { parent: { data: { type: 'regions', id: '1' } } } } }),
  },
  ...(['region', 'record', 'object', 'item'] as const).map((member) => ({ link: `$response.body#/${member}/id`, answer: (made: Made) => ({ ...made, [member]: parent }) })),
  { link: '$response.body#/result/object/id', answer: (made: Made) => ({ success: true, result: { ...made, object: parent } }) },
  // Fifth review: a parent listing its children (the run's among them), and an answer with no id of its own.
  { link: '$response.body#/region/id', answer: (made: Made) => ({ id: made.id, region: { ...parent, children: [{ id: 1 }, made] } }) },
  { link: '$response.body#/region/id', answer: ({ id: _id, ...fields }: Made) => ({ ...fields, result: { created: true }, region: parent }) },
];

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

/** Region 1, someone else's, and a create that answers as `answer` builds it. */
async function regionsSupplier(t: Test, answer: (made: Made) => unknown) {
  const regions = new Map<number, Made & { parent: number | null }>([[1, { ...parent, population: 8_000_000_000, parent: null }]]);
  const deletes: string[] = [];
  const app = Fastify();
  app.post<{ Body: { name?: string; population: number } }>('/regions', async (request, reply) => {
    const made = { id: regions.size + 1, ...request.body };
    regions.set(made.id, { ...made, parent: 1 });
    return reply.code(201).send(answer(made));
  });
  app.get<{ Params: { id: string } }>('/regions/:id', async (request, reply) => regions.get(Number(request.params.id)) ?? reply.code(404).send({}));
  app.delete<{ Params: { id: string } }>('/regions/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return regions.delete(Number(request.params.id)) ? reply.code(204).send() : reply.code(404).send({});
  });
  return { target: await listen(t, app), regions, deletes };
}

for (const named of [false, true]) {
  for (const [index, { link, answer }] of cases.entries()) {
    t.test(`${index + 1}: a link to the parent (${link}) is not taken for the new region's id${named ? ' (the run names its region)' : ''}`, async (t) => {
      const { target, regions, deletes } = await regionsSupplier(t, answer);
      const dir = t.testdir({ 'openapi.json': JSON.stringify(documentFor(link, named)) });
      const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
      t.ok(regions.has(1), `region 1, someone else's, is still there; DELETEs sent: ${JSON.stringify(deletes)}`);
      t.notOk(deletes.includes('1'), 'no DELETE goes to region 1');
      t.ok(!regions.has(2) || /regions/.test(JSON.stringify(report.cleanup?.leftBehind ?? [])), `the run's own region 2 is deleted or listed as left behind: ${JSON.stringify(report.cleanup)}`);
    });
  }
}
