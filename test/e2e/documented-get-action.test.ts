/**
 * A documented GET whose `:action` sits after a parameter in the same segment (Google AIP
 * `/things/{id}:cancel`) or whose action segment comes before the id (NocoBase's
 * `/apiKeys:destroy/{filterByTk}`) is named as a change: a read-only run sent it with an id
 * harvested from a list, a record the run did not create, and so did `replay` (review of 62e6132).
 */
import t from 'tap';
import { replay, run } from '../../harness/index.js';
import { namedAsChange } from '../../harness/plan/named-change.js';
import { startServer } from '../http/test-server.js';

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'integer' } });
const document = {
  openapi: '3.0.3',
  info: { title: 'aip', version: '1' },
  paths: {
    '/things': { get: { responses: ok } },
    '/things/{thingId}:cancel': { get: { parameters: [idParam('thingId')], responses: ok } },
    '/apiKeys': { get: { responses: ok } },
    '/apiKeys:destroy/{apiKeyId}': { get: { parameters: [idParam('apiKeyId')], responses: ok } },
  },
};

t.test('an action after a `:` in any segment names a change', async (t) => {
  for (const path of ['/things/{thingId}:cancel', '/apiKeys:destroy/{apiKeyId}', '/v1/{name=projects/*/ops/*}:cancel']) {
    t.not(namedAsChange({ method: 'GET', path, operationId: 'x', syntheticId: true }), undefined, `${path} should be named as a change`);
  }
});

t.test('a read-only run and replay send no GET /things/7:cancel or GET /apiKeys:destroy/1', async (t) => {
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/things') return res.end(JSON.stringify({ data: [{ id: 7 }] }));
    if (req.url === '/apiKeys') return res.end(JSON.stringify({ data: [{ id: 1 }] }));
    res.end('{"done":true}');
  });
  t.teardown(server.close);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target: server.origin });
  const actions = server.requests.filter((r) => r.url.includes(':')).map((r) => `${r.method} ${r.url}`);
  t.same(actions, [], 'no action on a harvested (not the run\'s) record without --allow-writes');

  const before = server.requests.length;
  const ids = report.results.filter((r) => r.path.includes(':') && r.evidence).map((r) => r.id!);
  await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: ids });
  t.same(server.requests.slice(before).map((r) => `${r.method} ${r.url}`), [], 'replay without --allow-writes sends none either');
});

t.test('replay sends a recorded URL only on its operation\'s own path', async (t) => {
  // Third review: a report whose `GET /things` result records `/apiKeys:destroy/1` had it sent, unjudged by the name rules.
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.statusCode = req.url === '/things' ? 500 : 200;
    res.end('{"data":[]}');
  });
  t.teardown(server.close);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target: server.origin });
  const failed = report.results.find((r) => r.path === '/things' && r.method === 'GET' && r.status === 'fail')!;
  t.ok(failed, 'the run failed GET /things');
  const forged = structuredClone(report);
  const result = forged.results.find((r) => r.id === failed.id)!;
  result.evidence!.request.url = `${server.origin}/apiKeys:destroy/1`;
  const before = server.requests.length;
  const outcome = await replay({ report: forged, cwd: dir, profile: `${dir}/openapi.json`, resultIds: [failed.id!] });
  t.same(server.requests.slice(before).map((r) => r.url), [], 'nothing sent');
  t.match(outcome.replayed[0], { status: 'not-replayed', reason: /the recorded URL's path \/apiKeys:destroy\/1 is not one of GET \/things/ });
});

t.test('replay reads the recorded path as it would be sent: an action in a parameter\'s value is not sent', async (t) => {
  // Fourth review: `[^/]*` took `7:cancel`, `7;delete` and `7%2F..%2F..%2FapiKeys:destroy%2F1` for a thing's id.
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.statusCode = req.url === '/things' ? 200 : 500;
    res.end(req.url === '/things' ? '{"data":[{"id":7}]}' : '{}');
  });
  t.teardown(server.close);
  const plain = { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/things': { get: { responses: ok } }, '/things/{thingId}': { get: { parameters: [idParam('thingId')], responses: ok } } } };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(plain) });
  const report = await run({ profile: `${dir}/openapi.json`, target: server.origin });
  const failed = report.results.find((r) => r.path === '/things/{thingId}' && r.status === 'fail')!;
  t.ok(failed, 'the run failed GET /things/7');
  for (const forgedPath of ['/things/7:cancel', '/things/7;delete', '/things/7%2F..%2F..%2FapiKeys:destroy%2F1']) {
    const forged = structuredClone(report);
    forged.results.find((r) => r.id === failed.id)!.evidence!.request.url = `${server.origin}${forgedPath}`;
    const before = server.requests.length;
    const outcome = await replay({ report: forged, cwd: dir, profile: `${dir}/openapi.json`, resultIds: [failed.id!] });
    t.same(server.requests.slice(before).map((r) => r.url), [], `${forgedPath}: nothing sent`);
    t.match(outcome.replayed[0], { status: 'not-replayed', reason: /carries (":"|";"|an encoded "\/") in a parameter's value, where a server may read an action or another path/ }, forgedPath);
  }
});

t.test('replay judges the operation, not its concrete path: reads the run sent are sent again', async (t) => {
  // Fifth review: judging `/post/7` and a `/sync/api` base path by the name rules refused reads the run had sent.
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.statusCode = 500;
    res.end(req.url?.endsWith('/post') ? '{"data":[{"id":7}]}' : '{}');
  });
  t.teardown(server.close);
  const blog = { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/post': { get: { responses: ok } }, '/post/{postId}': { get: { parameters: [idParam('postId')], responses: ok } } } };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(blog) });
  const report = await run({ profile: `${dir}/openapi.json`, target: `${server.origin}/sync/api` });
  const failed = report.results.filter((r) => r.status === 'fail' && r.check === 'server-error');
  t.ok(failed.length >= 1);
  const before = server.requests.length;
  const outcome = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: failed.map((r) => r.id!) });
  t.equal(outcome.replayed.length, failed.length, 'each result was replayed');
  t.ok(outcome.replayed.every((r) => r.status !== 'not-replayed'), JSON.stringify(outcome.replayed.map((r) => r.reason)));
  t.ok(server.requests.length > before, 'sent again');
});

t.test('replay sends no read whose action parameter names a change', async (t) => {
  // Fifth review: a recorded `GET /index.php?method=SitesManager.deleteSite&idSite=1` was sent again, read-only.
  const server = await startServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.statusCode = 500;
    res.end('{}');
  });
  t.teardown(server.close);
  const rpc = { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/index.php': { get: { parameters: [{ name: 'method', in: 'query', required: true, schema: { type: 'string' }, example: 'SitesManager.getSites' }], responses: ok } } } };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(rpc) });
  const report = await run({ profile: `${dir}/openapi.json`, target: server.origin });
  const failed = report.results.find((r) => r.status === 'fail')!;
  const forged = structuredClone(report);
  forged.results.find((r) => r.id === failed.id)!.evidence!.request.url = `${server.origin}/index.php?method=SitesManager.deleteSite&idSite=1`;
  const before = server.requests.length;
  const outcome = await replay({ report: forged, cwd: dir, profile: `${dir}/openapi.json`, resultIds: [failed.id!] });
  t.equal(server.requests.length, before, 'nothing sent');
  t.match(outcome.replayed[0], { status: 'not-replayed', reason: /its query parameter method is "SitesManager.deleteSite", which names a change/ });
});
