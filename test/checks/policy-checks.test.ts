import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import t from 'tap';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

// Policy checks run only when a profile requirement names them, each against a
// conformant operation (good) and its defective twin (bad).
const PROFILE = `
openapi: 3.1.0
info: {title: policies, version: "1"}
x-interop:
  id: policies
  version: 0.0.1
  requirements:
    - {id: POL-1, level: MUST, statement: JSON bodies are objects., checks: [json-object-root]}
    - {id: POL-2, level: SHOULD, statement: Compression is honoured., checks: [compression]}
    - {id: POL-3, level: SHOULD, statement: Conditional requests are honoured., checks: [conditional-requests]}
paths:
  /good: {get: {operationId: good, responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}}}
  /bad: {get: {operationId: bad, responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}}}
`;

const items = Array.from({ length: 50 }, (_, i) => ({ id: `ITEM-${i}`, note: 'synthetic record for the policy checks' }));
const goodBody = JSON.stringify({ data: items });
const badBody = JSON.stringify(items);

t.test('json-object-root, compression and conditional-requests pass the good twin and fail the bad one', async (t) => {
  let followUps = 0;
  const app = Fastify({ logger: false });
  app.get('/good', (request, reply) => {
    const etag = '"v1"';
    if (request.headers['if-none-match'] === etag) {
      followUps++;
      return reply.code(304).header('etag', etag).send();
    }
    reply.header('etag', etag).type('application/json');
    if (/gzip/.test(String(request.headers['accept-encoding'] ?? ''))) {
      followUps++;
      return reply.header('content-encoding', 'gzip').send(gzipSync(goodBody));
    }
    return reply.send(goodBody);
  });
  app.get('/bad', (_request, reply) => reply.type('application/json').send(badBody));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.yaml': PROFILE });
  const out = join(dir, 'out');
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--out', out, '--quiet']);
  t.equal(outcome.code, 1, 'the MUST-level json-object-root failure fails the run');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  const status = (check: string, operationId: string) => report.results.find((r) => r.check === check && r.operationId === operationId);

  t.same(report.options.checks, ['json-object-root', 'compression', 'conditional-requests'], 'profile mode runs only the checks its requirements name');
  for (const check of ['json-object-root', 'compression', 'conditional-requests']) {
    t.equal(status(check, 'good')?.status, 'pass', `${check} passes the good twin`);
    t.equal(status(check, 'bad')?.status, 'fail', `${check} fails the bad twin`);
  }
  t.equal(followUps, 2, 'one follow-up request per probe check on the good twin');
  t.match(status('json-object-root', 'bad')?.message, /an array at the top level/);
  t.match(status('compression', 'bad')?.message, /uncompressed \(identity\) although the request accepted gzip, br/);
  t.match(status('compression', 'bad')?.evidence?.request.headers['accept-encoding'], 'gzip, br', 'the evidence is the follow-up request');
  t.match(status('conditional-requests', 'bad')?.message, /neither ETag nor Last-Modified/);
  t.match(status('conditional-requests', 'good')?.evidence?.request.headers['if-none-match'], '"v1"');
  t.equal(status('compression', 'bad')?.level, 'SHOULD');
  t.equal(report.summary.verdict, 'non-conformant');
});

t.test('policy checks do not run in generic mode', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/bad', (_request, reply) => reply.type('application/json').send(badBody));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.yaml': "openapi: 3.1.0\ninfo: {title: plain, version: '1'}\npaths:\n  /bad: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: array}}}}}}}\n",
  });
  const out = join(dir, 'out');
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--out', out, '--quiet']);
  t.equal(outcome.code, 0, 'a documented array root is conformant to its own document');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  t.notOk(report.options.checks.includes('json-object-root'));
});
