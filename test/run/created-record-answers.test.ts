import t, { type Test } from 'tap';
import { validateReport } from '../support/report-schema.js';
import Fastify, { type FastifyReply } from 'fastify';
import { run } from '../../harness/run/run.js';
import { planDryRun } from '../../harness/run/dry-run.js';
import { preparePlan } from '../../harness/run/prepare-run.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';


/**
 * What a create's answer may name as the run's own record, which the run then
 * deletes. Each case has someone else's record (7, or 201) on the supplier: it
 * must survive, and the run's own record must be deleted or listed as left behind.
 */

const json = { 'application/json': { schema: { type: 'object' } } };
const idParam = { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } };

function thingsDocument(createResponses: Record<string, unknown>, collection = '/things'): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'creates', version: '1' },
    paths: {
      [collection]: { post: { operationId: 'createThing', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { name: 'Widget' } } } }, responses: createResponses } },
      [`${collection}/{thingId}`]: {
        parameters: [idParam, ...(collection.includes('{orgId}') ? [{ name: 'orgId', in: 'path', required: true, schema: { type: 'string' } }] : [])],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } },
        put: { operationId: 'putThing', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { name: 'Widget 2' } } } }, responses: { '200': { description: 'ok', content: json } } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
      },
    },
  });
}

/** A supplier holding someone else's records, answering every create with `answer`; `listed`: GET /things lists them. */
async function supplier(t: Test, answer: (reply: FastifyReply, made: string) => unknown, others: string[] = ['7'], listed = false) {
  const store = new Set(others);
  const deletes: string[] = [];
  const puts: string[] = [];
  let next = 900;
  const app = Fastify();
  if (listed) app.get('/things', async () => ({ data: [...store].map((id) => ({ id, name: `thing ${id}` })) }));
  app.post('/things', async (_request, reply) => {
    const made = String(++next);
    store.add(made);
    return answer(reply, made);
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => (store.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({})));
  app.put<{ Params: { id: string } }>('/things/:id', async (request) => {
    puts.push(request.params.id);
    return { id: request.params.id };
  });
  app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return reply.code(store.delete(request.params.id) ? 204 : 404).send();
  });
  const target = await listen(t, app);
  return { target, store, deletes, puts };
}

/** The things document with a list operation, GET /things. */
function listedThingsDocument(createResponses: Record<string, unknown>): string {
  const document = JSON.parse(thingsDocument(createResponses));
  document.paths['/things'].get = { operationId: 'listThings', responses: { '200': { description: 'a page', content: json } } };
  return JSON.stringify(document);
}

async function runWrites(t: Test, document: string, target: string, timeout?: number) {
  const dir = t.testdir({ 'openapi.json': document });
  return run({ profile: `${dir}/openapi.json`, target, allowWrites: true, ...(timeout ? { limits: { requestTimeoutMs: timeout } } : {}) });
}

const link = { links: { GetThing: { operationId: 'getThing', parameters: { thingId: '$response.body#/id' } } } };

