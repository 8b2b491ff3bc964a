import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { createLineSplitter } from '../../harness/export/ndjson-lines.js';
import type { BodySink, DownloadExchange, HttpLimits, OutgoingRequest } from '../../harness/http/exchange-types.js';
import { createHttpClient, type HttpClient } from '../../harness/http/http-client.js';
import { createRedactor } from '../../harness/http/redactor.js';
import { boundedBy } from '../support/bounds.js';
import { clientFor, get, serve, startServer, testLimits, type TestServer } from './test-server.js';

/** A sink that keeps only a count and a hash, as a real consumer would. */
function hashingSink(): BodySink & { bytes: number; sha256(): string } {
  const hash = createHash('sha256');
  const sink = {
    bytes: 0,
    write(chunk: Buffer) {
      sink.bytes += chunk.length;
      hash.update(chunk);
    },
    sha256: () => hash.digest('hex'),
  };
  return sink;
}

/** Write `next()` chunks with back-pressure until it returns undefined or the client goes away. */
function pump(res: ServerResponse, next: () => Buffer | undefined): void {
  const go = (): void => {
    for (;;) {
      if (res.destroyed) return;
      const chunk = next();
      if (chunk === undefined) {
        res.end();
        return;
      }
      if (!res.write(chunk)) {
        res.once('drain', go);
        return;
      }
    }
  };
  go();
}

/** The transport error's stable part (its `cause` is internal). */
function errorOf(exchange: DownloadExchange): { code: string; message: string } {
  if (!exchange.transportError) throw new Error(`expected a transport error, got status ${exchange.response?.status}`);
  return { code: exchange.transportError.code, message: exchange.transportError.message };
}

const MB = 1024 * 1024;

/** Serves `argv[1]` gzip members of 10,000 NDJSON lines each, with back-pressure. */
const GZIP_SUPPLIER = `
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
const block = Buffer.from(Array.from({ length: 10000 }, (_, i) => '{"id":"PER-' + String(i).padStart(7, '0') + '","name":"Ada Lovelace"}\\n').join(''));
const member = gzipSync(block);
const blocks = Number(process.argv[1]);
const server = createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip' });
  let i = 0;
  const go = () => {
    while (i < blocks) {
      i++;
      if (!res.write(member)) return void res.once('drain', go);
    }
    res.end();
  };
  go();
});
server.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + server.address().port + ' ' + blocks * block.length));
`;

