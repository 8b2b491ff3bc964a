import t, { type Test } from 'tap';
import type { OutgoingRequest } from '../../harness/http/exchange-types.js';
import { createHttpClient, type HttpClient } from '../../harness/http/http-client.js';
import { createRedactor } from '../../harness/http/redactor.js';
import { startServer, testLimits, type TestServer } from './test-server.js';
import { boundedBy } from '../support/bounds.js';

/**
 * A 429 with a short Retry-After is waited out and retried once; anything
 * else is returned as it came. Waits here are 0–1 s (Retry-After has whole
 * seconds), and maxRetryWaitMs is 1 s (testLimits), to keep the file fast.
 */

function get(url: string, headers: Record<string, string> = {}): OutgoingRequest {
  return { method: 'GET', url, headers, followRedirects: true };
}

function clientFor(t: Test, server: TestServer, maxRetryWaitMs = 1000): HttpClient {
  const client = createHttpClient({ targetUrl: server.origin, limits: testLimits({ maxRetryWaitMs }), redactor: createRedactor([]) });
  t.teardown(() => client.close());
  return client;
}

/** A server that answers 429 with `retryAfter` for the first `limited` requests, then 200. */
async function limitedServer(t: Test, retryAfter: string | undefined, limited: number): Promise<TestServer> {
  let count = 0;
  const server = await startServer((_req, res) => {
    count++;
    if (count <= limited) {
      res.writeHead(429, { 'content-type': 'application/json', ...(retryAfter !== undefined ? { 'retry-after': retryAfter } : {}) });
      res.end('{"error":"slow down"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  t.teardown(() => server.close());
  return server;
}

t.test('a 429 with Retry-After within the limit is waited out and retried once', async (t) => {
  const server = await limitedServer(t, '1', 1);
  const started = performance.now();
  const exchange = await clientFor(t, server).send(get(`${server.origin}/x`));
  const ms = performance.now() - started;
  t.equal(exchange.response?.status, 200, 'the retry answered');
  t.equal(server.requests.length, 2);
  t.equal(exchange.evidence.retries?.length, 1);
  t.match(exchange.evidence.retries?.[0], { status: 429, retryAfter: '1' });
  t.ok((exchange.evidence.retries?.[0]?.waitedMs ?? 0) >= 950, 'waited the second it was asked to');
  t.ok(ms >= 950 && ms < boundedBy(1000), `waited the one second, once (${Math.round(ms)} ms)`);
  t.ok(exchange.evidence.durationMs >= 950, 'durationMs includes the wait');
});

t.test('Retry-After as an HTTP-date is honoured too', async (t) => {
  const server = await limitedServer(t, new Date(Date.now() - 1000).toUTCString(), 1);
  const exchange = await clientFor(t, server).send(get(`${server.origin}/x`));
  t.equal(exchange.response?.status, 200);
  t.equal(server.requests.length, 2, 'a date in the past means retry at once');
});

t.test('a Retry-After longer than the limit is returned as-is, without waiting', async (t) => {
  const server = await limitedServer(t, '999999', 1);
  const started = performance.now();
  const exchange = await clientFor(t, server).send(get(`${server.origin}/x`));
  t.ok(performance.now() - started < boundedBy(0), 'did not wait the 999999 s');
  t.equal(exchange.response?.status, 429);
  t.equal(exchange.response?.headers['retry-after'], '999999');
  t.equal(server.requests.length, 1);
  t.equal(exchange.evidence.retries, undefined);
});

t.test('a second 429 is the answer: one retry only', async (t) => {
  const server = await limitedServer(t, '0', 100);
  const exchange = await clientFor(t, server).send(get(`${server.origin}/x`));
  t.equal(exchange.response?.status, 429);
  t.equal(server.requests.length, 2);
  t.match(exchange.evidence.retries, [{ status: 429, retryAfter: '0' }]);
});

t.test('a 429 without Retry-After, or with nonsense in it, is not retried', async (t) => {
  for (const header of [undefined, 'later', '-5']) {
    const server = await limitedServer(t, header, 1);
    const exchange = await clientFor(t, server).send(get(`${server.origin}/x`));
    t.equal(exchange.response?.status, 429, `Retry-After ${String(header)}`);
    t.equal(server.requests.length, 1);
  }
});

t.test('a 503 with Retry-After is not retried: only 429 is', async (t) => {
  const server = await startServer((_req, res) => {
    res.writeHead(503, { 'retry-after': '0' });
    res.end();
  });
  t.teardown(() => server.close());
  const exchange = await clientFor(t, server).send(get(`${server.origin}/x`));
  t.equal(exchange.response?.status, 503);
  t.equal(server.requests.length, 1);
});

t.test('the run signal cuts the wait short and the probe ends as aborted', async (t) => {
  // A wait far longer than any slack, so "cut short" cannot be confused with "waited it out".
  const server = await limitedServer(t, '300', 1);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = performance.now();
  const exchange = await clientFor(t, server, 600_000).send(get(`${server.origin}/x`), controller.signal);
  t.ok(performance.now() - started < boundedBy(100), 'did not wait the 300 s');
  t.equal(exchange.transportError?.code, 'aborted');
  t.match(exchange.transportError?.message, /while waiting 300 s \(Retry-After: 300\) to retry a 429/);
  t.equal(exchange.evidence.response?.status, 429, 'the 429 stays in the evidence');
  t.equal(server.requests.length, 1);
});

t.test('credentials are sent again on the retry, and a secret echoed in Retry-After is redacted', async (t) => {
  const secret = 'sekrit-0123456789';
  let count = 0;
  const server = await startServer((_req, res) => {
    count++;
    // A hostile supplier puts the credential in Retry-After: not a valid delay, so no retry, and redacted.
    res.writeHead(count === 1 ? 429 : 200, { 'retry-after': count === 1 ? '0' : secret, 'content-type': 'text/plain' });
    res.end('x');
  });
  t.teardown(() => server.close());
  const client = createHttpClient({ targetUrl: server.origin, limits: testLimits(), redactor: createRedactor([secret]) });
  t.teardown(() => client.close());
  const exchange = await client.send(get(`${server.origin}/x`, { authorization: `Bearer ${secret}` }));
  t.equal(exchange.response?.status, 200);
  t.same(server.requests.map((r) => r.headers.authorization), [`Bearer ${secret}`, `Bearer ${secret}`]);
  t.notOk(JSON.stringify(exchange.evidence).includes(secret));
});
