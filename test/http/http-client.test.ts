import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { HttpExchange, HttpLimits, OutgoingRequest } from '../../harness/http/exchange-types.js';
import { createHttpClient, type HttpClient } from '../../harness/http/http-client.js';
import { createRedactor } from '../../harness/http/redactor.js';
import { clientFor, closedPort, get, serve, startServer, testLimits, type TestServer } from './test-server.js';
import { boundedBy } from '../support/bounds.js';

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** The transport error's stable part (its `cause` is internal). */
function errorOf(exchange: HttpExchange): { code: string; message: string } {
  if (!exchange.transportError) throw new Error(`expected a transport error, got status ${exchange.response?.status}`);
  return { code: exchange.transportError.code, message: exchange.transportError.message };
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

t.test('a normal JSON response comes back with evidence and a curl line', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('X-Multi', ['a', 'b']);
    res.end(JSON.stringify({ id: 'PER-1', name: 'Ada' }));
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/persons/PER-1?x=1`, { headers: { Accept: 'application/json' } }));

  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.status, 200);
  t.same(JSON.parse(exchange.response?.body.toString('utf8') ?? ''), { id: 'PER-1', name: 'Ada' });
  t.equal(exchange.response?.headers['content-type'], 'application/json');
  t.equal(exchange.response?.headers['x-multi'], 'a, b', 'repeated headers joined');
  t.equal(exchange.response?.truncated, false);

  const { evidence } = exchange;
  t.equal(evidence.request.method, 'GET');
  t.equal(evidence.request.url, `${server.origin}/persons/PER-1?x=1`);
  t.same(evidence.request.headers, { accept: 'application/json' }, 'request header names lower-cased');
  t.equal(evidence.response?.status, 200);
  t.equal(evidence.response?.bodyExcerpt, '{"id":"PER-1","name":"Ada"}');
  t.equal(evidence.response?.bodyBytes, 27);
  t.equal(evidence.response?.truncated, false);
  t.equal(evidence.redirects, undefined);
  t.ok(evidence.durationMs >= 0);
  t.equal(evidence.curl, `curl -H 'accept: application/json' '${server.origin}/persons/PER-1?x=1'`);

  t.equal(server.requests.length, 1);
  t.equal(server.requests[0]?.url, '/persons/PER-1?x=1');
  t.equal(server.requests[0]?.headers['accept-encoding'], undefined, 'no Accept-Encoding unless asked for');
});

t.test('a POST body is sent and appears in evidence', async (t) => {
  const server = await serve(t, (_req, res) => res.writeHead(201).end());
  const client = clientFor(t, server.origin);
  const exchange = await client.send({
    method: 'post',
    url: `${server.origin}/persons`,
    headers: { 'Content-Type': 'application/json' },
    body: '{"name":"Ada"}',
    followRedirects: false,
  });
  t.equal(exchange.response?.status, 201);
  t.equal(server.requests[0]?.body, '{"name":"Ada"}');
  t.equal(exchange.evidence.request.body, '{"name":"Ada"}');
  t.match(exchange.evidence.curl, /^curl -X 'POST' -H 'content-type: application\/json' --data-raw '\{"name":"Ada"\}' /);
});

t.test('response headers never sent: timeout at the deadline', async (t) => {
  const server = await serve(t, () => undefined);
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 300 }));
  const { value: exchange, ms } = await timed(() => client.send(get(`${server.origin}/hang`)));
  t.same(errorOf(exchange), { code: 'timeout', message: 'no response within 0.3 s' });
  t.equal(exchange.evidence.transportError?.message, 'no response within 0.3 s');
  t.equal(exchange.response, undefined);
  t.ok(ms >= 250 && ms < boundedBy(300), `stopped at the 300 ms bound, not when the server gave up (took ${Math.round(ms)} ms)`);
});

t.test('a body dripped one byte every 100 ms is stopped at the whole-request deadline', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const timer = setInterval(() => res.write('x'), 100);
    res.on('close', () => clearInterval(timer));
  });
  const client = clientFor(t, server.origin, testLimits({ requestTimeoutMs: 500 }));
  const { value: exchange, ms } = await timed(() => client.send(get(`${server.origin}/drip`)));
  const error = errorOf(exchange);
  t.equal(error.code, 'timeout');
  t.match(error.message, /^no response within 0\.5 s: headers arrived but the body was still incomplete \(\d+ bytes received\)$/);
  t.ok(ms >= 450 && ms < boundedBy(500), `stopped at the 500 ms bound, not when the drip ended (took ${Math.round(ms)} ms)`);
});

t.test('an endless body is cut at the limit, with memory bounded', async (t) => {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  const limit = 256 * 1024;
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: limit, evidenceBodyBytes: 16 }));
  const exchange = await client.send(get(`${server.origin}/endless`));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, true);
  t.equal(exchange.response?.body.length, limit);
  t.equal(exchange.evidence.response?.bodyBytes, limit);
  t.equal(exchange.evidence.response?.truncated, true);
  t.equal(exchange.evidence.response?.bodyExcerpt, 'a'.repeat(16));
});

t.test('a body exactly at the limit is complete, not truncated', async (t) => {
  const server = await serve(t, (_req, res) => res.end(Buffer.alloc(1000, 'b')));
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: 1000 }));
  const exchange = await client.send(get(`${server.origin}/exact`));
  t.equal(exchange.response?.body.length, 1000);
  t.equal(exchange.response?.truncated, false);
});

t.test('a gzip bomb stops at the limit on the inflated size', async (t) => {
  // 100 concatenated gzip members of 10 MB of zeros: ~1 MB on the wire, 1 GB inflated.
  const member = gzipSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 });
  const bomb = Buffer.concat(Array.from({ length: 100 }, () => member));
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    res.end(bomb);
  });
  const limit = 1024 * 1024;
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: limit }));
  const rssBefore = process.memoryUsage().rss;
  const exchange = await client.send(get(`${server.origin}/bomb`));
  const growth = process.memoryUsage().rss - rssBefore;
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, true);
  t.equal(exchange.response?.body.length, limit);
  t.ok(exchange.response?.body.every((b) => b === 0), 'inflated bytes are the zeros');
  t.ok(growth < 150 * 1024 * 1024, `memory stayed bounded (rss grew ${Math.round(growth / 1e6)} MB for a 1 GB bomb)`);
});

t.test('a brotli bomb stops at the limit too', async (t) => {
  const bomb = brotliCompressSync(Buffer.alloc(200 * 1024 * 1024), {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 },
  });
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'br' });
    res.end(bomb);
  });
  const limit = 1024 * 1024;
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: limit }));
  const exchange = await client.send(get(`${server.origin}/br-bomb`));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, true);
  t.equal(exchange.response?.body.length, limit);
  t.ok(bomb.length < 1024, `the bomb is tiny on the wire (${bomb.length} bytes)`);
});

t.test('gzip, x-gzip, deflate (zlib and raw) and br bodies are decoded', async (t) => {
  const text = JSON.stringify({ hello: 'world', list: [1, 2, 3] });
  const encoders: Record<string, (b: Buffer) => Buffer> = {
    gzip: (b) => gzipSync(b),
    'x-gzip': (b) => gzipSync(b),
    deflate: (b) => deflateSync(b),
    'deflate-raw': (b) => deflateRawSync(b),
    br: (b) => brotliCompressSync(b),
  };
  const server = await serve(t, (req, res) => {
    const name = (req.url ?? '/').slice(1);
    const encode = encoders[name] as (b: Buffer) => Buffer;
    res.writeHead(200, { 'Content-Encoding': name === 'deflate-raw' ? 'deflate' : name });
    res.end(encode(Buffer.from(text)));
  });
  const client = clientFor(t, server.origin);
  for (const name of Object.keys(encoders)) {
    const exchange = await client.send(get(`${server.origin}/${name}`));
    t.equal(exchange.response?.body.toString('utf8'), text, name);
    t.equal(exchange.evidence.response?.bodyExcerpt, text, `${name} excerpt is decoded`);
  }
});

t.test('a corrupt gzip body is a decode error', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' });
    res.end('this is not gzip at all');
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/corrupt`));
  const error = errorOf(exchange);
  t.equal(error.code, 'decode');
  t.match(error.message, /^corrupt gzip content encoding: /);
  t.equal(exchange.response, undefined);
});

