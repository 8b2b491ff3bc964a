/**
 * Closing the service's app (what `serve` does on SIGTERM) ends although a
 * client holds a connection open without ever sending a request, and so does
 * closing the reference supplier: neither waits on a silent client forever.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { buildApp } from '../../harness/service/app.js';
import { openService } from '../../harness/service/open-service.js';
import { embeddedDataDir } from '../support/pglite-template.js';

/** A client that connects and then says nothing; resolves once connected. */
async function silentClient(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, closed };
}

/** close() or, if it never ends, a clear failure instead of tap's file timeout. */
async function closesAtAll(close: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 60_000)));
  try {
    return await Promise.race([close().then(() => true as const), hung]);
  } finally {
    clearTimeout(timer);
  }
}

t.test("the service's app closes with a silent client connected", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-app-close-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const service = await openService({ env: {}, dataDir: await embeddedDataDir(join(dir, 'data')), worker: false, note: () => {} });
  t.teardown(() => service.close());
  const app = await buildApp({ context: service.context, closeGraceMs: 200 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const client = await silentClient((app.server.address() as { port: number }).port);
  t.teardown(() => client.socket.destroy());
  const ended = await closesAtAll(() => app.close());
  t.ok(ended, 'app.close() ends');
  if (ended) {
    await client.closed;
    t.ok(client.socket.destroyed, "the silent client's connection was cut");
  }
});

t.test('the reference supplier closes with a silent client connected', async (t) => {
  const supplier = await startReferenceSupplier();
  const client = await silentClient(Number(new URL(supplier.url).port));
  t.teardown(() => client.socket.destroy());
  const ended = await closesAtAll(() => supplier.close());
  t.ok(ended, 'close() ends');
  if (ended) {
    await client.closed;
    t.ok(client.socket.destroyed, "the silent client's connection was cut");
  }
});
