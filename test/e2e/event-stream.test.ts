import t from 'tap';
import { validateReport } from '../support/report-schema.js';
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';
import type { Report } from '../../harness/report/report-types.js';

/**
 * A conformant supplier with a live event stream (a subscription that never
 * ends). It was INCONCLUSIVE: every check of the stream's probe was an error
 * at --timeout ("headers arrived but the body was still incomplete").
 */


const document = {
  openapi: '3.0.3',
  info: { title: 'notifications', version: '1' },
  paths: {
    '/events': { get: { operationId: 'streamNotices', responses: { '200': { description: 'a live stream of notifications', content: { 'text/event-stream': { schema: { type: 'string' } } } } } } },
    '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } } } },
  },
};

t.test('a live event stream: judged on its status and media type, read only to its first event, and the run is conformant', async (t) => {
  let open = 0;
  const app = Fastify();
  app.get('/events', (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    reply.raw.write('event: notice\ndata: {"id":1}\n\n');
    open++;
    const timer = setInterval(() => reply.raw.write(': heartbeat\n\n'), 100);
    request.raw.socket.on('close', () => {
      clearInterval(timer);
      open--;
    });
  });
  app.get('/things', async () => [{ id: 1 }]);
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });

  // A 30 s deadline: were the stream read to it, the run would still be waiting when it is judged.
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--timeout', '30000', '--out', join(dir, 'out'), '--format', 'json,junit,html']);
  t.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
  t.ok(validateReport(report), JSON.stringify(validateReport.errors));
  t.equal(report.summary.verdict, 'conformant');
  t.equal(report.summary.errors, 0);
  const stream = report.results.filter((r) => r.operationId === 'streamNotices');
  t.match(stream.find((r) => r.check === 'status-code'), { status: 'pass' });
  t.match(stream.find((r) => r.check === 'content-type'), { status: 'pass' });
  t.match(stream.find((r) => r.check === 'response-schema'), { status: 'skip', message: /text\/event-stream is not a JSON media type/ });
  t.match(stream[0]?.evidence?.response, { bodyExcerpt: 'event: notice\ndata: {"id":1}\n\n', eventStream: { until: 'first-event' } });

  // The harness closed the stream: the supplier holds no subscription open for it.
  for (let i = 0; i < 100 && open > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  t.equal(open, 0, 'no stream left open');
});

t.test('a stream where the document promises JSON: a content-type failure whose transcript says the harness closed the stream', async (t) => {
  const app = Fastify();
  app.get('/things', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.write(': no event yet');
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify({ ...document, paths: { '/things': document.paths['/things'] } }) });
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--timeout', '30000', '--out', join(dir, 'out'), '--format', 'json,junit,html']);
  t.equal(outcome.code, 1, outcome.stdout + outcome.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
  t.ok(validateReport(report), JSON.stringify(validateReport.errors));
  t.match(report.results.find((r) => r.check === 'content-type'), { status: 'fail', evidence: { response: { bodyExcerpt: ': no event yet', eventStream: { until: 'time' } } } });
  const note = /an event stream, closed by the harness after \d+ ms, with no complete event by then/;
  t.match(readFileSync(join(dir, 'out', 'report.html'), 'utf8'), note);
  t.match(readFileSync(join(dir, 'out', 'junit.xml'), 'utf8'), note);
});

t.test('compression is not judged on an event stream: asked again gzip-encoded, it would be read to --timeout', async (t) => {
  const app = Fastify();
  const asked: string[] = [];
  app.get('/events', (request, reply) => {
    asked.push(String(request.headers['accept-encoding'] ?? ''));
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.write(`data: ${'x'.repeat(2000)}\n\n`);
  });
  const target = await listen(t, app);
  const profile = {
    openapi: '3.0.3',
    info: { title: 'notifications', version: '1' },
    'x-interop': { id: 'green-streams', version: '1.0.0', requirements: [{ id: 'GREEN-01', level: 'SHOULD', statement: 'Large responses SHOULD be compressed when asked.', checks: ['compression'] }] },
    paths: { '/events': document.paths['/events'] },
  };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(profile) });
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--timeout', '30000', '--out', join(dir, 'out'), '--format', 'json']);
  t.not(outcome.code, 2, outcome.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
  t.match(report.results.find((r) => r.check === 'compression'), { status: 'skip', message: /an event stream/ });
  t.same(asked.filter((value) => value.includes('gzip')), [], 'not asked again compressed');
});