t.test('an unknown content coding is a decode error, not garbage handed to checks', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'zstd' });
    res.end('whatever');
  });
  const client = clientFor(t, server.origin);
  const error = errorOf(await client.send(get(`${server.origin}/zstd`)));
  t.same(error, { code: 'decode', message: "unsupported Content-Encoding 'zstd'" });
});

t.test('an empty body announcing gzip is fine (e.g. HEAD or 204)', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(204, { 'Content-Encoding': 'gzip' });
    res.end();
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/empty`, { method: 'HEAD' }));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.status, 204);
  t.equal(exchange.response?.body.length, 0);
  t.match(exchange.evidence.curl, /^curl -I /);
});

t.test('a 1 MB response header is headers-too-large', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.setHeader('X-Big', 'a'.repeat(1024 * 1024));
    res.end('ok');
  });
  const client = clientFor(t, server.origin);
  const error = errorOf(await client.send(get(`${server.origin}/big-header`)));
  t.same(error, { code: 'headers-too-large', message: 'response headers larger than 16384 bytes' });
});

t.test('a connection reset mid-body is connection-reset with the bytes seen', async (t) => {
  const server = await serve(t, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
    res.write(Buffer.alloc(100, 'r'));
    setTimeout(() => req.socket.resetAndDestroy(), 100);
  });
  const client = clientFor(t, server.origin);
  const error = errorOf(await client.send(get(`${server.origin}/reset`)));
  t.equal(error.code, 'connection-reset');
  t.equal(error.message, 'connection reset after 100 bytes of body');
});

t.test('a connection closed before any response is connection-reset', async (t) => {
  const server = await serve(t, (req) => req.socket.destroy());
  const client = clientFor(t, server.origin);
  const error = errorOf(await client.send(get(`${server.origin}/close`)));
  t.equal(error.code, 'connection-reset');
  t.equal(error.message, `connection closed by 127.0.0.1:${server.port} before response headers`);
});

t.test('a refused port is connection-refused', async (t) => {
  const port = await closedPort();
  const origin = `http://127.0.0.1:${port}`;
  const client = clientFor(t, origin);
  const error = errorOf(await client.send(get(`${origin}/`)));
  t.same(error, { code: 'connection-refused', message: `connection refused by 127.0.0.1:${port}` });
});

