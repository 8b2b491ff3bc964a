import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpLimits } from '../../harness/http/exchange-types.js';

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
