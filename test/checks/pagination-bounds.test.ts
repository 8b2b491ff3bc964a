import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { runCli } from '../support/run-cli.js';

const PROFILE = `
openapi: 3.1.0
info: {title: endless, version: "1"}
x-interop:
  id: endless
  version: 0.0.1
  requirements: [{id: END-1, level: MUST, statement: Pages end., checks: [pagination]}]
paths:
  /v1/items:
    get:
      operationId: listItems
      x-interop-pagination: {next: /links/next, items: /data}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
`;

t.test('next links that never end: the walk stops at --max-pages and fails with the page count', async (t) => {
  let served = 0;
  const app = Fastify({ logger: false });
  app.get('/v1/items', (request, reply) => {
    served++;
    // Every page is new (no cycle to detect) and every page has a next link.
    const page = Number((request.query as { page?: string }).page ?? 1);
    return reply.send({ data: [{ id: `item-${page}` }], links: { next: `/v1/items?page=${page + 1}` } });
  });
  const target = await listen(app);
  t.teardown(() => app.close());
  const dir = t.testdir({ 'openapi.yaml': PROFILE });
  const out = join(dir, 'out');
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--max-pages', '5', '--out', out, '--quiet']);
  t.equal(outcome.code, 1);
  t.equal(served, 1 + 5, 'the probe, then exactly five pages');
  const { readFileSync } = await import('node:fs');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const result = report.results.find((r: { check: string }) => r.check === 'pagination');
  t.equal(result.status, 'fail');
  t.match(result.message, /no last page after 5 pages \(5 items\): the next links do not end/);
  t.equal(report.options.limits.maxPages, 5, 'the bound is in the report');
});

t.test('a next link to another path is not followed: a read there may be an action', async (t) => {
  // Third review: a next link to `/items:destroy?filterByTk=1` went out with the run's credentials.
  const sent: string[] = [];
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request) => void sent.push(`${request.method} ${request.url}`));
  app.get('/v1/items', async () => ({ data: [{ id: 'a' }], links: { next: '/v1/items:destroy?filterByTk=1' } }));
  app.get('/v1/items\\:destroy', async () => ({ data: [] }));
  const target = await listen(app);
  t.teardown(() => app.close());
  const dir = t.testdir({ 'openapi.yaml': PROFILE });
  const out = join(dir, 'out');
  await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--out', out, '--quiet']);
  t.same(sent.filter((r) => r.startsWith('GET /v1/')), ['GET /v1/items', 'GET /v1/items'], 'the probe and the first page, nothing at the other path');
  const { readFileSync } = await import('node:fs');
  const result = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).results.find((r: { check: string }) => r.check === 'pagination');
  t.match(result, { status: 'error', message: /^not verified: the next link of page 1 was not followed: it goes to \/v1\/items:destroy, which is named as a change \(its path's action is "destroy"\)/ });
});

t.test('a next link to another path that names no action is a page: GitHub\'s and Django\'s are followed', async (t) => {
  // Fourth review: exact path equality made both inconclusive.
  for (const next of ['/v1/repositories/42/items?page=2', '/v1/items/?page=2']) {
    const app = Fastify({ logger: false });
    app.get('/v1/items', async () => ({ data: [{ id: 'a' }], links: { next } }));
    app.get('/v1/items/', async () => ({ data: [{ id: 'b' }], links: {} }));
    app.get('/v1/repositories/42/items', async () => ({ data: [{ id: 'b' }], links: {} }));
    const target = await listen(app);
    t.teardown(() => app.close());
    const dir = t.testdir({ 'openapi.yaml': PROFILE });
    const out = join(dir, 'out');
    await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--out', out, '--quiet']);
    const { readFileSync } = await import('node:fs');
    const result = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).results.find((r: { check: string }) => r.check === 'pagination');
    t.match(result, { status: 'pass', message: /walked 2 pages to the end: 2 items/ }, next);
  }
});

async function listen(app: ReturnType<typeof Fastify>): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}