t.test('a .invalid host fails DNS locally, without a query leaving the machine', async (t) => {
  const origin = 'http://vendor.invalid:4010';
  const client = clientFor(t, origin, testLimits({ requestTimeoutMs: 1000 }));
  const exchange = await client.send(get(`${origin}/persons`));
  // A resolver query would end in a timeout (no network here), not in a DNS error: the code says it was answered locally.
  t.same(errorOf(exchange), { code: 'dns', message: 'DNS lookup failed for vendor.invalid' });
});

t.test('a self-signed TLS certificate is a tls error', { skip: hasOpenssl() ? false : 'openssl is not available to make a certificate' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const server = createHttpsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (_req, res) => res.end('secret'),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = clientFor(t, origin);
  const error = errorOf(await client.send(get(`${origin}/`)));
  t.equal(error.code, 'tls');
  t.match(error.message, /^TLS handshake failed: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
});

t.test('a same-origin redirect is followed and recorded', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/old') res.writeHead(302, { Location: '/new?x=1' }).end('moved');
    else res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`at ${req.url}`);
  });
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/old`, { headers: { Authorization: 'Bearer same-origin-token' } }));
  t.equal(exchange.response?.status, 200);
  t.equal(exchange.response?.body.toString(), 'at /new?x=1');
  t.same(exchange.evidence.redirects, [
    { status: 302, from: `${server.origin}/old`, location: `${server.origin}/new?x=1`, followed: true },
  ]);
  t.equal(exchange.evidence.request.url, `${server.origin}/new?x=1`, 'evidence names the final request');
  t.equal(server.requests[1]?.headers['authorization'], 'Bearer same-origin-token', 'credentials kept on the same origin');
});

t.test('a 303 after POST becomes a GET without body; a 307 keeps method and body', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/submit') res.writeHead(303, { Location: '/result' }).end();
    else if (req.url === '/keep') res.writeHead(307, { Location: '/kept' }).end();
    else res.writeHead(200).end(req.method);
  });
  const client = clientFor(t, server.origin);
  const post = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' };
  const seeOther = await client.send(get(`${server.origin}/submit`, post));
  t.equal(seeOther.response?.body.toString(), 'GET');
  t.equal(server.requests[1]?.body, '');
  t.equal(server.requests[1]?.headers['content-type'], undefined, 'body headers dropped with the body');
  const temporary = await client.send(get(`${server.origin}/keep`, post));
  t.equal(temporary.response?.body.toString(), 'POST');
  t.equal(server.requests[3]?.body, '{"a":1}');
});

t.test('a QUERY keeps its method and body on 301 and 302, and becomes a GET on 303', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/moved') res.writeHead(301, { Location: '/search' }).end();
    else if (req.url === '/found') res.writeHead(302, { Location: '/search' }).end();
    else if (req.url === '/other') res.writeHead(303, { Location: '/search' }).end();
    else res.writeHead(200).end(req.method);
  });
  const client = clientFor(t, server.origin);
  const query = { method: 'QUERY', headers: { 'Content-Type': 'application/json' }, body: '{"name":"one"}' };
  for (const [path, method, body] of [['/moved', 'QUERY', '{"name":"one"}'], ['/found', 'QUERY', '{"name":"one"}'], ['/other', 'GET', '']] as const) {
    const exchange = await client.send(get(`${server.origin}${path}`, query));
    t.equal(exchange.response?.body.toString(), method, `${path}: ${method} at the new location`);
    t.equal(server.requests.at(-1)?.body, body, `${path}: ${body === '' ? 'no body' : 'the same body'}`);
  }
  // A write is never repeated elsewhere on a 301/302: it becomes a GET, as before.
  await client.send(get(`${server.origin}/moved`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
  t.equal(server.requests.at(-1)?.method, 'GET');
});

t.test('redirects are not followed when the request says so: the 3xx is the final response', async (t) => {
  const server = await serve(t, (_req, res) => res.writeHead(301, { Location: '/elsewhere' }).end('see elsewhere'));
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/documented-3xx`, { followRedirects: false }));
  t.equal(exchange.response?.status, 301);
  t.equal(exchange.response?.body.toString(), 'see elsewhere');
  t.same(exchange.evidence.redirects, [
    { status: 301, from: `${server.origin}/documented-3xx`, location: `${server.origin}/elsewhere`, followed: false },
  ]);
  t.equal(server.requests.length, 1);
});