t.test('a 200 MB NDJSON body streams with flat memory; bytes and sha256 are the real ones', async (t) => {
  // Four different 1 MB blocks of whole lines, sent in turn: the server hashes what it sends.
  const blocks = [0, 1, 2, 3].map((b) => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < MB - 200; i++) {
      const line = `${JSON.stringify({ id: `PER-${b}-${String(i).padStart(7, '0')}`, name: 'Ada Lovelace', block: b })}\n`;
      lines.push(line);
      size += line.length;
    }
    return Buffer.from(lines.join(''));
  });
  const linesPerBlock = blocks.map((block) => block.toString().split('\n').length - 1);
  const blockCount = 200;
  const sent = createHash('sha256');
  let sentBytes = 0;
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    let i = 0;
    pump(res, () => {
      if (i >= blockCount) return undefined;
      const block = blocks[i++ % 4] as Buffer;
      sent.update(block);
      sentBytes += block.length;
      return block;
    });
  });
  const client = clientFor(t, server.origin, testLimits({ evidenceBodyBytes: 64 }));

  let lines = 0;
  let peakRss = 0;
  let chunks = 0;
  const splitter = createLineSplitter(
    (line) => {
      if (line.length > 0) lines += 1;
    },
    { maxLineBytes: 64 * 1024, onOversizedLine: () => t.fail('no line is oversized') },
  );
  const sink = hashingSink();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const exchange = await client.download(
    get(`${server.origin}/export/persons.ndjson`),
    () => ({
      write(chunk) {
        sink.write(chunk);
        splitter.write(chunk);
        if (++chunks % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    }),
    { maxBytes: 2 * 1024 * MB },
  );
  splitter.end();
  const seconds = (performance.now() - started) / 1000;
  const growth = peakRss - rssBefore;

  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.status, 200);
  t.equal(exchange.response?.truncated, false);
  t.equal(exchange.response?.body, undefined, 'nothing kept when a sink was opened');
  t.equal(exchange.response?.bytes, sentBytes);
  const realSha = sent.digest('hex');
  t.equal(exchange.response?.sha256, realSha, 'sha256 of every byte sent');
  t.equal(sink.sha256(), realSha, 'the sink got every byte, in order');
  t.equal(exchange.evidence.response?.bodySha256, realSha);
  t.equal(exchange.evidence.response?.bodyBytes, sentBytes);
  t.equal(exchange.evidence.response?.truncated, false);
  t.equal(exchange.evidence.response?.bodyExcerpt, blocks[0]?.subarray(0, 64).toString());
  t.equal(lines, Array.from({ length: blockCount }, (_, i) => linesPerBlock[i % 4] as number).reduce((a, b) => a + b, 0), 'every line split');
  t.ok(growth < 50 * MB, `rss grew ${(growth / MB).toFixed(1)} MB while streaming ${(sentBytes / MB).toFixed(0)} MB`);
  t.comment(`download + split: ${(sentBytes / MB / seconds).toFixed(0)} MB/s, ${(lines / seconds / 1e6).toFixed(2)} M lines/s on loopback; rss growth ${(growth / MB).toFixed(1)} MB`);
});

t.test('reading stops at maxBytes: truncated, connection dropped, hash of what was kept', async (t) => {
  const chunk = Buffer.alloc(64 * 1024, 'z');
  let closedByClient = false;
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    res.on('close', () => (closedByClient = !res.writableFinished));
    pump(res, () => chunk); // endless
  });
  const client = clientFor(t, server.origin);
  const maxBytes = 3 * MB + 123;
  const sink = hashingSink();
  const exchange = await client.download(get(`${server.origin}/endless`), () => sink, { maxBytes });
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, true);
  t.equal(exchange.response?.bytes, maxBytes);
  t.equal(sink.bytes, maxBytes, 'the sink got exactly maxBytes');
  const expected = createHash('sha256').update(Buffer.alloc(maxBytes, 'z')).digest('hex');
  t.equal(exchange.response?.sha256, expected);
  t.equal(sink.sha256(), expected);
  t.equal(exchange.evidence.response?.truncated, true);
  t.equal(exchange.evidence.response?.bodyBytes, maxBytes);
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.ok(closedByClient, 'the server saw the connection go');
});

t.test('a body exactly maxBytes long is complete', async (t) => {
  const server = await serve(t, (_req, res) => res.end(Buffer.alloc(1000, 'b')));
  const client = clientFor(t, server.origin);
  const exchange = await client.download(get(`${server.origin}/exact`), () => hashingSink(), { maxBytes: 1000 });
  t.equal(exchange.response?.truncated, false);
  t.equal(exchange.response?.bytes, 1000);
});

t.test('a stalled body ends at the idle timeout, naming the bytes that arrived', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    res.write(Buffer.alloc(1000, 'x')); // then nothing, never the end
  });
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 300 }));
  const sink = hashingSink();
  const started = performance.now();
  const exchange = await client.download(get(`${server.origin}/stall`), () => sink, { maxBytes: 10 * MB });
  const ms = performance.now() - started;
  t.same(errorOf(exchange), { code: 'timeout', message: 'response body stalled: no data for 0.3 s after 1000 bytes' });
  t.equal(exchange.evidence.transportError?.message, 'response body stalled: no data for 0.3 s after 1000 bytes');
  t.equal(exchange.response, undefined, 'no response: the file is incomplete');
  t.equal(exchange.evidence.response, undefined);
  t.equal(sink.bytes, 1000, 'the sink has what arrived');
  t.ok(ms >= 250 && ms < boundedBy(300), `stopped at the 300 ms idle bound, not when the server gave up (took ${Math.round(ms)} ms)`);
});

