import t, { type Test } from 'tap';
import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { clientFor, get, serve, testLimits } from './test-server.js';

/**
 * An event stream (text/event-stream) never ends on its own: the client reads
 * its start and closes it, rather than wait out the deadline for an error.
 */

/** Opens an event stream, writes `first`, then `every(n)` each 20 ms until the client goes; resolves `closed` when it does. */
async function streamingServer(t: Test, first: string | Buffer, every?: (n: number) => string) {
  let closed!: () => void;
  const closedBy = new Promise<void>((resolve) => (closed = resolve));
  const server = await serve(t, (req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    if (first.length > 0) res.write(first);
    else res.flushHeaders();
    let n = 0;
    const timer = every ? setInterval(() => res.write(every(++n)), 20) : undefined;
    res.on('close', () => {
      clearInterval(timer);
      closed();
    });
    req.socket.on('close', () => clearInterval(timer));
  });
  return { server, closed: closedBy };
}

t.test('a stream is read until its first event, then closed by the client', async (t) => {
  const { server, closed } = await streamingServer(t, 'event: hello\ndata: {"n":0}\n\n', (n) => `data: {"n":${n}}\n\n`);
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.transportError, undefined, 'no transport error');
  t.equal(exchange.response?.status, 200);
  t.equal(exchange.response?.body.toString('utf8'), 'event: hello\ndata: {"n":0}\n\n', 'the body is the first event');
  t.equal(exchange.response?.truncated, false);
  t.match(exchange.response?.eventStream, { until: 'first-event' });
  t.same(exchange.evidence.response?.eventStream, exchange.response?.eventStream, 'the evidence says so too');
  t.equal(exchange.evidence.response?.bodyExcerpt, 'event: hello\ndata: {"n":0}\n\n');
  await closed;
  t.pass('the server saw the connection close');
});

t.test('a stream that sends no complete event is read for the read time, then closed', async (t) => {
  const { server, closed } = await streamingServer(t, ': waiting');
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 10_000 }));
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.body.toString('utf8'), ': waiting');
  t.match(exchange.response?.eventStream, { until: 'time' });
  // A lower bound only: the read time is a timer, which fires no earlier than asked.
  t.ok((exchange.response?.eventStream?.readMs ?? 0) >= 990, `read for the read time (${exchange.response?.eventStream?.readMs} ms)`);
  await closed;
});

t.test('a request deadline shorter than the read time ends the read, not the exchange', async (t) => {
  const { server } = await streamingServer(t, '');
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 300 }));
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.transportError, undefined, 'not a timeout error');
  t.equal(exchange.response?.status, 200);
  t.equal(exchange.response?.body.length, 0);
  t.match(exchange.response?.eventStream, { until: 'time' });
});

t.test('a blank line split across two writes still ends the first event; CRLF and CR line ends count', async (t) => {
  for (const [name, first, rest] of [
    ['LF', 'data: a\n', '\n'],
    ['CRLF', 'data: a\r\n', '\r\n'],
    ['CR', 'data: a\r', '\r'],
    ['LF then CRLF', 'data: a\n', '\r\n'],
    ['LF then CR', 'data: a\n', '\r'],
    ['CR then CRLF', 'data: a\r', '\r\n'],
    ['CRLF then LF', 'data: a\r\n', '\n'],
  ] as const) {
    const server = await serve(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(first);
      setTimeout(() => res.write(rest), 30);
    });
    const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 10_000 }));
    const exchange = await client.send(get(`${server.origin}/events`));
    t.match(exchange.response?.eventStream, { until: 'first-event' }, name);
    t.equal(exchange.response?.body.toString('latin1'), `${first}${rest}`, `${name}: the whole first event`);
  }
});

t.test('one line end is no blank line, though CRLF comes in two writes', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: a\r');
    setTimeout(() => res.write('\ndata: b'), 30);
  });
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 10_000 }));
  const exchange = await client.send(get(`${server.origin}/events`));
  t.match(exchange.response?.eventStream, { until: 'time' }, 'no event was complete');
  t.equal(exchange.response?.body.toString('latin1'), 'data: a\r\ndata: b');
});