t.test("a 202's body, and a link declared for the 201, never name the run's record: job 7 is someone else's", async (t) => {
  const { target, store, deletes } = await supplier(t, (reply) => reply.code(202).send({ id: 7, state: 'queued' }));
  const report = await runWrites(t, thingsDocument({ '201': { description: 'created', content: json, ...link }, '202': { description: 'accepted', content: json } }), target);
  t.same(deletes, [], 'no DELETE at all');
  t.ok(store.has('7'), "someone else's record 7 is still there");
  t.match(report.cleanup, { deleted: [], leftBehind: [{ url: `${target}/things`, reason: /a 202 \(accepted, not yet done\) describes the request's status/ }] });
});

t.test('a 200 where the document gives a create 201 ("already exists") names no record of the run', async (t) => {
  const { target, store, deletes } = await supplier(t, (reply) => reply.code(200).send({ id: 7, message: 'already exists' }));
  const report = await runWrites(t, thingsDocument({ '201': { description: 'created', content: json, ...link }, '200': { description: 'already exists', content: json } }), target);
  t.same(deletes, []);
  t.ok(store.has('7'));
  t.match(report.cleanup, { deleted: [], leftBehind: [{ reason: /a 200 is taken as a create's answer only where the document gives the create 200 and neither 201 nor 2XX/ }] });
});

t.test('a 200 is the create answer where the document gives 200 and not 201 (as LoopBack does): its record is deleted', async (t) => {
  const { target, store, deletes } = await supplier(t, (reply, made) => reply.code(200).send({ id: made }));
  const report = await runWrites(t, thingsDocument({ '200': { description: 'created', content: json } }), target);
  t.same(deletes, ['901']);
  t.same([...store], ['7']);
  t.same(report.cleanup, { created: 1, deleted: [`${target}/things/901`], leftBehind: [] });
});

t.test("only keys that name an id name the record: an envelope's code or an echoed name is not one", async (t) => {
  {
    const { target, store, deletes } = await supplier(t, (reply, made) => reply.code(201).send({ code: 201, message: 'created', data: { id: Number(made) } }), ['201']);
    const report = await runWrites(t, thingsDocument({ '201': { description: 'created', content: json } }), target);
    t.same(deletes, ['901'], "the record in the envelope's data, not the status code 201");
    t.same([...store], ['201'], "someone else's record 201 stays");
    t.same(report.cleanup?.deleted, [`${target}/things/901`]);
  }
  {
    const { target, store, deletes } = await supplier(t, (reply) => reply.code(201).send({ name: 'Widget', status: 'ok' }), ['Widget']);
    const report = await runWrites(t, thingsDocument({ '201': { description: 'created', content: json } }), target);
    t.same(deletes, [], 'the name the run sent, echoed back, is not taken for the id');
    t.ok(store.has('Widget'));
    t.match(report.cleanup, { deleted: [], leftBehind: [{ url: `${target}/things` }] });
    t.notOk(report.results.some((r) => r.status === 'fail'), 'and no failure the run caused');
  }
});

t.test('a parameter named code: the envelope\'s data names the record, not the envelope\'s own code', async (t) => {
  const { target, store, deletes } = await supplier(t, (reply, made) => reply.code(201).send({ code: 201, message: 'created', data: { code: made } }), ['201']);
  const document = thingsDocument({ '201': { description: 'created', content: json } }).replaceAll('thingId', 'code');
  const report = await runWrites(t, document, target);
  t.same(deletes, ['901']);
  t.same([...store], ['201'], "someone else's record 201 stays");
  t.same(report.cleanup, { created: 1, deleted: [`${target}/things/901`], leftBehind: [] });
});

t.test('an answer reached through a redirect (a 303 to a record that exists) names no record of the run', async (t) => {
  const { target, store, deletes } = await supplier(t, (reply) => reply.code(303).header('location', '/things/7').send());
  const report = await runWrites(t, thingsDocument({ '200': { description: 'created', content: json } }), target);
  t.same(deletes, [], 'the GET the redirect led to answered 200 {id: 7}: that record was there before');
  t.ok(store.has('7'));
  t.match(report.cleanup, { deleted: [], leftBehind: [{ reason: /the answer came after a redirect/ }] });
});

t.test('a 200 where the document gives 2XX as well may be "already exists": nothing in it is taken', async (t) => {
  const { target, store, deletes } = await supplier(t, (reply) => reply.code(200).send({ id: 7, message: 'already exists' }));
  const report = await runWrites(t, thingsDocument({ '200': { description: 'exists', content: json }, '2XX': { description: 'created', content: json } }), target);
  t.same(deletes, []);
  t.ok(store.has('7'));
  t.match(report.cleanup, { deleted: [], leftBehind: [{ reason: /only where the document gives the create 200 and neither 201 nor 2XX/ }] });
});

t.test('a Location deeper than one segment under the collection names no record (a revision of 7 is not a new record)', async (t) => {
  const { target, store, deletes } = await supplier(t, (reply) => reply.code(201).header('location', '/things/7/revisions/3').send());
  const report = await runWrites(t, thingsDocument({ '201': { description: 'created' } }), target);
  t.same(deletes, []);
  t.ok(store.has('7'));
  t.match(report.cleanup, { deleted: [], leftBehind: [{ reason: /Location header \(\/things\/7\/revisions\/3\) does not name a record/ }] });
});

t.test('a create that got no answer may have made a record: it is listed as left behind, not forgotten', async (t) => {
  const held: FastifyReply[] = [];
  // The record is stored and the answer never comes: the run's timeout fires whatever the machine's load.
  const { target, store } = await supplier(t, (reply) => {
    held.push(reply);
    return new Promise(() => {});
  });
  t.teardown(() => held.forEach((reply) => reply.raw.destroy()));
  const report = await runWrites(t, thingsDocument({ '201': { description: 'created', content: json } }), target, 1000);
  t.ok(store.has('901'), 'the supplier made a record');
  t.match(report.cleanup, { created: 1, deleted: [], leftBehind: [{ url: `${target}/things`, reason: /got no answer .*it may have created a record, which the run cannot name/ }] });
});

/** A collection that takes only `{"name": string}`, and the supplier's answer to any other body: `answerInvalid`. */
const INVALID_CREATES_DOCUMENT = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'invalid creates', version: '1' },
  paths: {
    '/things': { post: { operationId: 'createThing', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 20 } }, additionalProperties: false }, example: { name: 'Widget' } } } }, responses: { '201': { description: 'created', content: json }, '400': { description: 'bad' } } } },
    '/things/{thingId}': { parameters: [idParam], get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } }, delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' }, '404': { description: 'gone' } } } },
  },
});

