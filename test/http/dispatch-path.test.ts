import t from 'tap';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { HttpExchange } from '../../harness/http/exchange-types.js';
import { clientFor, get, serve, testLimits } from './test-server.js';

// Probes read their responses through undici's dispatch() with a handler of the
// client's own (no body stream per response). These pin what that handler does
// itself: the bound, decoding handed to the stream decoder, failures mid-body,
// the run signal, redirect bodies and 1xx responses.

/** The transport error's stable part (its `cause` is internal). */
function errorOf(exchange: HttpExchange): { code: string; message: string } {
  if (!exchange.transportError) throw new Error(`expected a transport error, got status ${exchange.response?.status}`);
  return { code: exchange.transportError.code, message: exchange.transportError.message };
}

/** Bytes 0, 1, ... 250, 0, 1, ...: a cut in the wrong place shows in the content, not just the length. */
function counting(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

/** Resolves when the server side of the connection has closed. */
function closed(socket: Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

t.test('a body over the bound, sent in several chunks, is cut at the bound exactly and the connection is dropped', async (t) => {
  const body = counting(300 * 1024);
  let socket: Socket | undefined;
  const server = await serve(t, (req, res) => {
    socket = req.socket;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    // Many writes with pauses between them, so the client sees many chunks before the bound.
    let sent = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (sent >= body.length) return void res.end();
      res.write(body.subarray(sent, sent + 7000));
      sent += 7000;
      setImmediate(next);
    };
    next();
  });
  const limit = 100_003;
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: limit, evidenceBodyBytes: 8 }));
  const exchange = await client.send(get(`${server.origin}/big`));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, true);
  t.ok(exchange.response?.body.equals(body.subarray(0, limit)), 'the first maxBodyBytes bytes, in order');
  t.equal(exchange.evidence.response?.bodyBytes, limit);
  t.equal(exchange.evidence.response?.truncated, true);
  await closed(socket as Socket);
  t.pass('the connection to the supplier was closed rather than read to the end');
});

t.test('a body one byte over the bound is truncated; the next request still works', async (t) => {
  const server = await serve(t, (req, res) => res.end(req.url === '/over' ? counting(1001) : 'fine'));
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: 1000 }));
  const over = await client.send(get(`${server.origin}/over`));
  t.equal(over.response?.truncated, true);
  t.ok(over.response?.body.equals(counting(1000)));
  const next = await client.send(get(`${server.origin}/next`));
  t.equal(next.response?.body.toString(), 'fine');
  t.equal(next.response?.truncated, false);
});

t.test('a gzip body is decoded, and bounded on its decoded size', async (t) => {
  const plain = counting(200 * 1024);
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' });
    res.end(gzipSync(plain));
  });
  const whole = await clientFor(t, server.origin).send(get(`${server.origin}/gz`));
  t.equal(whole.response?.truncated, false);
  t.ok(whole.response?.body.equals(plain), 'decoded to the original bytes');

  const limit = 50_001;
  const cut = await clientFor(t, server.origin, testLimits({ maxBodyBytes: limit })).send(get(`${server.origin}/gz`));
  t.equal(cut.transportError, undefined);
  t.equal(cut.response?.truncated, true);
  t.ok(cut.response?.body.equals(plain.subarray(0, limit)), 'the first maxBodyBytes decoded bytes');
});

t.test('a gzip body that arrives faster than it inflates is paused and resumed, and read to its end', async (t) => {
  // 8 MB from a 4-letter alphabet: ~2.7 MB on the wire, which the decoder falls behind on, so the connection is paused.
  const plain = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0, x = 1; i < plain.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    plain[i] = 97 + ((x >> 16) % 4);
  }
  const encoded = gzipSync(plain, { level: 1 });
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' });
    res.end(encoded);
  });
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: 16 * 1024 * 1024 }));
  const exchange = await client.send(get(`${server.origin}/gz`));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, false);
  t.ok(exchange.response?.body.equals(plain), 'every decoded byte, in order');
});

t.test('a supplier that resets mid-body: connection-reset with the bytes seen, chunked or gzip', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write(Buffer.alloc(300, 'r'));
    } else {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.write(gzipSync(counting(100_000)).subarray(0, 500));
    }
    // Once the bytes are flushed, so the client sees them before the reset.
    res.once('drain', () => undefined);
    setTimeout(() => req.socket.resetAndDestroy(), 100);
  });
  const client = clientFor(t, server.origin);
  t.same(errorOf(await client.send(get(`${server.origin}/chunked`))), {
    code: 'connection-reset',
    message: 'connection reset after 300 bytes of body',
  });
  t.same(errorOf(await client.send(get(`${server.origin}/gzip`))), {
    code: 'connection-reset',
    message: 'connection reset after 500 bytes of body',
  });
});

