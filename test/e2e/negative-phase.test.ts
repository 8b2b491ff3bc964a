import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { validateReport } from '../support/report-schema.js';
import { BUNDLED_PROFILE_IDS } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { run } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

const NEGATIVE_CHECKS = ['negative-data-rejection', 'positive-data-acceptance', 'unknown-id', 'unsupported-method', 'ignored-auth', 'missing-required-header'];
const failures = (report: Report) => report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.status} ${r.check} ${r.operationId}: ${r.message}`);
const sentBy = (report: Report) => report.results.filter((r) => r.negative).map((r) => `${r.check} ${r.evidence?.request.method} ${r.evidence?.request.url}`);


t.test('the reference supplier passes --negative against every bundled profile with zero failures', async (t) => {
  const supplier = await startReferenceSupplier({});
  t.teardown(() => supplier.close());
  for (const profile of BUNDLED_PROFILE_IDS) {
    const report = await run({ profile, target: supplier.url, clientId: supplier.clientId, clientSecret: supplier.clientSecret, negative: true });
    t.same(failures(report), [], `${profile}: no failures, no errors`);
    t.equal(report.summary.verdict, 'conformant', `${profile}: conformant`);
    const negative = report.results.filter((r) => r.negative);
    t.ok(negative.length > 0, `${profile}: ${negative.length} negative results`);
    // A case left unsent for want of a 2xx is a skip naming its change, with no transcript.
    t.ok(negative.every((r) => (r.status === 'skip' ? /^not sent: / : /./).test(r.message ?? '') && (r.status === 'skip' || r.evidence?.curl.startsWith('curl ')) && r.negative!.reason.length > 0), `${profile}: each says what was changed and carries its transcript`);
    t.ok(validateReport(report), `${profile}: the report validates against report.schema.json`, { errors: validateReport.errors });
    t.type(report.options.negative?.seed, 'number', 'a random seed is recorded');
  }
});

t.test('the same seed sends the same requests; the budget per operation holds', async (t) => {
  const supplier = await startReferenceSupplier({});
  t.teardown(() => supplier.close());
  const once = (seed: number, max?: number) => run({ profile: 'baseline', target: supplier.url, clientId: supplier.clientId, clientSecret: supplier.clientSecret, negative: { seed, ...(max ? { maxPerOperation: max } : {}) } });
  const first = await once(11);
  const again = await once(11);
  t.same(sentBy(again), sentBy(first), 'seed 11 twice: the same requests');
  t.same(first.options.negative, { seed: 11, maxPerOperation: 8 });
  const tight = await once(11, 2);
  const perOperation = new Map<string, number>();
  for (const r of tight.results.filter((r) => r.negative)) perOperation.set(r.operationId, (perOperation.get(r.operationId) ?? 0) + 1);
  t.ok([...perOperation.values()].every((n) => n <= 2), '--max-negative 2: at most two per operation');
});

t.test('without --negative nothing of the phase runs; its options need it', async (t) => {
  const supplier = await startReferenceSupplier({});
  t.teardown(() => supplier.close());
  const report = await run({ profile: 'baseline', target: supplier.url, clientId: supplier.clientId, clientSecret: supplier.clientSecret });
  t.notOk(report.options.checks.some((id) => NEGATIVE_CHECKS.includes(id)), 'no negative check listed');
  t.equal(report.options.negative, undefined);
  const stray = await runCli(['run', '--profile', 'baseline', '--target', supplier.url, '--seed', '4']);
  t.equal(stray.code, 2);
  t.match(stray.stderr, /--seed applies to the negative phase: add --negative/);
  const bad = await runCli(['run', '--profile', 'baseline', '--target', supplier.url, '--negative', '--max-negative', '0']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--max-negative takes a whole number from 1/);
});

/** A plain OpenAPI document like many real products': an integer id, only 200 documented. */
const TODO_DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'todo', version: '1.0.0' },
  paths: {
    '/todos': {
      get: { operationId: 'listTodos', parameters: [{ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } } },
    },
    '/todos/{id}': {
      get: {
        operationId: 'getTodo',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
};

async function todoServer(t: Test, onBadId: (id: string) => { status: number; body: unknown }, onUnknown: { status: number; body: unknown }, tenantRequired = true) {
  const app = Fastify({ logger: false });
  app.get('/todos', async (request, reply) => {
    if (tenantRequired && request.headers['x-tenant'] === undefined) return reply.code(400).send({ error: 'X-Tenant is required' });
    return [{ id: 1, title: 'one' }];
  });
  app.get<{ Params: { id: string } }>('/todos/:id', async (request, reply) => {
    const { id } = request.params;
    if (!/^[0-9]+$/.test(id)) {
      const answer = onBadId(id);
      return reply.code(answer.status).send(answer.body);
    }
    if (id !== '1') return reply.code(onUnknown.status).send(onUnknown.body);
    return { id: 1, title: 'one' };
  });
  const url = await listen(t, app);
  const dir = t.testdir({});
  const profile = join(dir, 'openapi.json');
  writeFileSync(profile, JSON.stringify(TODO_DOCUMENT));
  return { url, profile };
}

t.test('a plain document: an undocumented 404 and 400 warn, a 500 on a non-numeric id fails, nothing else', async (t) => {
  const polite = await todoServer(t, () => ({ status: 400, body: { error: 'id must be a number' } }), { status: 404, body: { error: 'not found' } });
  const report = await run({ profile: polite.profile, target: polite.url, negative: { seed: 1 } });
  t.same(failures(report), [], 'no false failures');
  const about = (check: string) => report.results.find((r) => r.check === check && r.operationId === 'getTodo');
  t.equal(about('unknown-id')?.status, 'warn');
  t.match(about('unknown-id')?.message, /rejected it, with 404 .*the document should say so/);
  t.equal(about('negative-data-rejection')?.status, 'warn');
  t.match(about('negative-data-rejection')?.message, /rejected it, with 400 \(path id="abc": id must be of type integer; "abc" is not\)/);
  t.same(about('negative-data-rejection')?.negative, { location: 'path', name: 'id', mutation: 'wrong-type', value: 'abc', expect: 'reject', reason: 'id must be of type integer; "abc" is not' });

  t.equal(report.results.find((r) => r.check === 'missing-required-header')?.status, 'warn', 'the header is enforced, with an undocumented 400');
  // A new user reads the terminal first: the undocumented rejections are listed there, not only in report.json.
  const cli = await runCli(['run', '--profile', polite.profile, '--target', polite.url, '--negative', '--seed', '1', '--out', join(polite.profile, '..', 'out'), '--format', 'json', '--quiet']);
  t.equal(cli.code, 0, `warnings only: conformant ${cli.stderr}`);
  t.match(cli.stdout, /Negative phase warnings \(\d+\): not failures/);
  t.match(cli.stdout, /WARN negative-data-rejection getTodo: GET http:\/\/127\.0\.0\.1:\d+\/todos\/abc -> 400/);
  // The heading counts every negative warning, unsupported-method's too, and those are not left unsaid (Platformatic: 10 of 38 were).
  const written = JSON.parse(readFileSync(join(polite.profile, '..', 'out', 'report.json'), 'utf8')) as { results: Array<{ status: string; check: string; negative?: unknown }> };
  const negativeWarnings = written.results.filter((r) => r.negative && r.status === 'warn');
  const methods = negativeWarnings.filter((r) => r.check === 'unsupported-method').length;
  t.ok(methods > 0, 'the todo server answers TRACE with 404');
  t.match(cli.stdout, `Negative phase warnings (${negativeWarnings.length}):`);
  t.match(cli.stdout, new RegExp(`WARN unsupported-method: ${methods} warnings? on paths asked a method they do not document`));

  const leaky = await todoServer(t, (id) => ({ status: 500, body: { error: `SQLITE_ERROR near "${id}"` } }), { status: 200, body: '' }, false);
  const bad = await run({ profile: leaky.profile, target: leaky.url, negative: { seed: 1 } });
  t.same(bad.results.filter((r) => r.status === 'fail').map((r) => r.check).sort(), ['missing-required-header', 'negative-data-rejection', 'unknown-id']);
  t.match(bad.results.find((r) => r.check === 'missing-required-header')?.message, /accepted a request without a required header \(header X-Tenant left out\) with 200/);
  t.match(bad.results.find((r) => r.check === 'negative-data-rejection' && r.status === 'fail')?.message, /answered 500 to invalid data \(path id="abc"\)/);
  t.match(bad.results.find((r) => r.check === 'unknown-id' && r.status === 'fail')?.message, /answered 200 with an empty body for an id it does not have/);
});

t.test("unknown-id is not asked where the valid request's own id got a 404: another id's 404 would show nothing", async (t) => {
  // Found on Strapi 5: /incidents/{id} takes a documentId, so the listed numeric id 2 got 404, and so did 9.
  const asked: string[] = [];
  const app = Fastify({ logger: false });
  app.get('/todos', async () => [{ id: 1, title: 'one' }]);
  app.get<{ Params: { id: string } }>('/todos/:id', async (request, reply) => {
    asked.push(request.params.id);
    return reply.code(404).send({ error: 'not found' });
  });
  const url = await listen(t, app);
  const profile = join(t.testdir({}), 'openapi.json');
  const document = structuredClone(TODO_DOCUMENT);
  document.paths['/todos/{id}'].get.responses = { '200': document.paths['/todos/{id}'].get.responses['200'], '404': { description: 'not found' } } as typeof document.paths['/todos/{id}']['get']['responses'];
  writeFileSync(profile, JSON.stringify(document));
  const report = await run({ profile, target: url, negative: { seed: 1 } });
  const unknownId = report.results.filter((r) => r.check === 'unknown-id');
  t.same(unknownId.map((r) => r.status), ['skip'], 'no unknown-id verdict, pass or otherwise: one skip');
  t.match(unknownId[0]?.message, /^not sent: path id unknown-id .*; it is judged against a 2xx to the valid request, which was answered 404$/, 'saying why it was not sent');
  t.notOk(asked.some((id) => id !== '1' && /^[0-9]+$/.test(id)), `no other id of the right type was asked: ${asked.join(', ')}`);
});

t.test('unknown-id: an empty 200 where the document gives that 200 no body warns, and fails where it documents a body', async (t) => {
  // As unleash-server's GET /api/admin/user-admin/{id}/permissions: "This response has no body".
  const bodyless = structuredClone(TODO_DOCUMENT);
  bodyless.paths['/todos/{id}'].get.responses = { '200': { description: 'This response has no body.' } } as unknown as typeof bodyless.paths['/todos/{id}']['get']['responses'];
  const answered = async (document: object) => {
    const app = Fastify({ logger: false });
    app.get('/todos', async () => [{ id: 1, title: 'one' }]);
    app.get('/todos/:id', async (_request, reply) => reply.code(200).send(''));
    const url = await listen(t, app);
    const profile = join(t.testdir({}), 'openapi.json');
    writeFileSync(profile, JSON.stringify(document));
    const report = await run({ profile, target: url, negative: { seed: 1 } });
    return report.results.find((r) => r.check === 'unknown-id' && r.operationId === 'getTodo');
  };
  const withoutBody = await answered(bodyless);
  t.equal(withoutBody?.status, 'warn', 'a documented bodyless 200 cannot tell an unknown id from a known one');
  t.match(withoutBody?.message, /answered 200 with no body for path id="\d+", an id it was not seen to have; the document gives this 200 no body/);
  const withBody = await answered(TODO_DOCUMENT);
  t.equal(withBody?.status, 'fail', 'a documented body: an empty 200 reads as a record that exists and is empty');
  // Found with Notion's document served by Prism: `application/json: {}`, a media type with no schema, says nothing of content.
  const schemaless = structuredClone(TODO_DOCUMENT);
  schemaless.paths['/todos/{id}'].get.responses = { '200': { description: 'the todo', content: { 'application/json': {} } } } as unknown as typeof schemaless.paths['/todos/{id}']['get']['responses'];
  const undescribed = await answered(schemaless);
  t.equal(undescribed?.status, 'warn', 'no schema: the empty answer cannot tell the ids apart');
  t.match(undescribed?.message, /the document gives this 200 a media type but no schema/);
  // Found with Mockoon on appveyor's artifact downloads: a binary string schema takes zero bytes, so an empty file is a file.
  const download = (schema: object) => {
    const document = structuredClone(TODO_DOCUMENT);
    document.paths['/todos/{id}'].get.responses = { '200': { description: 'the file', content: { 'application/octet-stream': { schema } } } } as unknown as typeof document.paths['/todos/{id}']['get']['responses'];
    return document;
  };
  const file = await answered(download({ type: 'string', format: 'binary' }));
  t.equal(file?.status, 'warn', 'a binary file may be empty: the answer cannot tell the ids apart');
  t.match(file?.message, /the document's application\/octet-stream schema for this 200 takes zero bytes \(a file may be empty\)/);
  t.equal((await answered(download({ type: 'string', format: 'binary', minLength: 1 })))?.status, 'fail', 'one that may not be empty still fails');
  t.equal((await answered(download({ type: ['string', 'null'], contentMediaType: 'application/octet-stream' })))?.status, 'warn', "3.1's type list too");
});
