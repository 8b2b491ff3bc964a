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

// Fourth review: the valid probe itself took an enum's first value, an example or a default unjudged.
for (const [label, param] of [
  ['an enum\'s first value', { name: 'action', in: 'query', required: true, schema: { type: 'string', enum: ['delete', 'list'] } }],
  ['an example', { name: 'method', in: 'query', required: true, schema: { type: 'string' }, example: 'SitesManager.deleteSite' }],
  ['a default', { name: 'method', in: 'query', required: true, schema: { type: 'string', default: 'pwg.categories.delete' } }],
] as const) {
  t.test(`read-only: the read is not sent when its action parameter names a change (${label})`, async (t) => {
    const server = await startServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    t.teardown(server.close);
    const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
    const document = { openapi: '3.0.3', info: { title: 'rpc', version: '1' }, paths: { '/api': { get: { operationId: 'callApi', parameters: [param], responses: ok } }, '/health': { get: { operationId: 'health', responses: ok } } } };
    const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
    const report = await run({ profile: `${dir}/openapi.json`, target: server.origin, negative: { seed: 1, maxPerOperation: 20 } });
    t.same(server.requests.map((r) => `${r.method} ${r.url}`).filter((l) => /[dD]elete/.test(l)), [], 'no delete sent');
    t.match(report.results.find((r) => r.operationId === 'callApi'), { status: 'skip', message: new RegExp(`its query parameter ${param.name} is ".*[dD]elete.*", which names a change`) });
  });
}
