import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * NocoDB 0.262.5 answers two creates sent together, to a table and to its
 * grid view, with the second row's id. The run took that id for both
 * lifecycles: one DELETE removed the row, the other was refused (400), and
 * the clean-up sent it again at the end, when someone else's new row had
 * taken the freed id, and removed that. A create answered with a record
 * another create of the run holds is now sent nothing but reads, and a
 * DELETE refused with a 4xx is not sent again.
 */

const json = (schema: unknown) => ({ 'application/json': { schema } });
const thing = { type: 'object', properties: { Id: { type: 'integer' }, title: { type: 'string', nullable: true } } };
const thingIn = { type: 'object', properties: { title: { type: 'string' } } };
const item = (operation: string) => ({
  parameters: [{ name: 'Id', in: 'path', required: true, schema: { type: 'integer' } }],
  get: { operationId: `get${operation}`, responses: { '200': { description: 'ok', content: json(thing) }, '404': { description: 'none' } } },
  delete: { operationId: `delete${operation}`, responses: { '200': { description: 'ok' } } },
});
const collection = (operation: string) => ({
  post: { operationId: `create${operation}`, requestBody: { content: json(thingIn) }, responses: { '200': { description: 'ok', content: json(thing) } } },
});

type Row = { Id: number; title?: string };

/**
 * NocoDB's table `/Books` and its grid view `/Books/views/Books` over one set
 * of rows, reads and DELETEs on both; a DELETE lets another client's new row
 * take the freed id at once (SQLite's max + 1). `removed` holds the titles of
 * the rows deleted, "the run's" for one without. The creates are the test's.
 */
function nocodbBooks(onDelete: (id: number) => void = () => undefined) {
  const rows = new Map<number, Row>([[1, { Id: 1, title: 'pre-existing' }]]);
  const maxId = () => Math.max(0, ...rows.keys());
  const removed: string[] = [];
  const app = Fastify();
  for (const base of ['/Books', '/Books/views/Books']) {
    app.get<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => rows.get(Number(request.params.id)) ?? reply.code(404).send({ msg: 'not found' }));
    app.delete<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => {
      const id = Number(request.params.id);
      if (!rows.has(id)) return reply.code(400).send({ msg: "Cannot read properties of null (reading 'title')" });
      removed.push(rows.get(id)!.title ?? "the run's");
      rows.delete(id);
      const other = maxId() + 1;
      rows.set(other, { Id: other, title: 'SOMEONE ELSE' });
      onDelete(id);
      return 1;
    });
  }
  return { app, rows, maxId, removed };
}

/** A write run at concurrency 2 against the table and its view, as NocoDB's document describes them. */
async function runBooks(t: Test, app: ReturnType<typeof Fastify>) {
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'nocodb', version: '1' },
      paths: { '/Books': collection('Book'), '/Books/{Id}': item('Book'), '/Books/views/Books': collection('ViewBook'), '/Books/views/Books/{Id}': item('ViewBook') },
    }),
  });
  return run({ profile: `${dir}/openapi.json`, target, allowWrites: true, limits: { concurrency: 2 } });
}

t.test("a create answered with another create's record: no DELETE for it, and someone else's row under a freed id survives", async (t) => {
  const { app, rows, maxId, removed } = nocodbBooks();
  // The two creates are answered together, once both have arrived (or after a second), with the last row made.
  let waiting: Array<() => void> = [];
  let lastInserted = 0;
  for (const base of ['/Books', '/Books/views/Books']) {
    app.post(base, async (request) => {
      const id = maxId() + 1;
      rows.set(id, { ...(request.body as Row), Id: id });
      lastInserted = id;
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) {
          for (const go of waiting) go();
          waiting = [];
        } else setTimeout(resolve, 1000);
      });
      return rows.get(lastInserted);
    });
  }
  const report = await runBooks(t, app);
  t.notOk(removed.includes('SOMEONE ELSE'), `no row of someone else's was deleted (deleted: ${JSON.stringify(removed)})`);
  t.same(removed, ["the run's"], 'the row the run holds, deleted once');
  t.ok(
    report.cleanup?.leftBehind.some((left) => /it named was given to another create of the run, still held or removed only after this one was sent .*: the run sent no DELETE for it, and what this create made may be under another id/.test(left.reason)),
    JSON.stringify(report.cleanup),
  );
});

t.test('a create answered with an id the run freed after sending it: no DELETE for it either', async (t) => {
  // Review: the view create answered late, after the table lifecycle had deleted the row and another client's row took the id.
  let tableRow = 0;
  let tableRowDeleted: () => void = () => undefined;
  const deleted = new Promise<void>((resolve) => (tableRowDeleted = resolve));
  const { app, rows, maxId, removed } = nocodbBooks((id) => {
    if (id === tableRow) tableRowDeleted();
  });
  app.post('/Books', async (request) => {
    const id = maxId() + 1;
    rows.set(id, { ...(request.body as Row), Id: id });
    tableRow = id;
    return rows.get(id);
  });
  app.post('/Books/views/Books', async () => {
    // Answered with the table create's row id, once the table lifecycle has deleted that row (or after 5 s).
    await Promise.race([deleted, new Promise((resolve) => setTimeout(resolve, 5000))]);
    return rows.get(tableRow) ?? { Id: tableRow };
  });
  const report = await runBooks(t, app);
  t.same(removed, ["the run's"], `only the run's row was deleted (${JSON.stringify(report.cleanup)})`);
  t.ok(report.cleanup?.leftBehind.some((left) => /was given to another create of the run, still held or removed only after this one was sent/.test(left.reason)));
});

t.test('records of two collections that only share a last segment are told apart', async (t) => {
  // Review: /admin/keys 1 and /public/keys 1 were taken for one record; the second was left behind, untested.
  const stores = { admin: new Map<string, object>(), public: new Map<string, object>() };
  const app = Fastify();
  for (const [name, store] of Object.entries(stores)) {
    app.post(`/${name}/keys`, async (_request, reply) => {
      store.set('1', { id: 1 });
      return reply.code(201).send({ id: 1 });
    });
    app.get<{ Params: { id: string } }>(`/${name}/keys/:id`, async (request, reply) => store.get(request.params.id) ?? reply.code(404).send({}));
    app.delete<{ Params: { id: string } }>(`/${name}/keys/:id`, async (request, reply) => reply.code(store.delete(request.params.id) ? 204 : 404).send());
  }
  const target = await listen(t, app);
  const key = { type: 'object', properties: { id: { type: 'integer' } } };
  const paths: Record<string, unknown> = {};
  for (const name of Object.keys(stores)) {
    paths[`/${name}/keys`] = { post: { operationId: `create_${name}`, requestBody: { content: json({ type: 'object' }) }, responses: { '201': { description: 'made', content: json(key) } } } };
    paths[`/${name}/keys/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { operationId: `get_${name}`, responses: { '200': { description: 'ok', content: json(key) }, '404': { description: 'none' } } },
      delete: { operationId: `delete_${name}`, responses: { '204': { description: 'gone' }, '404': { description: 'none' } } },
    };
  }
  const dir = t.testdir({ 'openapi.json': JSON.stringify({ openapi: '3.0.3', info: { title: 'keys', version: '1' }, paths }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(report.cleanup?.leftBehind, []);
  t.equal(stores.admin.size + stores.public.size, 0, 'both deleted');
});