/** A supplier that stores every create, valid or not, answering a valid one 201 `{id}` and an invalid one as `answerInvalid` says. */
async function invalidCreatesSupplier(t: Test, answerInvalid: (reply: FastifyReply, made: string) => unknown) {
  const store = new Set<string>();
  const deletes: string[] = [];
  let next = 900;
  const app = Fastify();
  app.post('/things', async (request, reply) => {
    const made = String(++next);
    store.add(made);
    const body = request.body as Record<string, unknown> | null;
    const valid = body !== null && typeof body === 'object' && Object.keys(body).length === 1 && typeof body.name === 'string';
    return valid ? reply.code(201).send({ id: made }) : answerInvalid(reply, made);
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => (store.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({})));
  app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return reply.code(store.delete(request.params.id) ? 204 : 404).send();
  });
  return { target: await listen(t, app), deletes };
}

async function runInvalidCreates(t: Test, target: string, limits: Parameters<typeof run>[0]['limits']) {
  const dir = t.testdir({ 'openapi.json': INVALID_CREATES_DOCUMENT });
  return run({ profile: `${dir}/openapi.json`, target, allowWrites: true, negative: { seed: 1, maxPerOperation: 2 }, limits });
}

t.test('an invalid create (--negative) that got no answer may have made a record: listed as left behind', async (t) => {
  const held: FastifyReply[] = [];
  t.teardown(() => held.forEach((reply) => reply.raw.destroy()));
  // An invalid body is stored and never answered: the run's timeout fires whatever the load.
  const { target } = await invalidCreatesSupplier(t, (reply) => {
    held.push(reply);
    return new Promise(() => {});
  });
  const report = await runInvalidCreates(t, target, { requestTimeoutMs: 1000 });
  t.ok(held.length >= 1, 'invalid creates were sent and not answered');
  t.equal(report.cleanup?.leftBehind.filter((r) => /got no answer to an invalid body/.test(r.reason)).length, held.length, 'each one is listed as left behind');
  t.same(report.cleanup?.deleted, [`${target}/things/901`], "the run's valid create was deleted");
});

