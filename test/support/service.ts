import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { buildApp, type ServicePlugin } from '../../harness/service/app.js';
import { openService, type OpenService } from '../../harness/service/open-service.js';
import { bounded } from './bounded-teardown.js';
import { listen } from './listen.js';
import { embeddedDataDir } from './pglite-template.js';

export interface TestService {
  url: string;
  /** The bootstrap admin's API token. */
  adminToken: string;
  service: OpenService;
  /** Lines the service noted (stderr in `serve`). */
  notes: string[];
}

/**
 * The service on 127.0.0.1 port 0 with a bootstrap admin: embedded in a fresh
 * temporary data folder, or on `databaseUrl`. Closed when the test ends.
 *
 * @example
 *   const { url, adminToken } = await startTestService(t, { worker: true });
 */
export async function startTestService(
  t: Test,
  options: { databaseUrl?: string; dataDir?: string; worker?: boolean | { concurrency?: number; heartbeatSeconds?: number; staleSeconds?: number }; env?: NodeJS.ProcessEnv; plugins?: ServicePlugin[]; logServerError?: (line: string) => void } = {},
): Promise<TestService> {
  const adminToken = `ci-${randomBytes(16).toString('hex')}`;
  let dataDir = options.dataDir;
  if (!options.databaseUrl && !dataDir) {
    const dir = mkdtempSync(join(tmpdir(), 'interop-service-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    dataDir = await embeddedDataDir(join(dir, 'data'));
  }
  const notes: string[] = [];
  const env: NodeJS.ProcessEnv = { INTEROP_BOOTSTRAP_TOKEN: adminToken, ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl, INTEROP_SECRET_KEY: TEST_SECRET_KEY } : {}), ...options.env };
  const service = await openService({ env, ...(dataDir ? { dataDir } : {}), worker: options.worker ?? true, note: (line) => notes.push(line) });
  const app = await buildApp({ context: service.context, plugins: options.plugins ?? [], ...(options.logServerError ? { logServerError: options.logServerError } : {}) });
  // Teardowns run in reverse: the app closes before the service under it.
  t.teardown(bounded('the service (worker, queue, database) to close', () => service.close()));
  const url = await listen(t, app);
  return { url, adminToken, service, notes };
}

/** A fixed key for services on a test PostgreSQL (every process of one test must share it). */
export const TEST_SECRET_KEY = 'a'.repeat(64);

/** A small JSON client for the API. */
export function apiClient(base: string, token: string) {
  return async function call(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; body: any; text: string }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, type, text, body: type.includes('json') && text !== '' ? JSON.parse(text) : text };
  };
}

/** Polls a run until it is finished or failed. */
export async function waitForRun(call: ReturnType<typeof apiClient>, runId: string, limitMs = 240_000): Promise<any> {
  const until = Date.now() + limitMs;
  for (;;) {
    const { body } = await call('GET', `/api/runs/${runId}`);
    if (body.status === 'finished' || body.status === 'failed') return body;
    if (Date.now() > until) throw new Error(`run ${runId} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