t.test('a redirect loop is stopped', async (t) => {
  const server = await serve(t, (req, res) => {
    const next = req.url === '/a' ? '/b' : req.url === '/b' ? '/a' : '/self';
    res.writeHead(302, { Location: next }).end();
  });
  const client = clientFor(t, server.origin);
  const loop = await client.send(get(`${server.origin}/a`));
  t.equal(errorOf(loop).code, 'redirect-loop');
  t.match(errorOf(loop).message, /redirects back to .*\/a, already visited/);
  t.same(loop.evidence.redirects?.map((h) => h.followed), [true, false]);
  const self = await client.send(get(`${server.origin}/self`));
  t.equal(errorOf(self).code, 'redirect-loop');
  t.equal(server.requests.length, 3, 'each URL requested once');
});

t.test('too many redirects are stopped at maxRedirects', async (t) => {
  const server = await serve(t, (req, res) => {
    const n = Number((req.url ?? '/0').slice(1));
    res.writeHead(302, { Location: `/${n + 1}` }).end();
  });
  const client = clientFor(t, server.origin, testLimits({ maxRedirects: 3 }));
  const exchange = await client.send(get(`${server.origin}/0`));
  t.same(errorOf(exchange), { code: 'too-many-redirects', message: 'more than 3 redirects' });
  t.same(exchange.evidence.redirects?.map((h) => h.followed), [true, true, true, false]);
  t.equal(server.requests.length, 4);
});

