import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * After an update answered 2xx, the lifecycle reads the record back: a field
 * the update sent that the read shows with another value is a warning. Found
 * on Platformatic DB: create and update share one input schema, so both sent
 * the same generated body, and a supplier that ignored the update could not
 * be caught.
 */

const thingInput = { type: 'object', required: ['name', 'colour'], properties: { name: { type: 'string' }, colour: { type: 'string' } } };
const thing = { type: 'object', required: ['id', 'name', 'colour'], properties: { id: { type: 'integer' }, name: { type: 'string' }, colour: { type: 'string' } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });

function document(nameSchema: Record<string, unknown> = { type: 'string' }): string {
  const input = { ...thingInput, properties: { ...thingInput.properties, name: nameSchema } };
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'updates', version: '1' },
    paths: {
      '/things': {
        get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: json({ type: 'array', items: thing }) } } },
        post: { operationId: 'createThing', requestBody: { required: true, content: json(input) }, responses: { '201': { description: 'created', content: json(thing) } } },
      },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json(thing) }, '404': { description: 'gone' } } },
        put: { operationId: 'updateThing', requestBody: { required: true, content: json(input) }, responses: { '200': { description: 'ok', content: json(thing) }, '404': { description: 'gone' } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' }, '404': { description: 'gone' } } },
      },
    },
  });
}

/**
 * A supplier whose PUT answers 200 and, unless `applies`, ignores the body. `read`: how a record is answered,
 * as itself, inside `{data: record}` (Directus), or by its id and a `data` field of its own.
 */
async function supplier(t: Test, applies: boolean, read: 'record' | 'enveloped' | 'own-data' = 'record') {
  const things = new Map<number, { id: number; name: string; colour: string }>();
  const bodies: Array<{ method: string; body: unknown }> = [];
  let next = 1;
  const app = Fastify();
  app.get('/things', async () => [...things.values()]);
  app.post<{ Body: { name: string; colour: string } }>('/things', async (request, reply) => {
    bodies.push({ method: 'POST', body: request.body });
    const made = { id: next++, name: request.body.name, colour: request.body.colour };
    things.set(made.id, made);
    return reply.code(201).send(made);
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
    const found = things.get(Number(request.params.id));
    if (!found) return reply.code(404).send({});
    if (read === 'enveloped') return { data: found };
    if (read === 'own-data') return { id: found.id, data: { name: 'a name of something else' } };
    return found;
  });
  app.put<{ Params: { id: string }; Body: { name: string; colour: string } }>('/things/:id', async (request, reply) => {
    bodies.push({ method: 'PUT', body: request.body });
    const found = things.get(Number(request.params.id));
    if (!found) return reply.code(404).send({});
    if (applies) Object.assign(found, request.body);
    return found;
  });
  app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => reply.code(things.delete(Number(request.params.id)) ? 204 : 404).send());
  return { target: await listen(t, app), bodies };
}

async function runWrites(t: Test, target: string, doc = document()) {
  const dir = t.testdir({ 'openapi.json': doc });
  return run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
}

t.test('a supplier that ignores an update is caught when the record is read back', async (t) => {
  const { target, bodies } = await supplier(t, false);
  const report = await runWrites(t, target);
  const create = bodies.find((b) => b.method === 'POST')?.body as { name: string };
  const update = bodies.find((b) => b.method === 'PUT')?.body as { name: string };
  t.match(create.name, /^interop-probe-[a-z0-9]+$/, 'the create names its record for the run');
  t.equal(update.name, `${create.name}-updated`, 'the update sends another name than the create');
  t.match(report.results.find((r) => r.status === 'warn' && r.operationId === 'getThing'), {
    message: new RegExp(`^after PUT /things/\\{id\\} answered success, reading the record back shows name "${create.name}" where the update sent "${update.name}"`),
  });
});

t.test('a supplier that applies it draws no warning', async (t) => {
  const { target } = await supplier(t, true);
  const report = await runWrites(t, target);
  t.equal(report.results.filter((r) => r.status === 'warn').length, 0, JSON.stringify(report.results.filter((r) => r.status === 'warn').map((r) => r.message)));
  t.equal(report.summary.verdict, 'conformant');
});

t.test("a name field too short for the update's suffix keeps the run's name", async (t) => {
  const { bodies, target } = await supplier(t, true);
  // interop-probe-<tag> fits in 24 characters, with -updated it does not.
  await runWrites(t, target, document({ type: 'string', maxLength: 24 }));
  const create = bodies.find((b) => b.method === 'POST')?.body as { name: string };
  const update = bodies.find((b) => b.method === 'PUT')?.body as { name: string };
  t.match(create.name, /^interop-probe-/);
  t.equal(update.name, create.name);
});

t.test('a record read back inside an envelope (Directus: {"data": {...}}) is compared too', async (t) => {
  const { target, bodies } = await supplier(t, false, 'enveloped');
  const report = await runWrites(t, target);
  const update = bodies.find((b) => b.method === 'PUT')?.body as { name: string };
  t.match(report.results.find((r) => r.status === 'warn' && r.operationId === 'getThing'), { message: new RegExp(`reading the record back shows name ".*" where the update sent "${update.name}"`) });
});

t.test("a record's own data field is not taken for an envelope", async (t) => {
  // The read shows the id and a `data` object with another `name`: not the record's name, so not judged.
  const { target } = await supplier(t, true, 'own-data');
  const report = await runWrites(t, target);
  t.same(report.results.filter((r) => /reading the record back/.test(r.message)).map((r) => r.message), []);
  t.ok(report.results.some((r) => r.operationId === 'getThing' && r.check === 'response-schema'), 'the read was judged');
});
