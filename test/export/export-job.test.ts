import t from 'tap';
import { awaitCompletion, kickOffExport } from '../../harness/export/export-job.js';
import { exportTransportFor } from '../support/export-transport.js';
import { startServer } from '../http/test-server.js';

/** Kick-off and status polling against real loopback servers that follow, or break, the FHIR pattern. */

t.test('kick-off: 202 with a relative Content-Location resolves on the target', async (t) => {
  const server = await startServer((_req, res) => {
    res.writeHead(202, { 'content-location': '/jobs/1' }).end();
  });
  t.teardown(server.close);
  const kickoff = await kickOffExport(exportTransportFor(t, server.origin), '/$export', { types: ['person', 'event'], since: '2026-01-01T00:00:00Z' });
  t.ok(kickoff.ok);
  if (kickoff.ok) t.equal(kickoff.statusUrl.href, `${server.origin}/jobs/1`);
  const seen = server.requests[0]!;
  t.equal(seen.url, '/$export?_type=person%2Cevent&_since=2026-01-01T00%3A00%3A00Z');
  t.equal(seen.headers['prefer'], 'respond-async');
  t.equal(seen.headers['authorization'], 'Bearer s3cret-token');
});

t.test('kick-off: a status URL on another origin is refused and never requested', async (t) => {
  const elsewhere = await startServer((_req, res) => res.end());
  t.teardown(elsewhere.close);
  const server = await startServer((_req, res) => {
    res.writeHead(202, { 'content-location': `http://localhost:${elsewhere.port}/jobs/1` }).end();
  });
  t.teardown(server.close);
  const transport = exportTransportFor(t, server.origin);
  const kickoff = await kickOffExport(transport, '/$export', { types: ['person'] });
  t.notOk(kickoff.ok);
  if (!kickoff.ok) t.match(kickoff.message, /is on another origin \(http:\/\/localhost:\d+\); it was not polled/);
  t.equal(elsewhere.requests.length, 0, 'nothing was sent to the other origin');
});

t.test('kick-off: a 200 or a 202 without Content-Location fails, naming what came back', async (t) => {
  let answer = 200;
  const server = await startServer((_req, res) => res.writeHead(answer).end());
  t.teardown(server.close);
  const transport = exportTransportFor(t, server.origin);
  const first = await kickOffExport(transport, '/$export', { types: [] });
  t.match(first, { ok: false, message: /answered 200, not 202 Accepted/ });
  answer = 202;
  const second = await kickOffExport(transport, '/$export', { types: [] });
  t.match(second, { ok: false, message: /without a Content-Location/ });
});

t.test('status: 202 with Retry-After is honoured, progress kept, then the manifest', async (t) => {
  let polls = 0;
  const server = await startServer((_req, res) => {
    polls += 1;
    if (polls < 3) res.writeHead(202, { 'retry-after': '0', 'x-progress': `step ${polls}` }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"output":[]}');
  });
  t.teardown(server.close);
  const completion = await awaitCompletion(exportTransportFor(t, server.origin), new URL(`${server.origin}/jobs/1`), 5_000);
  t.ok(completion.ok);
  t.same(completion.polls.map((p) => p.progress), ['step 1', 'step 2']);
  t.ok(completion.waitedMs >= 500, 'Retry-After: 0 still leaves the minimum poll interval between polls');
  if (completion.ok) t.same(completion.manifest, { output: [] });
});

t.test('status: Retry-After longer than the wait left stops at once and says why', async (t) => {
  const server = await startServer((_req, res) => res.writeHead(202, { 'retry-after': '999999' }).end());
  t.teardown(server.close);
  const started = performance.now();
  const completion = await awaitCompletion(exportTransportFor(t, server.origin), new URL(`${server.origin}/jobs/1`), 60_000);
  t.ok(performance.now() - started < 2_000, 'did not wait');
  t.match(completion, { ok: false, verdict: 'fail', message: /asked to wait 999999 s \(Retry-After: 999999\) before polling again, longer than the whole export wait/ });
});

t.test('status: an export that never completes ends within the export wait', async (t) => {
  const server = await startServer((_req, res) => res.writeHead(202, { 'retry-after': '1', 'x-progress': 'still going' }).end());
  t.teardown(server.close);
  const started = performance.now();
  const completion = await awaitCompletion(exportTransportFor(t, server.origin), new URL(`${server.origin}/jobs/1`), 2_500);
  const took = performance.now() - started;
  t.ok(took < 3_500, `bounded by the wait (took ${Math.round(took)} ms)`);
  t.match(completion, { ok: false, verdict: 'fail', message: /had not completed after [\d.]+ s \(--export-wait 2\.5 s\): \d+ polls answered 202; last progress: "still going"/ });
});

t.test('status: a 500 or a non-JSON 200 fails; no response is an error', async (t) => {
  let mode: 'error' | 'text' = 'error';
  const server = await startServer((_req, res) => (mode === 'error' ? res.writeHead(500).end() : res.writeHead(200, { 'content-type': 'text/plain' }).end('done')));
  t.teardown(server.close);
  const transport = exportTransportFor(t, server.origin);
  t.match(await awaitCompletion(transport, new URL(`${server.origin}/j`), 5_000), { ok: false, verdict: 'fail', message: /answered 500 after 0 polls/ });
  mode = 'text';
  t.match(await awaitCompletion(transport, new URL(`${server.origin}/j`), 5_000), { ok: false, verdict: 'fail', message: /not a JSON object/ });
  await server.close();
  t.match(await awaitCompletion(transport, new URL(`${server.origin}/j`), 5_000), { ok: false, verdict: 'error' });
});

t.test('status: a 503 with Retry-After is transient and polled again; a cut-off manifest is an error, not a bad manifest', async (t) => {
  let polls = 0;
  const server = await startServer((req, res) => {
    if (req.url === '/big') return res.writeHead(200, { 'content-type': 'application/json' }).end(`{"output":[${'{"type":"person"},'.repeat(100_000)}{}]}`);
    polls += 1;
    if (polls === 1) res.writeHead(503, { 'retry-after': '0' }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"output":[]}');
  });
  t.teardown(server.close);
  const transport = exportTransportFor(t, server.origin);
  t.match(await awaitCompletion(transport, new URL(`${server.origin}/j`), 5_000), { ok: true, polls: [{}] });
  t.match(await awaitCompletion(transport, new URL(`${server.origin}/big`), 5_000), { ok: false, verdict: 'error', message: /larger than the --max-body limit/ });
});