t.test("an invalid create's answer is read within --max-json-values, as every answer is: past it, its record is not named", async (t) => {
  // The valid create's answer holds 2 JSON values; an invalid one's holds 103, past the bound of 20.
  const { target, deletes } = await invalidCreatesSupplier(t, (reply, made) => reply.code(201).send({ id: made, padding: Array.from({ length: 100 }, (_, i) => i) }));
  const report = await runInvalidCreates(t, target, { maxJsonValues: 20 });
  const invalidAnswered = report.cleanup?.leftBehind.filter((r) => /to an invalid body/.test(r.reason)) ?? [];
  t.equal(invalidAnswered.length, 2, 'both invalid creates are listed as left behind');
  for (const entry of invalidAnswered) t.match(entry.reason, /its body was not read as JSON \(not JSON, or past --max-json-values\)/, 'saying its body was not read, not that it named nothing');
  t.same(deletes, ['901'], "only the valid create's record, whose answer was read, got a DELETE");
  t.equal(report.cleanup?.created, 3);
});

t.test('--dry-run plans the steps after a create under a parent as the run sends them, with the parent id', async (t) => {
  const dir = t.testdir({ 'openapi.json': thingsDocument({ '201': { description: 'created', content: json } }, '/orgs/{orgId}/things') });
  const listed = planDryRun(await preparePlan({ profile: `${dir}/openapi.json`, target: 'http://127.0.0.1:9/', allowWrites: true, vars: { orgId: 'acme' } }));
  for (const operationId of ['putThing', 'deleteThing']) {
    const line = listed.find((l) => l.operationId === operationId);
    t.match(line, { url: /\/orgs\/acme\/things\/\{thingId\}$/ }, `${operationId} is planned under the create's own org`);
    t.notMatch(line?.reason ?? '', /^not sent/);
  }
});

t.test('a 201 naming a record GET /things listed before the run wrote anything: read, never updated or deleted', async (t) => {
  // An upsert or "already exists" answered 201: the record is someone else's, whatever the status says.
  const { target, store, deletes, puts } = await supplier(t, (reply) => reply.code(201).send({ id: '7', name: 'Widget' }), ['7'], true);
  const report = await runWrites(t, listedThingsDocument({ '201': { description: 'created', content: json } }), target);
  t.same(deletes, [], 'no DELETE to record 7');
  t.same(puts, [], 'no update of record 7');
  t.ok(store.has('7'), "someone else's record 7 is still there");
  t.match(report.cleanup, { created: 1, deleted: [], leftBehind: [{ url: `${target}/things`, reason: /answered 201, but the \{thingId\} "7" it named was listed by GET \/things before the run wrote anything, so it may be a record that was already there/ }] });
  t.match(report.results.find((r) => r.operationId === 'putThing'), { status: 'skip', message: /^not sent: the \{thingId\} "7" it named was listed by GET \/things .*: nothing but reads goes to it$/ });
  // Its read is sent, as a plain read: a record that was already there shows nothing about what the create made.
  t.ok(report.results.some((r) => r.operationId === 'getThing' && r.check === 'status-code' && r.evidence?.request.url === `${target}/things/7`), 'GET /things/7 was sent');
  t.notOk(report.results.some((r) => r.check === 'resource-available'), 'resource-available does not judge a record the create did not make');
});

t.test('a 201 naming a record past what the run keeps of a long list: read, never deleted, and the report says why', async (t) => {
  // 1,200 records on one page, more than the 1,000 a list keeps: record 1150 is not among them, but the list showed it.
  const others = Array.from({ length: 1200 }, (_, i) => String(i));
  const { target, store, deletes, puts } = await supplier(t, (reply) => reply.code(201).send({ id: '1150', name: 'Widget' }), others, true);
  const report = await runWrites(t, listedThingsDocument({ '201': { description: 'created', content: json } }), target);
  t.same(deletes, [], 'no DELETE to record 1150');
  t.same(puts, [], 'no update of record 1150');
  t.ok(store.has('1150'), "someone else's record 1150 is still there");
  t.match(report.cleanup, { created: 1, deleted: [], leftBehind: [{ url: `${target}/things`, reason: /answered 201, but GET \/things listed more records before the run wrote anything than it keeps \(1,000 a list, 20,000 in all\), so the \{thingId\} "1150" it named may be one of those it did not keep/ }] });
  t.ok(validateReport(report), JSON.stringify(validateReport.errors));
});

