/**
 * RPC APIs take the action in a query parameter (`GET /api?action=delete&id=1`, Matomo's
 * `?method=SitesManager.deleteSite`, Piwigo's `ws.php?method=pwg.categories.delete`). A
 * read-only `--negative` run sent every enum value of a query parameter as a valid value
 * (positive-data-acceptance), `action=delete` with the run's credentials (third review).
 */
import t from 'tap';
import { run } from '../../harness/index.js';
import { startServer } from '../http/test-server.js';

t.test('read-only --negative: no ?action=delete', async (t) => {
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  });
  t.teardown(server.close);
  const document = {
    openapi: '3.0.3',
    info: { title: 'rpc', version: '1' },
    paths: {
      '/api': {
        get: {
          operationId: 'callApi',
          parameters: [
            { name: 'action', in: 'query', required: true, schema: { type: 'string', enum: ['list', 'delete', 'deleteAll'] }, example: 'list' },
            { name: 'id', in: 'query', schema: { type: 'integer' }, example: 1 },
          ],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  await run({ profile: `${dir}/openapi.json`, target: server.origin, negative: { seed: 1, maxPerOperation: 20 } });
  const sent = server.requests.map((r) => `${r.method} ${r.url}`).filter((l) => /action=delete/.test(l));
  t.same(sent, [], 'no delete action');
  t.ok(server.requests.some((r) => r.url.includes('action=list')), 'the read was sent');
});