t.test('Content-Encoding: identity is no coding: the stream is read as an uncoded one', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'Identity' });
    res.write('data: x\n\n');
  });
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 10_000 }));
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.transportError, undefined, 'not waited out to the deadline');
  t.match(exchange.response?.eventStream, { until: 'first-event' });
});

t.test('a stream that never completes an event is kept to 64 KiB', async (t) => {
  const { server, closed } = await streamingServer(t, `data: ${'x'.repeat(40 * 1024)}`, () => 'y'.repeat(40 * 1024));
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 10_000 }));
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.transportError, undefined);
  t.match(exchange.response?.eventStream, { until: 'size' });
  t.equal(exchange.response?.body.length, 64 * 1024);
  t.equal(exchange.evidence.response?.bodyBytes, 64 * 1024);
  await closed;
});

t.test('a stream the supplier ends itself is a whole body, with no note', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('data: only');
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.response?.body.toString('utf8'), 'data: only');
  t.equal(exchange.response?.eventStream, undefined);
  t.equal(exchange.evidence.response?.eventStream, undefined);
});

t.test('any other media type is read to its end as before', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('data: a\n\n');
    setTimeout(() => res.end('data: b\n\n'), 50);
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.response?.body.toString('utf8'), 'data: a\n\ndata: b\n\n');
  t.equal(exchange.response?.eventStream, undefined);
});

/** A gzip-coded event stream, each write flushed (as Express's compression middleware sends one): `first`, then `every(n)` each 20 ms. */
async function gzipStreamingServer(t: Test, first: string, every?: (n: number) => string, end = false) {
  let closed!: () => void;
  const closedBy = new Promise<void>((resolve) => (closed = resolve));
  const server = await serve(t, (_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
    const gzip = createGzip();
    gzip.pipe(res);
    gzip.write(first);
    if (end) return void gzip.end();
    gzip.flush();
    let n = 0;
    const timer = every ? setInterval(() => { gzip.write(every(++n)); gzip.flush(); }, 20) : undefined;
    res.on('close', () => {
      clearInterval(timer);
      gzip.destroy();
      closed();
    });
  });
  return { server, closed: closedBy };
}

t.test('a compressed stream is decoded and read until its first event, then closed, not waited out to the deadline', async (t) => {
  const { server, closed } = await gzipStreamingServer(t, 'event: hello\ndata: {"n":0}\n\n', (n) => `data: {"n":${n}}\n\n`);
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 10_000 }));
  const exchange = await client.send(get(`${server.origin}/events`));
  t.equal(exchange.transportError, undefined, 'no transport error');
  t.equal(exchange.response?.body.toString('utf8'), 'event: hello\ndata: {"n":0}\n\n', 'the decoded first event');
  t.match(exchange.response?.eventStream, { until: 'first-event' });
  t.ok((exchange.response?.eventStream?.readMs ?? Infinity) < 10_000, 'ended before the deadline');
  await closed;
  t.pass('the server saw the connection close');
});

t.test('a compressed stream with no complete event is read for the read time or to 64 KiB; one the supplier ends is whole', async (t) => {
  const waiting = await gzipStreamingServer(t, ': waiting');
  const client = clientFor(t, waiting.server.origin, testLimits({ requestTimeoutMs: 10_000 }));
  const exchange = await client.send(get(`${waiting.server.origin}/events`));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.body.toString('utf8'), ': waiting');
  t.match(exchange.response?.eventStream, { until: 'time' });
  await waiting.closed;

  const long = await gzipStreamingServer(t, `data: ${'x'.repeat(40 * 1024)}`, () => 'y'.repeat(40 * 1024));
  const kept = await clientFor(t, long.server.origin, testLimits({ requestTimeoutMs: 10_000 })).send(get(`${long.server.origin}/events`));
  t.match(kept.response?.eventStream, { until: 'size' });
  t.equal(kept.response?.body.length, 64 * 1024, 'kept to 64 KiB decoded');
  await long.closed;

  const ended = await gzipStreamingServer(t, 'data: only', undefined, true);
  const whole = await clientFor(t, ended.server.origin).send(get(`${ended.server.origin}/events`));
  t.equal(whole.response?.body.toString('utf8'), 'data: only');
  t.equal(whole.response?.eventStream, undefined, 'no note: the body is whole');
});