t.test('a 201 naming a record of a list too large to read whole (--max-body, --max-json-values): never deleted', async (t) => {
  const others = Array.from({ length: 1200 }, (_, i) => String(i));
  for (const limits of [{ maxBodyBytes: 16 * 1024 }, { maxJsonValues: 2000 }]) {
    const { target, store, deletes, puts } = await supplier(t, (reply) => reply.code(201).send({ id: '1150', name: 'Widget' }), others, true);
    const dir = t.testdir({ 'openapi.json': listedThingsDocument({ '201': { description: 'created', content: json } }) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, limits });
    const name = Object.keys(limits)[0]!;
    t.same(deletes, [], `${name}: no DELETE to record 1150`);
    t.same(puts, [], `${name}: no update of record 1150`);
    t.ok(store.has('1150'), `${name}: someone else's record 1150 is still there`);
    t.match(report.cleanup?.leftBehind, [{ reason: /GET \/things answered before the run wrote anything with a list it could not read whole \(past --max-body or --max-json-values, or cut short after its headers\), so the \{thingId\} "1150" it named may be one it showed/ }], name);
  }
});

t.test('a 201 naming a record of a list cut short by --timeout after its headers: never deleted', async (t) => {
  // Review: a list whose body was still arriving at the deadline was not recorded at all.
  const store = new Set(Array.from({ length: 1200 }, (_, i) => String(i)));
  const deletes: string[] = [];
  const app = Fastify();
  app.get('/things', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/json' });
    reply.raw.write('{"data":[{"id":"0"}');
    // The rest comes after the deadline.
    setTimeout(() => reply.raw.end(`${[...store].slice(1).map((id) => `,{"id":"${id}"}`).join('')}]}`), 1500).unref();
  });
  app.post('/things', async (_request, reply) => reply.code(201).send({ id: '1150' }));
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => (store.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({})));
  app.put('/things/:id', async () => ({}));
  app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return reply.code(store.delete(request.params.id) ? 204 : 404).send();
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': listedThingsDocument({ '201': { description: 'created', content: json } }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, limits: { requestTimeoutMs: 500 } });
  t.same(deletes, [], 'no DELETE to record 1150');
  t.ok(store.has('1150'));
  t.match(report.cleanup?.leftBehind, [{ reason: /with a list it could not read whole/ }]);
});

t.test('a 201 naming a new record is deleted as before, though a list was read first', async (t) => {
  const { target, store, deletes } = await supplier(t, (reply, made) => reply.code(201).send({ id: made }), ['7'], true);
  const report = await runWrites(t, listedThingsDocument({ '201': { description: 'created', content: json } }), target);
  t.same(deletes, ['901']);
  t.same([...store], ['7']);
  t.match(report.cleanup, { created: 1, deleted: [`${target}/things/901`], leftBehind: [] });
});

t.test('a POST an include filter named, outside every lifecycle, is listed as left behind: the run never undoes it', async (t) => {
  const made: string[] = [];
  const document = JSON.parse(thingsDocument({ '201': { description: 'created', content: json } }));
  delete document.paths['/things/{thingId}'].delete;
  const app = Fastify();
  app.post('/things', async (_request, reply) => {
    made.push('901');
    return reply.code(201).header('location', '/things/901').send({ id: '901' });
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, selection: { operations: ['createThing'] } });
  t.same(made, ['901'], 'the named POST was sent');
  t.match(report.cleanup, {
    created: 1,
    deleted: [],
    leftBehind: [{ url: `${target}/things`, reason: 'POST /things answered 201 (its Location: /things/901), but it was sent because --operations or --paths named it, outside the run\'s create-and-delete lifecycles, so the run did not delete what it may have created' }],
  });
});

t.test('a named POST refused (4xx) made nothing: no record is listed, only the write and its answer', async (t) => {
  const document = JSON.parse(thingsDocument({ '201': { description: 'created', content: json }, '400': { description: 'bad' } }));
  delete document.paths['/things/{thingId}'].delete;
  const app = Fastify();
  app.post('/things', async (_request, reply) => reply.code(400).send({}));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, selection: { operations: ['createThing'] } });
  t.same(report.cleanup, { created: 0, deleted: [], leftBehind: [], namedWrites: [{ method: 'POST', url: `${target}/things`, status: 400 }] });
  t.ok(report.results.some((r) => r.operationId === 'createThing' && r.status !== 'skip'), 'it was sent');
});