t.test('the run signal aborts a request mid-body, identity or gzip, and the connection is closed', async (t) => {
  const sockets: Socket[] = [];
  let sent: () => void = () => undefined;
  const server = await serve(t, (req, res) => {
    sockets.push(req.socket);
    res.writeHead(200, req.url === '/gzip' ? { 'Content-Encoding': 'gzip' } : { 'Content-Type': 'text/plain' });
    res.write(req.url === '/gzip' ? gzipSync(counting(100_000)).subarray(0, 500) : Buffer.alloc(500, 'a'), () => sent());
    // ... and never the rest.
  });
  // A deadline far beyond the test's own timeout: only the run signal can end these requests.
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 600_000 }));
  for (const path of ['/plain', '/gzip']) {
    const controller = new AbortController();
    sent = () => setTimeout(() => controller.abort(), 50);
    const exchange = await client.send(get(`${server.origin}${path}`), controller.signal);
    t.same(errorOf(exchange), { code: 'aborted', message: 'request aborted: the run was stopped' }, path);
    t.equal(exchange.response, undefined);
    await closed(sockets[sockets.length - 1] as Socket);
    t.pass(`${path}: the connection was closed`);
  }
});

t.test('a followed redirect body is read and dropped: a small one keeps the connection, a large one closes it', async (t) => {
  const sockets: Record<string, Socket> = {};
  const server = await serve(t, (req, res) => {
    sockets[req.url ?? ''] = req.socket;
    if (req.url === '/small') res.writeHead(302, { Location: '/after-small' }).end('a'.repeat(1000));
    else if (req.url === '/large') res.writeHead(302, { Location: '/after-large' }).end(Buffer.alloc(200 * 1024, 'l'));
    else if (req.url === '/large-chunked') {
      res.writeHead(302, { Location: '/after-chunked' });
      // No Content-Length: stopped while reading, past 64 KB, and never ended.
      res.write(Buffer.alloc(100 * 1024, 'c'));
      res.write(Buffer.alloc(100 * 1024, 'c'));
    } else res.end(`final ${req.url}`);
  });
  // A deadline far beyond the test's own timeout: the endless redirect body must be dropped by its bound, not by the deadline.
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 600_000 }));
  for (const [path, after] of [
    ['/small', '/after-small'],
    ['/large', '/after-large'],
    ['/large-chunked', '/after-chunked'],
  ] as const) {
    const exchange = await client.send(get(`${server.origin}${path}`));
    t.equal(exchange.response?.body.toString(), `final ${after}`, `${path} followed`);
    t.same(exchange.evidence.redirects, [{ status: 302, from: `${server.origin}${path}`, location: `${server.origin}${after}`, followed: true }]);
    if (path === '/small') {
      // One more round trip, time enough for a close to reach the server.
      await client.send(get(`${server.origin}/probe`));
      t.equal(sockets[path]?.destroyed, false, 'the small body was read to its end: the connection stays open for reuse');
    } else {
      await closed(sockets[path] as Socket);
      t.pass(`${path}: the connection was closed rather than the whole body read`);
    }
  }
});

t.test('a followed redirect whose body drips and never ends is dropped after its read time, not held to the deadline', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url !== '/drip') return void res.end(`final ${req.url}`);
    res.writeHead(302, { Location: '/after-drip' });
    // A byte every 50 ms, well under 64 KB in any read time: only a time bound ends it.
    const timer = setInterval(() => res.write('d'), 50);
    res.on('close', () => clearInterval(timer));
  });
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 600_000 }));
  const exchange = await client.send(get(`${server.origin}/drip`));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.body.toString(), 'final /after-drip', 'the redirect was followed');
  const download = await client.download(get(`${server.origin}/drip`), () => undefined, { maxBytes: 1000 });
  t.equal(download.response?.status, 200, 'a download follows it too');
});

t.test('a redirect that is not followed keeps its body as the final response', async (t) => {
  const server = await serve(t, (_req, res) => res.writeHead(302, { Location: 'http://127.0.0.2:1/elsewhere' }).end('moved away'));
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/off`));
  t.equal(exchange.response?.status, 302);
  t.equal(exchange.response?.body.toString(), 'moved away');
  t.same(exchange.evidence.redirects, [{ status: 302, from: `${server.origin}/off`, location: 'http://127.0.0.2:1/elsewhere', followed: false }]);
});

t.test('1xx responses before the final one are skipped', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeEarlyHints({ link: '</style.css>; rel=preload' }, () => {
      res.writeHead(200, { 'X-Final': 'yes' }).end('the answer');
    });
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/hints`));
  t.equal(exchange.response?.status, 200);
  t.equal(exchange.response?.headers['x-final'], 'yes');
  t.equal(exchange.response?.headers['link'], undefined, 'the hints are not the final headers');
  t.equal(exchange.response?.body.toString(), 'the answer');
});

t.test('repeated response headers are joined, and names like __proto__ are headers like any other', async (t) => {
  const server = await serve(t, (req, res) => {
    req.socket.write('HTTP/1.1 200 OK\r\nX-Multi: a\r\nx-multi: b\r\n__proto__: p\r\nconstructor: c\r\nContent-Length: 2\r\n\r\nok');
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/h`));
  const headers = exchange.response?.headers ?? {};
  t.equal(headers['x-multi'], 'a, b');
  t.equal(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value, 'p');
  t.equal(Object.getOwnPropertyDescriptor(headers, 'constructor')?.value, 'c');
  t.equal(exchange.response?.body.toString(), 'ok');
});
