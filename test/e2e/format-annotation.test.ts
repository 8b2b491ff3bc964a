import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * In OpenAPI 3.1 and later a schema is JSON Schema 2020-12, where `format` is
 * an annotation (Validation 7.2): a body that breaks only formats breaks no
 * schema. It was a MUST failure, so a conformant 3.1 supplier was NON-CONFORMANT.
 * A 3.0 document keeps failing it, as it always did.
 */

const person = {
  type: 'object',
  required: ['id', 'born'],
  properties: { id: { type: 'integer' }, born: { type: 'string', format: 'date' }, email: { type: 'string', format: 'email' } },
};

function document(openapi: string): string {
  return JSON.stringify({
    openapi,
    info: { title: 'people', version: '1' },
    paths: { '/people/{id}': { get: { operationId: 'getPerson', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: '1' }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: person } } } } } } },
  });
}

async function judge(t: Test, openapi: string, body: unknown) {
  const app = Fastify();
  app.get('/people/:id', async () => body);
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': document(openapi) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  return { report, result: report.results.find((r) => r.check === 'response-schema')! };
}

const badFormats = { id: 1, born: '05/12/1990', email: 'not an address' };

t.test('3.1: a body that breaks only formats is a warning, and the run conformant', async (t) => {
  const { report, result } = await judge(t, '3.1.0', badFormats);
  t.equal(result.status, 'warn');
  t.match(result.message, /^body breaks only formats of the schema: \/born must match format "date" \(and 1 more\); in OpenAPI 3\.1 and later a format is an annotation/);
  t.match(result.schemaErrors, [{ pointer: '/born', keyword: 'format' }, { pointer: '/email', keyword: 'format' }], 'the errors are still shown');
  t.equal(report.summary.verdict, 'conformant');
});

t.test('3.2 too', async (t) => {
  const { result } = await judge(t, '3.2.0', badFormats);
  t.equal(result.status, 'warn');
});

t.test('3.1: a format breach beside any other error is a failure', async (t) => {
  const { report, result } = await judge(t, '3.1.0', { id: 'one', born: '05/12/1990' });
  t.equal(result.status, 'fail');
  t.match(result.schemaErrors, [{ keyword: 'type' }, { keyword: 'format' }]);
  t.equal(report.summary.verdict, 'non-conformant');
});

t.test('3.0: a format breach fails, as before', async (t) => {
  const { result } = await judge(t, '3.0.3', badFormats);
  t.equal(result.status, 'fail');
  t.match(result.message, /^body does not match the schema: \/born must match format "date"/);
});

t.test('3.1: a valid body passes', async (t) => {
  const { result } = await judge(t, '3.1.0', { id: 1, born: '1990-12-05', email: 'a@b.example' });
  t.equal(result.status, 'pass');
});

t.test('3.1: a response header that breaks only its format is a warning; 3.0 fails it', async (t) => {
  for (const [openapi, expected] of [['3.1.0', 'warn'], ['3.0.3', 'fail']] as const) {
    const app = Fastify();
    app.get('/people/:id', async (_request, reply) => reply.header('x-expires', 'tomorrow').send({ id: 1, born: '1990-12-05' }));
    const target = await listen(t, app);
    const doc = JSON.parse(document(openapi));
    doc.paths['/people/{id}'].get.responses['200'].headers = { 'X-Expires': { schema: { type: 'string', format: 'date-time' } } };
    const dir = t.testdir({ 'openapi.json': JSON.stringify(doc) });
    const report = await run({ profile: `${dir}/openapi.json`, target });
    t.match(report.results.find((r) => r.check === 'response-headers'), { status: expected, message: /^header X-Expires must match format "date-time"/ }, openapi);
  }
});

