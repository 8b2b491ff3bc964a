/**
 * Third review of a5bdf8c: MASKED = /[*•…]|x{3,}/i sets aside any value read back holding a star,
 * a bullet, an ellipsis or "xxx" as masked, so a foreign record whose name merely contains one
 * passes as the run's own, and is deleted.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const team = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };
const document = {
  openapi: '3.0.3',
  info: { title: 'teams', version: '1' },
  paths: {
    '/teams': { post: { operationId: 'createTeam', requestBody: { required: true, content: json({ type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } }) }, responses: { '201': { description: 'created', content: json(team) } } } },
    '/teams/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { operationId: 'getTeam', responses: { '200': { description: 'ok', content: json(team) }, '404': { description: 'none' } } },
      delete: { operationId: 'deleteTeam', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
    },
  },
};

// 'Max Power' is the control: a plain foreign name was always caught.
for (const foreign of ['Max Power', 'Maxxx Power', 'A*STAR Research', 'Work in progress…']) {
  t.test(`a read back of another's team named ${JSON.stringify(foreign)} is not the run's: no DELETE`, async (t) => {
    const teams = new Map<number, { id: number; name: string }>([[1, { id: 1, name: foreign }]]);
    const deletes: string[] = [];
    const app = Fastify();
    app.post<{ Body: { name: string } }>('/teams', async (request, reply) => {
      teams.set(2, { id: 2, name: request.body.name });
      return reply.code(201).send({ id: 1, name: request.body.name }); // the wrong id, as in a5bdf8c's own test
    });
    app.get<{ Params: { id: string } }>('/teams/:id', async (request, reply) => teams.get(Number(request.params.id)) ?? reply.code(404).send({}));
    app.delete<{ Params: { id: string } }>('/teams/:id', async (request, reply) => {
      deletes.push(request.params.id);
      return reply.code(teams.delete(Number(request.params.id)) ? 204 : 404).send();
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.same(deletes, [], `team 1 (someone else's) gets no DELETE; left behind: ${JSON.stringify(report.cleanup?.leftBehind)}`);
    t.ok(teams.has(1), 'team 1 is still there');
  });
}