t.test('a body that keeps arriving may take longer than the request timeout', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    let sent = 0;
    const timer = setInterval(() => {
      res.write(Buffer.alloc(100, 's'));
      if (++sent === 12) {
        clearInterval(timer);
        res.end();
      }
    }, 100);
    res.on('close', () => clearInterval(timer));
  });
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 400 }));
  const started = performance.now();
  const exchange = await client.download(get(`${server.origin}/slow`), () => hashingSink(), { maxBytes: MB });
  const ms = performance.now() - started;
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.bytes, 1200);
  t.ok(ms > 1000, `took ${Math.round(ms)} ms, well past the 400 ms request timeout`);
});

t.test('headers that never come still time out at the request deadline', async (t) => {
  const server = await serve(t, () => undefined);
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 300 }));
  let opened = false;
  const exchange = await client.download(get(`${server.origin}/hang`), () => ((opened = true), hashingSink()), { maxBytes: MB });
  t.same(errorOf(exchange), { code: 'timeout', message: 'no response within 0.3 s' });
  t.notOk(opened, 'no sink opened without a response');
});

t.test('the caller signal is the overall bound: aborting mid-body names the bytes', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200);
    res.write(Buffer.alloc(5000, 'a'));
  });
  const client = clientFor(t, server.origin);
  const controller = new AbortController();
  const sink: BodySink = { write: () => setTimeout(() => controller.abort(), 50) };
  const exchange = await client.download(get(`${server.origin}/abort`), () => sink, { maxBytes: MB, signal: controller.signal });
  t.same(errorOf(exchange), { code: 'aborted', message: 'request aborted: the run was stopped after 5000 bytes of body' });
});

t.test('a gzip bomb is decoded only up to maxBytes, with memory bounded', async (t) => {
  // 100 gzip members of 10 MB of zeros: ~1 MB on the wire, 1 GB inflated.
  const member = gzipSync(Buffer.alloc(10 * MB), { level: 9 });
  const bomb = Buffer.concat(Array.from({ length: 100 }, () => member));
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip' });
    res.end(bomb);
  });
  const client = clientFor(t, server.origin);
  const sink = hashingSink();
  const rssBefore = process.memoryUsage().rss;
  const exchange = await client.download(get(`${server.origin}/bomb`), () => sink, { maxBytes: 4 * MB });
  const growth = process.memoryUsage().rss - rssBefore;
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, true);
  t.equal(exchange.response?.bytes, 4 * MB);
  t.equal(sink.bytes, 4 * MB);
  t.equal(exchange.response?.sha256, createHash('sha256').update(Buffer.alloc(4 * MB)).digest('hex'), 'hash of the decoded bytes');
  t.ok(growth < 100 * MB, `rss grew ${Math.round(growth / MB)} MB for a 1 GB bomb`);
});

