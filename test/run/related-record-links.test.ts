import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Found on Platformatic DB 2.61: a create's answer links every foreign key to
 * the GET it points to, so a self-referencing table (`regions.parent_id`)
 * links `$response.body#/parentId` to `/regions/{id}`, the path the new
 * record's own id goes to. The run took the parent for its record, updated
 * and deleted it (the cascade took every region), and said "1 deleted, none
 * left behind". A list shows only the newest records, so it did not warn.
 */

const thing = { type: 'object', required: ['id', 'name', 'parentId'], properties: { id: { type: 'integer' }, name: { type: 'string' }, parentId: { type: 'integer' } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });

function documentWith(links: Record<string, unknown>) {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'things', version: '1' },
    paths: {
      '/things': {
        get: { operationId: 'listThings', responses: { '200': { description: 'the newest ten', content: json({ type: 'array', items: thing }) } } },
        post: {
          operationId: 'createThing',
          requestBody: { required: true, content: json({ type: 'object', required: ['name', 'parentId'], additionalProperties: false, properties: { name: { type: 'string' }, parentId: { type: 'integer' } } }) },
          responses: { '201': { description: 'created', content: json(thing), links } },
        },
      },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json(thing) }, '404': { description: 'none' } } },
        put: { operationId: 'replaceThing', requestBody: { required: true, content: json({ type: 'object', properties: { name: { type: 'string' }, parentId: { type: 'integer' } } }) }, responses: { '200': { description: 'ok', content: json(thing) }, '404': { description: 'none' } } },
        delete: { operationId: 'deleteThing', responses: { '200': { description: 'deleted', content: json(thing) }, '404': { description: 'none' } } },
      },
    },
  });
}

/** Fifteen records, 1 to 15; the list shows the newest ten, so record 1 is in none the run reads. */
async function supplier(t: Test, options: { answerWithoutId?: boolean; answerWithId?: number } = {}) {
  const things = new Map<number, { id: number; name: string; parentId: number }>();
  for (let id = 1; id <= 15; id++) things.set(id, { id, name: `existing ${id}`, parentId: 1 });
  const writes: string[] = [];
  const app = Fastify();
  app.get('/things', async () => [...things.values()].slice(-10));
  app.post<{ Body: { name: string; parentId: number } }>('/things', async (request, reply) => {
    const id = Math.max(...things.keys()) + 1;
    const made = { id, name: request.body.name, parentId: request.body.parentId };
    things.set(id, made);
    if (options.answerWithoutId) return reply.code(201).send({ name: made.name, parentId: made.parentId });
    return reply.code(201).send(options.answerWithId === undefined ? made : { ...made, id: options.answerWithId });
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => things.get(Number(request.params.id)) ?? reply.code(404).send({}));
  app.put<{ Params: { id: string }; Body: { name?: string } }>('/things/:id', async (request, reply) => {
    writes.push(`PUT ${request.params.id}`);
    const found = things.get(Number(request.params.id));
    if (!found) return reply.code(404).send({});
    Object.assign(found, request.body);
    return found;
  });
  app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
    writes.push(`DELETE ${request.params.id}`);
    const found = things.get(Number(request.params.id));
    things.delete(Number(request.params.id));
    return found ?? reply.code(404).send({});
  });
  return { target: await listen(t, app), things, writes };
}

t.test("a link reading the answer's parentId names the parent, not the record made: only the run's own is written to", async (t) => {
  const { target, things, writes } = await supplier(t);
  const dir = t.testdir({ 'openapi.json': documentWith({ GetParent: { operationId: 'getThing', parameters: { id: '$response.body#/parentId' } } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(things.get(1), { id: 1, name: 'existing 1', parentId: 1 }, 'the parent is neither changed nor deleted');
  t.same(writes, ['PUT 16', 'DELETE 16'], "the run's own record, 16, is the one updated and deleted");
  t.notOk(things.has(16), "and the run's record is gone");
  t.same(report.cleanup?.leftBehind ?? [], []);
});

t.test('with the same link and no id of its own in the answer, nothing is written and the record is listed as left behind, saying why', async (t) => {
  const { target, things, writes } = await supplier(t, { answerWithoutId: true });
  const dir = t.testdir({ 'openapi.json': documentWith({ GetParent: { operationId: 'getThing', parameters: { id: '$response.body#/parentId' } } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(writes, [], 'no write reaches the parent');
  t.same(things.get(1), { id: 1, name: 'existing 1', parentId: 1 });
  t.match(report.cleanup?.leftBehind, [{ reason: /answered 201, but neither its links, a Location header nor its body .* named the record's \{id\}/ }]);
});

t.test("a link reading the answer's own id key is followed as before", async (t) => {
  const { target, writes } = await supplier(t);
  const dir = t.testdir({
    'openapi.json': documentWith({
      GetParent: { operationId: 'getThing', parameters: { id: '$response.body#/parentId' } },
      GetThing: { operationId: 'getThing', parameters: { id: '$response.body#/id' } },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(writes, ['PUT 16', 'DELETE 16']);
  const read = report.results.find((r) => r.check === 'resource-available');
  t.match(read, { status: 'pass', evidence: { request: { url: /\/things\/16$/ } } }, 'the read is of the record made');
});

t.test("whatever gave the id, a record read back holding another value where the create's answer held the run's gets no write", async (t) => {
  // Defence in depth behind the link rule: a supplier whose answer names the wrong id (record 1), read back as
  // someone else's ({name: "existing 1"} where the answer said interop-probe-…), is not updated or deleted.
  const { target, things, writes } = await supplier(t, { answerWithId: 1 });
  const dir = t.testdir({ 'openapi.json': documentWith({}) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(writes, [], 'no PUT or DELETE reaches record 1');
  t.same(things.get(1), { id: 1, name: 'existing 1', parentId: 1 });
  t.match(report.cleanup?.leftBehind, [{ url: /\/things$/, reason: /^GET http:\/\/127\.0\.0\.1:\d+\/things\/1 read back "name": "existing 1", where the create's answer held the run's own value: the id taken names another record/ }]);
  t.ok(report.results.some((r) => r.check === 'probe' && r.status === 'warn' && /read back "name": "existing 1"/.test(r.message)), 'the report says so among its results');
});
