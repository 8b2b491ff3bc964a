import type { Test } from 'tap';
import type { ExportTransport } from '../../harness/export/export-transport.js';
import { createHttpClient } from '../../harness/http/http-client.js';
import { createRedactor } from '../../harness/http/redactor.js';
import { testLimits } from '../http/test-server.js';

/**
 * An export transport over a real HTTP client for `origin`, closed when the
 * test ends: what the runner gives the export checks, without a run.
 */
export function exportTransportFor(t: Test, origin: string, overrides: Partial<ExportTransport['limits']> & { allowWrites?: boolean } = {}): ExportTransport {
  const client = createHttpClient({ targetUrl: origin, limits: testLimits(), redactor: createRedactor(['s3cret-token']) });
  t.teardown(() => client.close());
  const { allowWrites = false, ...limits } = overrides;
  return {
    target: new URL(origin),
    headers: { authorization: 'Bearer s3cret-token' },
    anonymousHeaders: {},
    limits: { exportWaitMs: 5_000, maxExportBytes: 64 * 1024 * 1024, maxPages: 100, maxBodyBytes: 1024 * 1024, ...limits },
    allowWrites,
    namedWrite: () => allowWrites,
    resolve: (path) => `${origin}${path}`,
    send: (request) => client.send(request),
    sendNamedWrite: (request) => client.send(request),
    download: (request, openSink) => client.download(request, openSink, { maxBytes: limits.maxExportBytes ?? 64 * 1024 * 1024 }),
  };
}