t.test('a large gzip body streams with flat memory too', async (t) => {
  // The supplier runs in its own process so only the client's memory is measured. A decoder is
  // slower than loopback; pausing undici often made its socket buffer grow with the body (+150 MB here).
  const blocks = 1500;
  const supplier = spawn(process.execPath, ['--input-type=module', '-e', GZIP_SUPPLIER, String(blocks)], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => supplier.kill());
  const first = await createInterface({ input: supplier.stdout! })[Symbol.asyncIterator]().next();
  const [, origin, decodedBytes] = /^listening (\S+) (\d+)$/.exec(String(first.value)) ?? [];
  if (origin === undefined) throw new Error(`supplier did not start: ${String(first.value)}`);
  const client = clientFor(t, origin);
  const sink = hashingSink();
  const total = Number(decodedBytes);
  let peakRss = 0;
  let chunks = 0;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const exchange = await client.download(
    get(`${origin}/big.ndjson.gz`),
    () => ({
      write(chunk) {
        sink.write(chunk);
        if (++chunks % 256 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    }),
    { maxBytes: 2 * 1024 * MB },
  );
  const seconds = (performance.now() - started) / 1000;
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.bytes, total);
  t.equal(sink.bytes, total);
  const growth = peakRss - rssBefore;
  t.ok(growth < 80 * MB, `rss grew ${(growth / MB).toFixed(1)} MB while decoding ${(total / MB).toFixed(0)} MB of gzip`);
  t.comment(`gzip download: ${(total / MB / seconds).toFixed(0)} MB/s decoded`);
});

t.test('a gzip body is decoded; hash and count are of the decoded bytes', async (t) => {
  const text = Buffer.from(Array.from({ length: 50_000 }, (_, i) => `{"id":"E-${i}"}\n`).join(''));
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' });
    res.end(gzipSync(text));
  });
  const client = clientFor(t, server.origin);
  const sink = hashingSink();
  const exchange = await client.download(get(`${server.origin}/gz`), () => sink, { maxBytes: 100 * MB });
  t.equal(exchange.response?.bytes, text.length);
  t.equal(exchange.response?.sha256, createHash('sha256').update(text).digest('hex'));
  t.equal(sink.bytes, text.length);
  t.equal(exchange.evidence.response?.bodyExcerpt, text.subarray(0, 4096).toString());
});

t.test('a corrupt gzip body is a decode error after what decoded', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' });
    res.end('not gzip');
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.download(get(`${server.origin}/corrupt`), () => hashingSink(), { maxBytes: MB });
  t.equal(errorOf(exchange).code, 'decode');
  t.match(errorOf(exchange).message, /^corrupt gzip content encoding: /);
});

t.test('a same-origin redirect is followed; the sink sees the final response', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/export/1') res.writeHead(302, { Location: '/files/1.ndjson' }).end();
    else res.writeHead(200, { 'Content-Type': 'application/x-ndjson' }).end('{"id":"1"}\n');
  });
  const client = clientFor(t, server.origin);
  const heads: number[] = [];
  const sink = hashingSink();
  const exchange = await client.download(get(`${server.origin}/export/1`), (head) => (heads.push(head.status), sink), { maxBytes: MB });
  t.same(heads, [200], 'openSink is called once, for the final response');
  t.equal(sink.bytes, 11);
  t.same(exchange.evidence.redirects, [{ status: 302, from: `${server.origin}/export/1`, location: `${server.origin}/files/1.ndjson`, followed: true }]);
  t.equal(exchange.evidence.request.url, `${server.origin}/files/1.ndjson`);
});

t.test('a redirect to another origin is not followed, and that origin receives nothing', async (t) => {
  const other = await serve(t, (_req, res) => res.end('stolen'));
  const server = await serve(t, (_req, res) => res.writeHead(302, { Location: `${other.origin}/steal` }).end('moved'));
  const client = clientFor(t, server.origin);
  const heads: number[] = [];
  const exchange = await client.download(
    get(`${server.origin}/file`, { headers: { Authorization: 'Bearer do-not-leak' } }),
    (head) => {
      heads.push(head.status);
      return undefined; // not the file: read it as send() would
    },
    { maxBytes: MB },
  );
  t.equal(exchange.transportError, undefined);
  t.same(heads, [302], 'the 3xx is the final response');
  t.equal(exchange.response?.status, 302);
  t.equal(exchange.response?.body?.toString(), 'moved');
  t.same(exchange.evidence.redirects, [{ status: 302, from: `${server.origin}/file`, location: `${other.origin}/steal`, followed: false }]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(other.requests.length, 0, 'the other origin received no request');
  t.equal(exchange.evidence.request.headers['authorization'], 'Bearer [redacted]');
});

t.test('a connection reset mid-body is connection-reset naming the bytes; the sink has them', async (t) => {
  const server = await serve(t, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Content-Length': String(10 * MB) });
    res.write(Buffer.alloc(100_000, 'r'));
    setTimeout(() => req.socket.resetAndDestroy(), 100);
  });
  const client = clientFor(t, server.origin);
  const sink = hashingSink();
  const exchange = await client.download(get(`${server.origin}/reset`), () => sink, { maxBytes: 100 * MB });
  t.same(errorOf(exchange), { code: 'connection-reset', message: 'connection reset after 100000 bytes of body' });
  t.equal(exchange.response, undefined, 'no response: the file is incomplete');
  t.equal(sink.bytes, 100_000);
});

