/**
 * A parameter described by `content` instead of `schema` is one value written
 * whole in that media type under its own name (OpenAPI 3.0 4.7.12.1):
 * LoopBack's `filter={"limit":2}`. Found on LoopBack 4's example-todo, whose
 * `filter` and `where` are `application/json` query parameters: the harness
 * sent `?limit=2&fields=…`, so the filter was never applied (a false pass),
 * and a required one with no example went out empty (a false failure waiting
 * for a server that enforces it). The tiny server below refuses as LoopBack
 * does: a filter that is no JSON, or names a member its schema lacks, is 400.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { planDryRun, preparePlan, run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const FILTER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1 }, fields: { type: 'array', items: { type: 'string' } }, where: { type: 'object' } },
};

function document(filter: Record<string, unknown>) {
  return {
    openapi: '3.0.3',
    info: { title: 'todo', version: '1' },
    paths: {
      '/todos': {
        get: {
          operationId: 'findTodos',
          parameters: [{ name: 'filter', in: 'query', required: true, content: { 'application/json': { schema: FILTER_SCHEMA, ...filter } } }],
          responses: {
            '200': { description: 'todos', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, title: { type: 'string' } } } } } } },
            '400': { description: 'bad filter' },
          },
        },
      },
    },
  };
}

async function todoServer(t: Test, filter: Record<string, unknown>) {
  const seen: string[] = [];
  const app = Fastify({ logger: false });
  const todos = [1, 2, 3, 4].map((id) => ({ id, title: `todo ${id}` }));
  app.get<{ Querystring: Record<string, string> }>('/todos', async (request, reply) => {
    seen.push(request.url);
    const text = request.query.filter;
    if (typeof text !== 'string') return reply.code(400).send({ error: 'filter is required' });
    let filterValue: Record<string, unknown>;
    try {
      filterValue = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return reply.code(400).send({ error: 'filter is not JSON' });
    }
    if (filterValue === null || typeof filterValue !== 'object' || Object.keys(filterValue).some((key) => !['limit', 'fields', 'where'].includes(key))) return reply.code(400).send({ error: 'invalid filter' });
    return typeof filterValue.limit === 'number' ? todos.slice(0, filterValue.limit) : todos;
  });
  const url = await listen(t, app);
  const profile = join(t.testdir({}), 'openapi.json');
  writeFileSync(profile, JSON.stringify(document(filter)));
  return { url, profile, seen };
}

const failures = (results: Array<{ status: string; check: string; message?: string }>) => results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.check}: ${r.message}`);

t.test('the example is sent as JSON under the parameter name, and the server applies it', async (t) => {
  const server = await todoServer(t, { example: { limit: 2, fields: ['id', 'title'] } });
  const report = await run({ profile: server.profile, target: server.url });
  t.same(failures(report.results), []);
  t.same(server.seen, [`/todos?filter=${encodeURIComponent(JSON.stringify({ limit: 2, fields: ['id', 'title'] }))}`], 'filter={"limit":2,…}, not limit=2&fields=…');
  const lines = planDryRun(await preparePlan({ profile: server.profile, target: server.url }));
  t.equal(lines[0]?.url, `${server.url}/todos?filter=${encodeURIComponent('{"limit":2,"fields":["id","title"]}')}`, 'the dry run shows the same URL');
});

t.test('an example its own schema refuses is not sent: a value that fits is, and a warning names the fault', async (t) => {
  // The server is right to refuse `order`, which the closed schema does not list: sending it would blame the server.
  const server = await todoServer(t, { example: { limit: 2, order: 'id' } });
  const report = await run({ profile: server.profile, target: server.url });
  t.same(failures(report.results), []);
  t.equal(server.seen[0], '/todos?filter=%7B%7D', 'filter={}, generated');
  t.equal(
    report.profile.warnings.find((w) => w.code === 'example-breaks-schema')?.message,
    'findTodos\'s query parameter filter: its example {"limit":2,"order":"id"} has the member order, which its schema does not allow (additionalProperties: false). A value its own schema refuses is not sent (the supplier would be right to refuse it too): a value generated from the schema is sent instead',
  );
});

t.test('a required one with no example is sent as the JSON of a generated value, never left out', async (t) => {
  const server = await todoServer(t, {});
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1 } });
  t.same(failures(report.results), []);
  t.equal(server.seen[0], '/todos?filter=%7B%7D', 'filter={}');
  const missing = report.results.find((r) => r.negative?.mutation === 'missing');
  t.equal(missing?.status, 'pass', 'the "required parameter left out" case is sent, and refused');
  t.equal(missing?.evidence?.request.url, `${server.url}/todos`);
  // Left open in an earlier note: a JSON parameter got no negative case but "missing". Now it gets its own kinds, never URL-text ones.
  const queryCases = report.results.filter((r) => r.negative?.location === 'query');
  t.same(queryCases.map((r) => [r.negative?.mutation, r.negative?.value, r.status]).sort(), [
    ['malformed-json', '{', 'pass'],
    ['missing', undefined, 'pass'],
    ['unknown-property', '{"interopHarnessUnknownProperty":"x"}', 'pass'],
  ], 'the text cut short, and a member the closed schema forbids: both refused with a 400');
  t.equal(queryCases.find((r) => r.negative?.mutation === 'malformed-json')?.evidence?.request.url, `${server.url}/todos?filter=%7B`);
});

t.test("--negative changes a JSON parameter's members as it does a body's, and a server that takes a wrong type fails", async (t) => {
  // The tiny server reads limit only when it is a number: an object there is ignored, not refused.
  const server = await todoServer(t, { example: { limit: 2 } });
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1 } });
  const wrongType = report.results.find((r) => r.negative?.mutation === 'wrong-type');
  t.equal(wrongType?.status, 'fail');
  t.equal(wrongType?.negative?.value, '{"limit":{"interopHarness":"wrong type"}}');
  t.match(wrongType?.message, /the schema says limit is of type integer; filter sends an object/);
  t.equal(report.results.find((r) => r.negative?.mutation === 'unknown-property')?.status, 'pass');
});

t.test('a --var is the JSON text, sent as given; one that breaks the schema warns, naming the member', async (t) => {
  const server = await todoServer(t, {});
  const report = await run({ profile: server.profile, target: server.url, vars: { 'query:filter': '{"limit":3}' } });
  t.same(failures(report.results), []);
  t.equal(server.seen[0], `/todos?filter=${encodeURIComponent('{"limit":3}')}`);
  t.notOk(report.profile.warnings.some((w) => w.code === 'var-breaks-schema'), 'a fitting value gets no warning');

  const wrong = await run({ profile: server.profile, target: server.url, vars: { 'query:filter': '{"limit":0,"order":"id"}' } });
  const warning = wrong.profile.warnings.find((w) => w.code === 'var-breaks-schema');
  t.match(warning?.message, /^--var query:filter: the value given is below the minimum 1 at \/limit of findTodos's query parameter filter/);
  const notJson = await run({ profile: server.profile, target: server.url, vars: { 'query:filter': 'limit=2' } });
  t.match(notJson.profile.warnings.find((w) => w.code === 'var-breaks-schema')?.message, /the value given is not the JSON text asked for by the media type application\/json/);
  t.equal(server.seen.at(-1), '/todos?filter=limit%3D2', 'and still sent as given');
});

t.test('a path parameter written as JSON takes an id from a list as text, and keeps its value when a negative case changes another', async (t) => {
  // Found in review: the harvested id 42 went out JSON-quoted (/things/%2242%22), and every negative
  // case changed the JSON path parameter as well as the one it meant to, so its verdict said nothing.
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const document = {
    openapi: '3.0.3',
    info: { title: 'shelves', version: '1' },
    paths: {
      '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: json({ type: 'array' }) } } } },
      '/things/{id}': { get: { operationId: 'getThing', parameters: [{ name: 'id', in: 'path', required: true, content: json({ type: 'integer' }) }], responses: { '200': { description: 'ok', content: json({ type: 'object' }) } } } },
      '/labels': { get: { operationId: 'listLabels', responses: { '200': { description: 'ok', content: json({ type: 'array' }) } } } },
      '/labels/{name}': { get: { operationId: 'getLabel', parameters: [{ name: 'name', in: 'path', required: true, content: json({ type: 'string' }) }], responses: { '200': { description: 'ok', content: json({ type: 'object' }) } } } },
      '/shelves/{shelf}/books/{bookId}': {
        get: {
          operationId: 'getBook',
          parameters: [
            { name: 'shelf', in: 'path', required: true, content: { 'application/json': { schema: { type: 'object' }, example: { row: 7 } } } },
            { name: 'bookId', in: 'path', required: true, schema: { type: 'integer', maximum: 1000 }, example: 5 },
          ],
          responses: { '200': { description: 'ok', content: json({ type: 'object' }) }, '400': { description: 'bad' }, '404': { description: 'none' } },
        },
      },
    },
  };
  const seen: string[] = [];
  const app = Fastify({ logger: false });
  app.get('/things', async () => [{ id: 42 }]);
  app.get('/labels', async () => [{ name: '42' }]);
  app.get('/labels/:name', async (request) => {
    seen.push(request.url);
    return {};
  });
  app.get('/things/:id', async (request) => {
    seen.push(request.url);
    return {};
  });
  app.get('/shelves/:shelf/books/:bookId', async (request) => {
    seen.push(request.url);
    return {};
  });
  const url = await listen(t, app);
  const profile = join(t.testdir({}), 'openapi.json');
  writeFileSync(profile, JSON.stringify(document));
  await run({ profile, target: url, negative: { seed: 1 } });
  t.ok(seen.includes('/things/42'), `the harvested id as JSON text: ${seen.filter((u) => u.startsWith('/things')).join(', ')}`);
  t.ok(seen.includes(`/labels/${encodeURIComponent('"42"')}`), `and as a JSON string where the schema asks for one: ${seen.filter((u) => u.startsWith('/labels')).join(', ')}`);
  const shelf = `/shelves/${encodeURIComponent('{"row":7}')}/books/`;
  const books = seen.filter((u) => u.startsWith('/shelves/'));
  t.ok(books.length > 1, 'negative cases were sent');
  t.same(books.filter((u) => !u.startsWith(shelf)), [], 'every request kept the shelf as written');
});

/** A server that takes `q` only as JSON its own check accepts, answering 400 otherwise. */
async function strictServer(t: Test, content: Record<string, unknown>, accept: (value: unknown) => boolean) {
  const app = Fastify({ logger: false });
  app.get<{ Querystring: Record<string, string> }>('/items', async (request, reply) => {
    let value: unknown;
    try {
      value = JSON.parse(request.query.q ?? '');
    } catch {
      return reply.code(400).send({ error: 'not JSON' });
    }
    return accept(value) ? [{ id: 1 }] : reply.code(400).send({ error: 'invalid' });
  });
  const url = await listen(t, app);
  const profile = join(t.testdir({}), 'openapi.json');
  const parameters = [{ name: 'q', in: 'query', required: true, content: { 'application/json': content } }];
  const responses = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } }, '400': { description: 'bad' } };
  writeFileSync(profile, JSON.stringify({ openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/items': { get: { operationId: 'listItems', parameters, responses } } } }));
  return run({ profile, target: url, negative: { seed: 1 } });
}

t.test('review: the text made not JSON is never JSON, and a member a pattern allows is not called unknown', async (t) => {
  // `25` cut short is `2`, still JSON and a valid integer: a conformant server failed.
  const number = await strictServer(t, { schema: { type: 'integer', minimum: 1 }, example: 25 }, (v) => Number.isInteger(v) && (v as number) >= 1);
  const cut = number.results.find((r) => r.negative?.mutation === 'malformed-json');
  t.equal(cut?.negative?.value, '25}');
  t.equal(cut?.status, 'pass');
  t.match(cut?.message, /query q that is not well-formed JSON \("25}"\)/, 'the message speaks of the parameter, not a body');
  const patterned = { type: 'object', additionalProperties: false, patternProperties: { '^[a-zA-Z]+$': { type: 'string' } } };
  const open = await strictServer(t, { schema: patterned, example: { name: 'x' } }, (v) => typeof v === 'object' && v !== null && Object.entries(v).every(([k, x]) => /^[a-zA-Z]+$/.test(k) && typeof x === 'string'));
  t.notOk(open.results.some((r) => r.negative?.mutation === 'unknown-property'), 'interopHarnessUnknownProperty matches the pattern: no case');
});
