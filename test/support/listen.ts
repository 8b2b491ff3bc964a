import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { bounded } from './bounded-teardown.js';

/** Listen on an ephemeral loopback port and close when the test ends. */
export async function listen(t: Test, app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(bounded('the app to close', () => app.close(), { force: () => app.server.closeAllConnections() }));
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