t.test("what was expected names the response's schema, the message the one the first error is in", async (t) => {
  // Found on n8n: GET /workflows failed with "expected: valid against workflow", the list item's schema, not workflowList.
  const app = Fastify();
  app.get('/people', async () => ({ data: [{ id: 'one', born: '1990-12-05' }] }));
  const target = await listen(t, app);
  const doc = {
    openapi: '3.0.3',
    info: { title: 'people', version: '1' },
    paths: { '/people': { get: { operationId: 'listPeople', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/personList' } } } } } } } },
    components: { schemas: { person, personList: { type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/person' } } } } } },
  };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(doc) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  t.match(report.results.find((r) => r.check === 'response-schema'), {
    status: 'fail',
    message: /^body does not match schema person: \/data\/0\/id must be integer/,
    expected: 'valid against personList (/paths/~1people/get/responses/200/content/application~1json/schema)',
  });
});

t.test('3.1: more format breaches than are shown are still only formats', async (t) => {
  // Review: past 50 errors the list was cut with a 'truncated' note, and the same fault became a failure.
  const app = Fastify();
  app.get('/people', async () => Array.from({ length: 60 }, (_, i) => ({ id: i, born: '05/12/1990' })));
  const target = await listen(t, app);
  const doc = { openapi: '3.1.0', info: { title: 'people', version: '1' }, paths: { '/people': { get: { operationId: 'listPeople', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: person } } } } } } } } };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(doc) });
  const result = (await run({ profile: `${dir}/openapi.json`, target })).results.find((r) => r.check === 'response-schema')!;
  t.equal(result.status, 'warn');
  t.match(result.schemaErrors?.at(-1), { keyword: 'format', message: '11 more format errors not shown' });
});

t.test('review: format faults under an if/then stay a warning past the 50 errors shown', async (t) => {
  const pet = { type: 'object', required: ['id', 'kind'], properties: { id: { type: 'integer' }, kind: { type: 'string' } }, if: { properties: { kind: { const: 'cat' } } }, then: { properties: { born: { type: 'string', format: 'date' } } } };
  const judged = async (count: number) => {
    const app = Fastify();
    app.get('/pets', async () => Array.from({ length: count }, (_, i) => ({ id: i, kind: 'cat', born: '2020-13-45' })));
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify({ openapi: '3.1.0', info: { title: 'pets', version: '1' }, paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: pet } } } } } } } } }) });
    return (await run({ profile: `${dir}/openapi.json`, target })).results.find((r) => r.check === 'response-schema')!;
  };
  const few = await judged(3);
  t.equal(few.status, 'warn');
  t.match(few.message, /\/0\/born must match format "date" \(and 2 more\)/, 'an if error is no problem of its own: 3 items, 3 problems');
  t.equal((await judged(30)).status, 'warn', 'the same fault 30 times is still only formats');
});

t.test('3.1: a format breach inside a oneOf or anyOf branch the value otherwise meets is a warning, not the combinator\'s failure', async (t) => {
  // Found by a helper on APIs.guru's documents: `{oneOf: [{type: string, format: uuid}, {type: integer}]}` failed "abc" as
  // "must match exactly one schema in oneOf", though without the annotation "abc" meets the first branch.
  const judgeId = async (combinator: 'oneOf' | 'anyOf', body: unknown) => {
    const app = Fastify();
    app.get('/things', async () => body);
    const target = await listen(t, app);
    const id = { [combinator]: [{ type: 'string', format: 'uuid' }, { type: 'integer' }] };
    const doc = { openapi: '3.1.0', info: { title: 'things', version: '1' }, paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id, name: { type: 'string' } } } } } } } } } } };
    const dir = t.testdir({ 'openapi.json': JSON.stringify(doc) });
    const report = await run({ profile: `${dir}/openapi.json`, target });
    return { report, result: report.results.find((r) => r.check === 'response-schema')! };
  };
  for (const combinator of ['oneOf', 'anyOf'] as const) {
    const { report, result } = await judgeId(combinator, { id: 'abc' });
    t.equal(result.status, 'warn', `${combinator}: ${result.message}`);
    t.match(result.message, /^body breaks only formats of the schema: \/id must match format "uuid"; in OpenAPI 3\.1 and later a format is an annotation/, combinator);
    t.equal(report.summary.verdict, 'conformant', combinator);
    // A value no branch takes, formats or not, still fails; so does a format breach beside another fault.
    t.equal((await judgeId(combinator, { id: true })).result.status, 'fail', `${combinator}: a boolean id`);
    t.equal((await judgeId(combinator, { id: 'abc', name: 5 })).result.status, 'fail', `${combinator}: a numeric name`);
  }
});