t.test('a redirect to another origin is never followed and that origin receives nothing', async (t) => {
  const other = await serve(t, (_req, res) => res.end('stolen'));
  const server = await serve(t, (req, res) => {
    if (req.url === '/port') res.writeHead(302, { Location: `${other.origin}/steal` }).end();
    // Same port, other host name: still another origin.
    else res.writeHead(307, { Location: `http://localhost:${server.port}/steal` }).end();
  });
  const client = clientFor(t, server.origin);
  const headers = { Authorization: 'Bearer do-not-leak-me', 'X-Api-Key': 'key-do-not-leak' };
  const exchange = await client.send(get(`${server.origin}/port`, { headers }));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.status, 302, 'the 3xx is the final response');
  t.same(exchange.evidence.redirects, [
    { status: 302, from: `${server.origin}/port`, location: `${other.origin}/steal`, followed: false },
  ]);
  const host = await client.send(get(`${server.origin}/host`, { headers }));
  t.equal(host.response?.status, 307);
  t.equal(host.evidence.redirects?.[0]?.followed, false);
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(other.requests.length, 0, 'the second origin received no request');
  t.same(server.requests.map((r) => r.url), ['/port', '/host'], 'nothing was re-sent to localhost either');
});

t.test('a request URL off the target origin is refused as a harness bug', async (t) => {
  const client = clientFor(t, 'http://127.0.0.1:1');
  await t.rejects(client.send(get('http://127.0.0.1:2/')), TypeError);
});

t.test('secrets are redacted everywhere in evidence, but raw for checks', async (t) => {
  const token = 'tok_3f9a8b7c6d5e4f3a2b1c';
  const apiKey = 'apikey-0123456789abcdef';
  const server = await serve(t, (req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('X-Echo-Token', `echo ${token}`);
    res.setHeader('Set-Cookie', `session=${token}; HttpOnly`);
    res.setHeader('X-Request-Id', 'req-1');
    res.end(
      JSON.stringify({
        authorization: req.headers['authorization'],
        key: req.headers['x-api-key'],
        b64: Buffer.from(token).toString('base64'),
        url: encodeURIComponent(`https://x/?t=${token}`),
        path: req.url,
      }),
    );
  });
  // The API key is deliberately not listed as a secret: credentials in sensitive request headers are learned.
  const client = clientFor(t, server.origin, testLimits(), [token]);
  const exchange = await client.send(
    get(`${server.origin}/echo?access_token=${token}`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': apiKey, 'X-Trace': 'visible' },
    }),
  );
  t.equal(exchange.response?.status, 200);
  const written = JSON.stringify(exchange.evidence);
  for (const secret of [token, apiKey, Buffer.from(token).toString('base64'), 'tok_3f9a']) {
    t.notOk(written.includes(secret), `evidence does not contain ${secret.slice(0, 6)}…`);
  }
  t.equal(exchange.evidence.request.headers['authorization'], 'Bearer [redacted]');
  t.equal(exchange.evidence.request.headers['x-api-key'], '[redacted]');
  t.equal(exchange.evidence.request.headers['x-trace'], 'visible');
  t.equal(exchange.evidence.response?.headers['x-echo-token'], '[redacted]');
  t.equal(exchange.evidence.response?.headers['set-cookie'], '[redacted]');
  t.equal(exchange.evidence.response?.headers['x-request-id'], 'req-1');
  t.match(exchange.evidence.curl, /-H 'authorization: Bearer \[redacted\]'/);
  t.match(exchange.evidence.request.url, /access_token=\[redacted\]$/);
  t.equal(exchange.response?.headers['x-echo-token'], `echo ${token}`, 'checks still see raw values');
});

t.test('an aborted run signal ends the request as aborted', async (t) => {
  const server = await serve(t, () => undefined);
  const client = clientFor(t, server.origin);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const { value: exchange, ms } = await timed(() => client.send(get(`${server.origin}/hang`), controller.signal));
  t.equal(errorOf(exchange).code, 'aborted');
  t.ok(ms < boundedBy(100), `stopped at the abort, not when the server gave up (${Math.round(ms)} ms)`);
  const already = await client.send(get(`${server.origin}/never`), controller.signal);
  t.equal(errorOf(already).code, 'aborted');
  t.equal(server.requests.length, 1, 'an already-aborted signal sends nothing');
});