t.test('a named write to a whole collection (PATCH /todos, as LoopBack serves) is listed as a write to data the run did not create', async (t) => {
  const patched: string[] = [];
  const document = {
    openapi: '3.0.3',
    info: { title: 'todo', version: '1' },
    paths: {
      '/todos': {
        get: { operationId: 'findTodos', responses: { '200': { description: 'todos', content: json } } },
        patch: { operationId: 'updateAllTodos', requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '200': { description: 'count', content: json } } },
      },
    },
  };
  const app = Fastify();
  app.get('/todos', async () => [{ id: 1 }, { id: 2 }]);
  app.patch('/todos', async (request) => {
    patched.push(JSON.stringify(request.body));
    return { count: 2 };
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const unnamed = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(patched, [], 'not named: not sent');
  t.notOk(unnamed.cleanup?.namedWrites, 'and not listed');
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, selection: { operations: ['updateAllTodos'] } });
  t.equal(patched.length, 1, 'named: sent');
  t.same(report.cleanup, { created: 0, deleted: [], leftBehind: [], namedWrites: [{ method: 'PATCH', url: `${target}/todos`, status: 200 }] });
  t.ok(validateReport(report), 'report.json validates against report.schema.json', { errors: validateReport.errors });
  const dry = await runCli(['run', '--profile', `${dir}/openapi.json`, '--target', target, '--allow-writes', '--operations', 'updateAllTodos', '--dry-run']);
  t.match(dry.stdout, /^dry run: .*, lifecycle writes only on records the run creates \(--allow-writes\), and 1 named write that may change data it did not create; nothing is sent$/m, 'the dry run says so in its first line');
  t.equal(patched.length, 1, 'and sends nothing');
});

t.test("a GET named as a change (GET /things/{id}/purge) is an action on the run's own record, never sent to a listed one", async (t) => {
  for (const answer of ['7', '901'] as const) {
    const store = new Set(['7']);
    const purged: string[] = [];
    const document = JSON.parse(thingsDocument({ '201': { description: 'created', content: json } }));
    document.paths['/things'].get = { operationId: 'listThings', responses: { '200': { description: 'a page', content: json } } };
    document.paths['/things/{thingId}/purge'] = { parameters: [idParam], get: { operationId: 'purgeThing', responses: { '200': { description: 'purged', content: json } } } };
    const app = Fastify();
    app.get('/things', async () => [...store].map((id) => ({ id })));
    app.post('/things', async (_request, reply) => {
      store.add(answer);
      return reply.code(201).send({ id: answer });
    });
    app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => (store.has(request.params.id) ? { id: request.params.id } : reply.code(404).send({})));
    app.get<{ Params: { id: string } }>('/things/:id/purge', async (request) => {
      purged.push(request.params.id);
      return {};
    });
    app.put<{ Params: { id: string } }>('/things/:id', async (request) => ({ id: request.params.id }));
    app.delete<{ Params: { id: string } }>('/things/:id', async (request, reply) => reply.code(store.delete(request.params.id) ? 204 : 404).send());
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, selection: { operations: ['listThings', 'createThing', 'getThing', 'deleteThing', 'purgeThing'] } });
    if (answer === '7') {
      t.same(purged, [], 'record 7 was listed before the create: not even the named purge goes to it');
      t.ok(store.has('7'));
    } else {
      t.same(purged, ['901'], 'the purge went to the record the run created, as an action of its lifecycle, and nowhere else');
      t.match(report.cleanup, { created: 1, deleted: [`${target}/things/901`] });
    }
  }
});

