/**
 * A run without an event listener takes a shorter path (no probe summaries);
 * it must give the same report as one with a listener, and the listener must
 * still see every probe, numbered as the report's coverage counts them.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { run } from '../../harness/index.js';
import type { RunEvent } from '../../harness/report/run-events.js';

const DOCUMENT = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'things', version: '1.0.0' },
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        parameters: [{ name: 'api_key', in: 'query', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } } } } },
      },
    },
    '/things/{thingId}': {
      get: {
        operationId: 'getThing',
        parameters: [
          { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'api_key', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['id'] } } } }, '404': { description: 'none' } },
      },
    },
    '/status': { get: { operationId: 'status', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } },
  },
});

const SECRET = 'key-0123456789-secret';

async function serve(t: Test): Promise<string> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    // Echoes the key it was sent: the report must never show it.
    if (url.pathname === '/things') res.end(JSON.stringify({ items: [{ id: 'T-7', note: `you sent ${url.searchParams.get('api_key')}` }] }));
    else if (url.pathname === '/things/T-7') res.end(JSON.stringify({ id: 'T-7', token: 'live-abc' }));
    else if (url.pathname === '/status') res.end('{"ok":true}');
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** The report as JSON without what changes from run to run (times, durations, the Date header). */
function stable(report: unknown): string {
  return JSON.stringify(report, (key, value: unknown) => (['startedAt', 'finishedAt', 'durationMs', 'date'].includes(key) ? 'x' : value));
}

t.test('a run without a listener reports what a run with one does, and the listener sees every probe in order', async (t) => {
  const target = await serve(t);
  const profile = join(t.testdir({ 'openapi.json': DOCUMENT }), 'openapi.json');
  const options = { profile, target, vars: { api_key: SECRET }, secrets: [SECRET] };
  const events: RunEvent[] = [];
  const heard = await run({ ...options, onEvent: (event) => events.push(event) });
  const quiet = await run(options);

  t.equal(stable(quiet), stable(heard), 'the same report either way');
  t.notOk(stable(quiet).includes(SECRET), 'the key the supplier echoed is redacted');
  t.notOk(stable(quiet).includes('live-abc'), 'so is a secret-named field of a response');
  t.equal(quiet.summary.probes, 3);
  t.equal(quiet.coverage?.find((c) => c.operationId === 'getThing')?.inputs['path:thingId'], 'harvested', 'the id was taken from the list');

  const started = events.filter((e): e is Extract<RunEvent, { type: 'probe-started' }> => e.type === 'probe-started');
  const finished = events.filter((e): e is Extract<RunEvent, { type: 'probe-finished' }> => e.type === 'probe-finished');
  t.same(started.map((e) => e.probe.index).sort(), [1, 2, 3], 'each probe numbered once');
  t.same(finished.map((e) => e.probe.index).sort(), [1, 2, 3]);
  for (const e of started) {
    t.notOk(e.probe.url.includes(SECRET), `probe ${e.probe.index} names its URL without the key`);
    t.match(e.probe.url, /^http:\/\/127\.0\.0\.1:\d+\/(things|status)/);
  }
  t.equal(finished.reduce((n, e) => n + e.results.length, 0), heard.results.length, 'every result was in a probe-finished event');
  t.equal(events.at(-1)?.type, 'run-finished');
});
