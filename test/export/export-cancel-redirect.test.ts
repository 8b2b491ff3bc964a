/**
 * export-cancel reads the status URL without following a redirect (fifth review of c9ec0f7):
 * the DELETE goes to the Content-Location itself, so that URL must answer as a status. One naming a record
 * (`/v1/persons/1`) that redirects to a URL answering 202 would otherwise have the record
 * deleted, in a read-only run.
 */
import t from 'tap';
import { createExportSession } from '../../harness/export/export-session.js';
import { exportTransportFor } from '../support/export-transport.js';
import { startServer } from '../http/test-server.js';

t.test('the DELETE goes to a Content-Location that only redirected to a status', async (t) => {
  const server = await startServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (path === '/v1/$export') { res.statusCode = 202; res.setHeader('content-location', '/v1/persons/1'); return res.end(); }
    if (path === '/v1/persons/1' && req.method === 'GET') { res.statusCode = 302; res.setHeader('location', '/v1/status/9'); return res.end(); }
    if (path === '/v1/status/9') { res.statusCode = 202; return res.end(); }
    res.statusCode = 204; res.end();
  });
  t.teardown(server.close);
  const spec = { kickoff: '/v1/$export', types: [{ name: 'person' }] } as never;
  const session = createExportSession({ spec, document: {}, validators: {} as never, transport: exportTransportFor(t, server.origin), checks: new Set(['export-cancel']) });
  t.teardown(() => session.close());
  await session.cancel();
  t.same(server.requests.filter((r) => r.method === 'DELETE').map((r) => `${r.method} ${r.url}`), [], 'no DELETE of /v1/persons/1 in a read-only run');
});
