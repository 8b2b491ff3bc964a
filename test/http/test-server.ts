import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import type { HttpLimits, OutgoingRequest } from '../../harness/http/exchange-types.js';
import { createHttpClient, type HttpClient } from '../../harness/http/http-client.js';
import { createRedactor } from '../../harness/http/redactor.js';

/** What a test server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server on port 0 whose handler can misbehave at will.
 *
 * @example
 *   const server = await startServer((req, res) => res.end('ok'));
 *   t.teardown(server.close);
 */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void,
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    // Clients hang up on hostile responses on purpose: that must not crash the test process.
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      handler(req, res, seen);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Limits small enough to keep hostile-server tests fast. */
export function testLimits(overrides: Partial<HttpLimits> = {}): HttpLimits {
  return {
    requestTimeoutMs: 2000,
    maxBodyBytes: 1024 * 1024,
    maxHeaderBytes: 16 * 1024,
    maxRedirects: 5,
    evidenceBodyBytes: 4096,
    maxRetryWaitMs: 1000,
    ...overrides,
  };
}

/** A GET the client follows redirects for. @example client.send(get(`${server.origin}/x`)) */
export function get(url: string, extra: Partial<OutgoingRequest> = {}): OutgoingRequest {
  return { method: 'GET', url, headers: {}, followRedirects: true, ...extra };
}

/** A client for `targetUrl`, closed when the test ends. */
export function clientFor(t: Test, targetUrl: string, limits: HttpLimits = testLimits(), secrets: string[] = []): HttpClient {
  const client = createHttpClient({ targetUrl, limits, redactor: createRedactor(secrets) });
  t.teardown(() => client.close());
  return client;
}

/** A loopback server closed when the test ends. */
export async function serve(t: Test, handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  t.teardown(() => server.close());
  return server;
}
