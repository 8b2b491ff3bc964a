import Fastify from 'fastify';
import t from 'tap';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const thing = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: thing } } });
const document = {
  openapi: '3.1.0',
  info: { title: 'lifecycle', version: '1' },
  paths: {
    '/things': { post: { operationId: 'create', requestBody: { required: true, content: { 'application/json': { schema: thing } } }, responses: { '201': json('made') } } },
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'read', responses: { '200': json('one') } },
      delete: { operationId: 'remove', responses: { '204': { description: 'gone' } } },
    },
  },
};

t.test('operationsSkipped counts operations never probed, not skip results (review: 1 where the text said 0)', async (t) => {
  const store = new Set<string>();
  const app = Fastify({ logger: false });
  app.post('/things', async (_request, reply) => {
    const id = `r${store.size + 1}`;
    store.add(id);
    return reply.code(201).header('location', `/things/${id}`).send({ id, name: 'x' });
  });
  app.get<{ Params: { id: string } }>('/things/:id', async (request, reply) => (store.has(request.params.id) ? { id: request.params.id } : reply.code(404).send()));
  // The DELETE is refused: the lifecycle's read of the deleted record is skipped, though the read was probed before.
  app.delete('/things/:id', async (_request, reply) => reply.code(409).send());
  const target = await listen(t, app);
  const profile = join(t.testdir(), 'openapi.json');
  writeFileSync(profile, JSON.stringify(document));
  const report = await run({ profile, target, allowWrites: true });
  const coverage = report.summary.coverage!;
  t.equal(coverage.sent, 3, 'every operation was probed');
  t.ok(report.results.some((r) => r.check === 'probe' && r.status === 'skip' && r.operationId === 'read'), 'one of its steps was skipped');
  t.equal(report.summary.operationsSkipped, coverage.operations - coverage.sent, 'and it is not counted as not probed');
});

t.test('a lifecycle the run stops before: its selected operations no probe reached get the reason, no others', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/things/:id', async (_request, reply) => reply.code(404).send());
  app.post('/things', async (_request, reply) => reply.code(201).send({ id: 'r1' }));
  const target = await listen(t, app);
  const profile = join(t.testdir(), 'openapi.json');
  writeFileSync(profile, JSON.stringify(document));
  // Cancelled as soon as the read wave's GET is answered: the lifecycle (create, read, delete) never starts.
  const controller = new AbortController();
  const report = await run({
    profile,
    target,
    allowWrites: true,
    selection: { operations: ['create', 'read'] },
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'probe-finished' && event.probe.operationId === 'read') controller.abort();
    },
  });
  const notProbed = report.results.filter((r) => r.check === 'probe' && /^not probed: the run was cancelled/.test(r.message)).map((r) => r.operationId);
  // Review: the read, already probed, was told "not probed", and the unselected clean-up DELETE got a result too.
  t.same(notProbed, ['create'], 'only the create, which no probe reached');
  t.notOk(report.results.some((r) => r.operationId === 'remove'), 'the unselected DELETE has no result');
  const coverage = report.summary.coverage!;
  t.equal(report.summary.operationsSkipped, coverage.operations - coverage.sent);
  t.equal(report.summary.operationsSkipped, 1);
});

t.test('a profile whose every operation is skipped is refused, though its service checks (discovery) reached a verdict', async (t) => {
  // Review: 7c039ca let any service verdict stand for a run; only a named write a service check sent does.
  const document = {
    openapi: '3.0.3',
    info: { title: 'p', version: '1' },
    'x-interop': { id: 'p', version: '0.1.0', status: 'experimental', requirements: [{ id: 'P-01', level: 'MUST', statement: 'publish', checks: ['discovery'] }, { id: 'P-02', level: 'MUST', statement: 'schema', checks: ['response-schema'] }] },
    paths: { '/deletePad': { get: { operationId: 'deletePad', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } } },
  };
  const app = Fastify();
  app.get('/openapi.json', async () => document);
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await t.rejects(run({ profile: `${dir}/openapi.json`, target }), { code: 'PROFILE_NOTHING_TO_PROBE' });
});
