import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { planDryRun, preparePlan, run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

/** A supplier listing one thing and reading it back, and a document whose `GET /things/{id}` has these parameters besides `id`. */
async function thingsSupplier(t: Test, document: { parameters?: unknown[]; secured?: boolean }) {
  const app = Fastify();
  app.get('/things', async () => [{ id: 't-1' }]);
  app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'things', version: '1' },
      ...(document.secured ? { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }, security: [{ bearer: [] }] } : {}),
      paths: {
        '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } },
        '/things/{id}': {
          get: {
            operationId: 'getThing',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...(document.parameters ?? [])],
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
          },
        },
      },
    }),
  });
  return { target, profile: `${dir}/openapi.json` };
}

/**
 * --dry-run shows what the run will send. A read whose path value the run takes
 * from an earlier list is shown as a template, and was shown with only the
 * User-Agent, though the run sends it with Accept and the credentials (found
 * on Strapi 5: every `GET …/{id}` line lacked its Authorization).
 */
t.test("a read waiting for a listed id is shown with the headers the run sends it with", async (t) => {
  const { target, profile } = await thingsSupplier(t, { secured: true });
  const options = { profile, target, token: 'tok-dry-91c', tokenVariable: 'THINGS_TOKEN' };
  const planned = planDryRun(await preparePlan(options)).find((line) => line.operationId === 'getThing')!;
  t.match(planned, { url: `${target}/things/{id}`, note: /taken from an earlier list response/ }, 'still shown as a template');
  const report = await run(options);
  const sent = report.results.find((r) => r.operationId === 'getThing' && r.evidence)!.evidence!.request;
  t.equal(sent.url, `${target}/things/t-1`);
  t.same(planned.headers, sent.headers, 'the same headers, credentials shown as the run shows them');
  t.match(planned.headers, { accept: 'application/json', authorization: 'Bearer ${THINGS_TOKEN}' });
});

t.test("a read waiting for a listed id is shown with the query the run sends it with", async (t) => {
  // Found on LoopBack 4's todo example: `--var filter=...` went out as ?filter=..., but the dry run showed no query.
  const { target, profile } = await thingsSupplier(t, {
    parameters: [
      { name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } },
      { name: 'api_key', in: 'query', required: true, schema: { type: 'string' } },
    ],
  });
  const options = { profile, target, vars: { 'getThing.filter': '{"limit":2}', api_key: 'key-dry-5f1' }, secrets: ['key-dry-5f1'] };
  const planned = planDryRun(await preparePlan(options)).find((line) => line.operationId === 'getThing')!;
  const report = await run(options);
  const sent = report.results.find((r) => r.operationId === 'getThing' && r.evidence)!.evidence!.request;
  t.equal(planned.url, sent.url.replace('/things/t-1', '/things/{id}'), 'the same query, the path value still a template');
  t.match(planned.url, /\?filter=%7B%22limit%22%3A2%7D&api_key=/);
  t.notMatch(planned.url, /key-dry-5f1/, 'a secret query value stays redacted');
});

t.test('a template name no parameter declares: warned about, and the dry run says the run may not send it, with its headers', async (t) => {
  // Found on Directus 11: `GET /comments/{id}` declares no `id`; the dry run showed it planned, without
  // its Accept and Authorization, and said "else generated from the schema", where the run skipped it.
  const app = Fastify();
  app.get('/comments', async () => []);
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'comments', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      paths: {
        '/comments': { get: { operationId: 'listComments', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } },
        '/comments/{id}': { get: { operationId: 'getComment', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      },
    }),
  });
  const options = { profile: `${dir}/openapi.json`, target, token: 'tok-dry-77d', tokenVariable: 'COMMENTS_TOKEN' };
  const prepared = await preparePlan(options);
  t.match(prepared.warnings, [{ code: 'path-parameter-undeclared', location: '/paths/~1comments~1{id}/get', message: /^GET \/comments\/\{id\} declares no path parameter \{id\}, which OpenAPI requires/ }]);
  const planned = planDryRun(prepared).find((line) => line.operationId === 'getComment')!;
  t.match(planned, { note: '{id} taken from an earlier list response at run time, else not sent (no value for path parameter {id}: pass --var id=<value>)' });
  t.match(planned.headers, { accept: 'application/json', authorization: 'Bearer ${COMMENTS_TOKEN}' });
  const report = await run(options);
  t.match(report.results.find((r) => r.operationId === 'getComment'), { status: 'skip', message: /no value for path parameter \{id\}/ }, 'the empty list gave none: not sent, as the dry run said it might not be');
});

t.test('with no list to send first, the dry run shows what the run falls back to at once', async (t) => {
  // Directus, `--operations getComment` alone: the dry run counted one planned request that could only be skipped.
  const app = Fastify();
  const target = await listen(t, app);
  const object = { 'application/json': { schema: { type: 'object' } } };
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'comments', version: '1' },
      paths: {
        '/comments': { get: { operationId: 'listComments', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } },
        '/comments/{id}': { get: { operationId: 'getComment', responses: { '200': { description: 'ok', content: object } } } },
        '/things/{thingId}': { get: { operationId: 'getThing', parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string', example: 'th-1' } }], responses: { '200': { description: 'ok', content: object } } } },
      },
    }),
  });
  const only = async (operations: string[]) => planDryRun(await preparePlan({ profile: `${dir}/openapi.json`, target, selection: { operations } }));
  t.match(await only(['getComment']), [{ operationId: 'getComment', reason: /^not sent: no value for path parameter \{id\}/ }]);
  const [thing] = await only(['getThing']);
  t.match(thing, { url: `${target}/things/th-1`, reason: 'read' }, 'the example, as the run sends it');
  t.equal(thing?.note, undefined, 'no list to take a value from');
  // With the list selected, the value may come from it: still a template.
  t.match((await only(['listComments', 'getThing'])).find((line) => line.operationId === 'getThing'), { url: `${target}/things/{thingId}`, note: /taken from an earlier list response at run time, else generated/ });
});