/** A server on loopback that answers each connection with raw bytes (`answer` is handed the socket); its origin. */
async function rawServer(t: Test, answer: (socket: import('node:net').Socket) => void): Promise<string> {
  const { createServer: createNetServer } = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    answer(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

t.test('a response that is not HTTP is a network error naming the parser failure', async (t) => {
  const origin = await rawServer(t, (socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
  const client = clientFor(t, origin);
  const error = errorOf(await client.send(get(`${origin}/`)));
  t.equal(error.code, 'network');
  t.match(error.message, /^invalid HTTP response from 127\.0\.0\.1:\d+: Response does not match the HTTP\/1\.1 protocol/);
});

t.test('a 101 to a request that asked for no upgrade is an invalid response, not an undici assertion', async (t) => {
  // Found with Prism, which answers 101 to a plain GET: the message quoted undici's `assert(upgrade)`.
  const origin = await rawServer(t, (socket) => socket.once('data', () => socket.write('HTTP/1.1 101 Switching Protocols\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}')));
  const client = clientFor(t, origin);
  const error = errorOf(await client.send(get(`${origin}/`)));
  t.equal(error.code, 'network');
  t.match(error.message, /^invalid HTTP response from 127\.0\.0\.1:\d+: 101 Switching Protocols to a request that asked for no upgrade/);
  t.notMatch(error.message, /assert/);
});

t.test('a 204 or 304 with a Content-Length ends at its headers: an empty body, not a connection cut short', async (t) => {
  // Found with Prism on peertube's and Bitbucket's documents: a 204 announcing 784 bytes made every check an error,
  // "connection closed after 0 bytes of body", and a 304 carrying its representation's length (RFC 9110 8.6) did too.
  for (const [status, reason] of [[204, 'No Content'], [304, 'Not Modified']] as const) {
    const origin = await rawServer(t, (socket) => socket.on('data', () => socket.write(`HTTP/1.1 ${status} ${reason}\r\nETag: "v1"\r\nContent-Length: 784\r\n\r\n`)));
    const client = clientFor(t, origin);
    const exchange = await client.send(get(`${origin}/`));
    t.equal(exchange.transportError, undefined, `${status}: ${exchange.transportError?.message}`);
    t.equal(exchange.response?.status, status);
    t.equal(exchange.response?.body.length, 0, `${status}: no body`);
    t.equal(exchange.response?.headers['content-length'], '784', `${status}: the header as it came`);
  }
  // Any other status announcing more than it sends is still cut short.
  const origin = await rawServer(t, (socket) => socket.on('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 784\r\n\r\n{}')));
  t.match(errorOf(await clientFor(t, origin).send(get(`${origin}/`))), { code: 'connection-reset', message: /after 2 bytes of body/ });
});

t.test('a request undici refuses to send is a transport error, not a crash', async (t) => {
  const server = await serve(t, (_req, res) => res.end());
  const client = clientFor(t, server.origin);
  const exchange = await client.send(get(`${server.origin}/`, { headers: { 'X-Injected': 'a\r\nX-Evil: 1' } }));
  t.equal(errorOf(exchange).code, 'network');
  t.match(errorOf(exchange).message, /^request not sent: /);
  t.equal(server.requests.length, 0);
});

t.test('closing the client ends requests in flight as aborted', async (t) => {
  const server = await serve(t, () => undefined);
  const client = createHttpClient({ targetUrl: server.origin, limits: testLimits(), redactor: createRedactor([]) });
  const pending = client.send(get(`${server.origin}/hang`));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await client.close();
  const exchange = await pending;
  t.same(errorOf(exchange), { code: 'aborted', message: 'request aborted: the HTTP client was closed' });
  await t.rejects(client.send(get(`${server.origin}/after`)), /after close/);
});

t.test('an endless compressed stream that inflates to nothing is stopped by the wire bound', async (t) => {
  const empty = gzipSync(Buffer.alloc(0));
  const block = Buffer.concat(Array.from({ length: 1000 }, () => empty));
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' });
    const pump = (): void => {
      while (!res.destroyed && res.write(block));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: 64 * 1024 }));
  const { value: exchange, ms } = await timed(() => client.send(get(`${server.origin}/empty-members`)));
  t.equal(exchange.transportError, undefined);
  t.equal(exchange.response?.truncated, true, 'incomplete: checks must not judge it');
  t.equal(exchange.response?.body.length, 0);
  t.ok(ms < boundedBy(0), `stopped at the body limit, not at the endless stream's end (${Math.round(ms)} ms)`);
});