t.test('a GET named as a create (GET /createGroup) sent because --operations named it is counted as left behind', async (t) => {
  const made: string[] = [];
  const document = {
    openapi: '3.0.3',
    info: { title: 'rpc', version: '1' },
    paths: { '/createGroup': { get: { operationId: 'createGroupUsingGET', responses: { '200': { description: 'ok', content: json } } } } },
  };
  const app = Fastify();
  app.get('/createGroup', async () => {
    made.push('g.1');
    return { code: 0, data: { groupID: 'g.1' } };
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  // Named, but the run is read-only: not sent, and with nothing else to probe the run says why.
  await t.rejects(run({ profile: `${dir}/openapi.json`, target, selection: { operations: ['createGroupUsingGET'] } }), { code: 'PROFILE_NOTHING_TO_PROBE', message: /named as a change \(its operationId begins with "create"\)/ });
  t.same(made, []);
  const writing = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, selection: { operations: ['createGroupUsingGET'] } });
  t.same(made, ['g.1']);
  t.match(writing.cleanup, { created: 1, leftBehind: [{ url: `${target}/createGroup`, reason: /^GET \/createGroup answered 200, but it was sent because --operations or --paths named it/ }] });
});

t.test("a nested create is checked against its own parent's list only: children numbered per parent are the run's own", async (t) => {
  const orgs = new Map<string, Set<string>>([['1', new Set(['1'])]]);
  const deletes: string[] = [];
  const item = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const document = {
    openapi: '3.0.3',
    info: { title: 'orgs', version: '1' },
    paths: {
      '/orgs': { get: { operationId: 'listOrgs', responses: { '200': { description: 'ok', content: json } } }, post: { operationId: 'createOrg', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: {} } } }, responses: { '201': { description: 'created', content: json } } } },
      '/orgs/{orgId}': { parameters: [item('orgId')], get: { operationId: 'getOrg', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } }, delete: { operationId: 'deleteOrg', responses: { '204': { description: 'deleted' } } } },
      '/orgs/{orgId}/things': { parameters: [item('orgId')], get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: json } } }, post: { operationId: 'createThing', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: {} } } }, responses: { '201': { description: 'created', content: json } } } },
      '/orgs/{orgId}/things/{thingId}': { parameters: [item('orgId'), item('thingId')], get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'gone' } } }, delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } } },
    },
  };
  const app = Fastify();
  app.get('/orgs', async () => [...orgs.keys()].map((id) => ({ id })));
  app.post('/orgs', async (_request, reply) => {
    orgs.set('2', new Set());
    return reply.code(201).send({ id: '2' });
  });
  app.get<{ Params: { org: string } }>('/orgs/:org', async (request, reply) => (orgs.has(request.params.org) ? { id: request.params.org } : reply.code(404).send({})));
  app.delete<{ Params: { org: string } }>('/orgs/:org', async (request, reply) => {
    deletes.push(`/orgs/${request.params.org}`);
    return reply.code(orgs.delete(request.params.org) ? 204 : 404).send();
  });
  app.get<{ Params: { org: string } }>('/orgs/:org/things', async (request) => [...(orgs.get(request.params.org) ?? [])].map((id) => ({ id })));
  // Things are numbered per org: org 2's first thing is thing 1, as org 1's is.
  app.post<{ Params: { org: string } }>('/orgs/:org/things', async (request, reply) => {
    orgs.get(request.params.org)?.add('1');
    return reply.code(201).send({ id: '1' });
  });
  app.get<{ Params: { org: string; thing: string } }>('/orgs/:org/things/:thing', async (request, reply) => (orgs.get(request.params.org)?.has(request.params.thing) ? { id: request.params.thing } : reply.code(404).send({})));
  app.delete<{ Params: { org: string; thing: string } }>('/orgs/:org/things/:thing', async (request, reply) => {
    deletes.push(`/orgs/${request.params.org}/things/${request.params.thing}`);
    return reply.code(orgs.get(request.params.org)?.delete(request.params.thing) ? 204 : 404).send();
  });
  const target = await listen(t, app);
  const report = await runWrites(t, JSON.stringify(document), target);
  t.same(deletes, ['/orgs/2/things/1', '/orgs/2'], "the run's own thing 1 of org 2 is deleted, then its org");
  t.same([...orgs.keys()], ['1']);
  t.same([...orgs.get('1')!], ['1'], "org 1's thing 1 is untouched");
  t.match(report.cleanup, { created: 2, leftBehind: [] });
});