t.test('openSink returning undefined reads the body as send() does', async (t) => {
  const problem = JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such file '.repeat(500) });
  // A fixed Date: the two responses are compared whole, and a clock second may tick between them.
  const server = await serve(t, (_req, res) => res.writeHead(404, { 'Content-Type': 'application/problem+json', Date: 'Sun, 06 Dec 2026 00:00:00 GMT' }).end(problem));
  const limits = testLimits({ maxBodyBytes: 4000, evidenceBodyBytes: 100 });
  const client = clientFor(t, server.origin, limits);
  const downloaded = await client.download(get(`${server.origin}/missing`), () => undefined, { maxBytes: 100 * MB });
  const sent = await client.send(get(`${server.origin}/missing`));
  t.equal(downloaded.response?.status, 404);
  t.equal(downloaded.response?.headers['content-type'], 'application/problem+json');
  t.same(downloaded.response?.body, sent.response?.body, 'the same bytes');
  t.equal(downloaded.response?.body?.length, 4000, 'bounded by maxBodyBytes, not maxBytes');
  t.equal(downloaded.response?.truncated, true);
  t.equal(downloaded.response?.bytes, 4000);
  t.equal(downloaded.response?.sha256, createHash('sha256').update(Buffer.from(problem).subarray(0, 4000)).digest('hex'));
  t.same({ ...downloaded.evidence, durationMs: 0 }, { ...sent.evidence, durationMs: 0 }, 'the same evidence as send()');
});

t.test('secrets in the streamed body and the request are redacted in evidence', async (t) => {
  const token = 'tok_9f8e7d6c5b4a39281706';
  const server = await serve(t, (_req, res) => res.writeHead(200, { 'X-Echo': token }).end(`{"echo":"${token}"}\n${'x'.repeat(10_000)}`));
  const client = clientFor(t, server.origin, testLimits({ evidenceBodyBytes: 20 }), [token]);
  const exchange = await client.download(get(`${server.origin}/file?access_token=${token}`), () => hashingSink(), { maxBytes: MB });
  const written = JSON.stringify(exchange.evidence);
  t.notOk(written.includes('tok_9f8e'), 'no part of the token in evidence, even where the excerpt cuts it');
  t.equal(exchange.evidence.response?.bodyExcerpt, '{"echo":"[redacted]');
  t.equal(exchange.response?.headers['x-echo'], token, 'the caller still sees raw headers');
});

t.test('a sink that throws is a harness bug: download rejects and the connection is freed', async (t) => {
  let closed = false;
  const server = await serve(t, (_req, res) => {
    res.on('close', () => (closed = true));
    res.writeHead(200);
    pump(res, () => Buffer.alloc(64 * 1024));
  });
  const client = clientFor(t, server.origin);
  await t.rejects(
    client.download(get(`${server.origin}/x`), () => ({ write: () => { throw new Error('sink bug'); } }), { maxBytes: 100 * MB }),
    /sink bug/,
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.ok(closed, 'the connection was dropped');
});

t.test('a request off the target origin or a bad maxBytes is refused as a harness bug', async (t) => {
  const client = clientFor(t, 'http://127.0.0.1:1');
  await t.rejects(client.download(get('http://127.0.0.1:2/'), () => undefined, { maxBytes: 1 }), TypeError);
  await t.rejects(client.download(get('http://127.0.0.1:1/'), () => undefined, { maxBytes: -1 }), RangeError);
});
