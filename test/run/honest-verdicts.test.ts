/**
 * Verdicts that say what was really seen: real servers on 127.0.0.1 that
 * refuse every request, die half-way, serve a web app's fallback page for
 * every path, or fail with 500. None of them may read as conformant, and a
 * 5xx is one failure, not two.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { run } from '../../harness/index.js';
import { runCli } from '../support/run-cli.js';

/** A plain OpenAPI document (generic mode) of `count` GET operations, each documenting 200 JSON and 401. */
function document(count: number, options: { pathParameter?: boolean } = {}): string {
  const paths: Record<string, unknown> = {};
  for (let i = 1; i <= count; i++) {
    paths[`/things${i}`] = {
      get: {
        operationId: `getThings${i}`,
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/thingList' } } } },
          '401': { description: 'no credentials' },
        },
      },
    };
  }
  if (options.pathParameter) {
    paths['/things1/{thingId}'] = {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' }, example: 'example-id' }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '404': { description: 'none' } },
      },
    };
  }
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'things', version: '1.0.0' },
    paths,
    components: { schemas: { thingList: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } } },
  });
}

async function serve(t: Test, handler: (req: IncomingMessage, res: ServerResponse, server: Server) => void): Promise<string> {
  const server: Server = createServer((req, res) => handler(req, res, server));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** The document in this test's folder; reports go to `out/` beside it (one testdir per test). */
function profileFile(t: Test, text: string): string {
  return join(t.testdir({ 'openapi.json': text, out: {} }), 'openapi.json');
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

t.test('a target that answers 401 to everything is inconclusive: "credentials missing or rejected"', async (t) => {
  const target = await serve(t, (_req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Bearer' });
    res.end();
  });
  const profile = profileFile(t, document(4));
  const report = await run({ profile, target });
  t.equal(report.summary.verdict, 'inconclusive', 'never conformant, though every 401 is documented');
  t.equal(report.summary.caveats?.[0]?.code, 'credentials-rejected');
  t.match(report.summary.caveats?.[0]?.message, /^credentials missing or rejected: 4 of 4 responses were 401 or 403/);
  t.match(report.summary.caveats?.[0]?.hint, /no credentials were sent: pass --token-env/);
  t.ok(report.summary.caveats?.some((c) => c.code === 'no-success-response'), 'and no probe reached a documented success response');
  t.same(report.summary.coverage && { ...report.summary.coverage, notReached: report.summary.coverage.notReached.length }, { operations: 4, sent: 4, successValidated: 0, notReached: 4 });
  t.match(report.summary.coverage?.notReached[0], { reason: '401: credentials missing', hint: /--token-env/ });

  const cli = await runCli(['run', '--profile', profile, '--target', target, '--out', join(profile, '..', 'out'), '--format', 'json', '--no-color']);
  t.equal(cli.code, 1, 'exit 1: CI does not go green on a run that saw nothing', { stderr: cli.stderr });
  t.match(cli.stdout, /verdict: +INCONCLUSIVE \(credentials missing or rejected: 4 of 4 responses were 401 or 403\)/);
  t.match(cli.stdout, /coverage: success responses validated for 0 of 4 operations \(4 sent\)/);
  t.match(cli.stdout, /not reached, 401: credentials missing \(4\): GET \/things1, GET \/things2, GET \/things3 and 1 more; hint: --token-env VAR/);
});

t.test('a 401 or 403 to a request that carried credentials is an error, never a pass', async (t) => {
  const target = await serve(t, (req, res) => {
    if (req.url === '/things1') return json(res, 200, { items: [] });
    res.writeHead(req.url === '/things2' ? 401 : 403, { 'www-authenticate': 'Bearer' });
    res.end();
  });
  const report = await run({ profile: profileFile(t, document(3)), target, headers: { authorization: 'Bearer expired-token' } });
  const statusCode = (operationId: string) => report.results.find((r) => r.check === 'status-code' && r.operationId === operationId);
  t.equal(statusCode('getThings1')?.status, 'pass');
  t.equal(statusCode('getThings2')?.status, 'error', 'a documented 401 to credentials is no evidence');
  t.match(statusCode('getThings2')?.message, /answered 401 to a request that carried credentials/);
  t.equal(statusCode('getThings3')?.status, 'error', 'an undocumented 403 to credentials is not a failure of the document either');
  t.equal(report.summary.verdict, 'inconclusive');
  t.match(report.summary.caveats?.[0], { code: 'credentials-rejected', hint: /the credentials sent were refused/ });
});

t.test('a target that stops answering half-way: "from probe N", inconclusive; a failure before it stands', async (t) => {
  for (const broken of [false, true]) {
    let served = 0;
    const target = await serve(t, (_req, res, server) => {
      served += 1;
      // The third probe gets a body that breaks the schema when `broken`; then the server goes away.
      json(res, 200, broken && served === 3 ? { items: 'not an array' } : { items: [] });
      if (served === 3) {
        server.close();
        server.closeAllConnections();
      }
    });
    const report = await run({ profile: profileFile(t, document(8)), target, limits: { concurrency: 1 } });
    t.match(report.summary.targetLost, { fromProbe: 4, cause: 'stopped-answering' }, `${broken ? 'with' : 'without'} an earlier failure: lost from probe 4`);
    t.match(report.summary.caveats?.[0]?.message, /^from probe 4 the target stopped answering/);
    t.equal(report.summary.verdict, broken ? 'non-conformant' : 'inconclusive', broken ? 'the schema failure before the loss stands' : 'nothing failed before the loss');
    t.equal(report.summary.coverage?.successValidated, broken ? 2 : 3);
  }
});

t.test('a web app that answers 200 text/html to every path: inconclusive, and BASE-01/02 are never verified', async (t) => {
  const target = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><body><div id="app"></div></body></html>');
  });
  const report = await run({ profile: 'baseline', target });
  t.equal(report.summary.verdict, 'inconclusive', 'not non-conformant for content types of a page that is not the API');
  t.equal(report.summary.caveats?.[0]?.code, 'not-served');
  t.match(report.summary.caveats?.[0]?.message, /^the target does not serve the paths of this profile: \d+ of \d+ probes answered 404 or an HTML page \(\d+ HTML/);
  for (const id of ['BASE-01', 'BASE-02']) {
    const entry = report.claims?.entries.find((e) => e.requirement === id);
    t.not(entry?.status, 'verified', `${id} is not verified by an HTML fallback page`);
  }
  t.equal(report.summary.coverage?.successValidated, 0);
  t.match(report.summary.coverage?.notReached[0]?.reason, /HTML page/);
});

t.test('a target that fails with 500: exactly one failure per 5xx, by server-error', async (t) => {
  const target = await serve(t, (_req, res) => json(res, 500, { error: 'boom' }));
  const report = await run({ profile: profileFile(t, document(3)), target });
  t.equal(report.summary.verdict, 'non-conformant');
  const failures = report.results.filter((r) => r.status === 'fail');
  t.equal(failures.length, 3, 'one failure per probe');
  t.ok(failures.every((r) => r.check === 'server-error'), 'each from server-error');
  const statusCode = report.results.filter((r) => r.check === 'status-code');
  t.ok(statusCode.every((r) => r.status === 'skip' && /reported by server-error/.test(r.message)), 'status-code leaves the 5xx to server-error');
});

t.test('coverage: every operation records what was sent, what validated and where inputs came from', async (t) => {
  const target = await serve(t, (req, res) => {
    if (req.url === '/things1') return json(res, 200, { items: [] });
    if (req.url === '/things2') return json(res, 200, { items: 'wrong' });
    json(res, 404, {});
  });
  const profile = profileFile(t, document(2, { pathParameter: true }));
  const out = join(profile, '..', 'out');
  const cli = await runCli(['run', '--profile', profile, '--target', target, '--out', out, '--format', 'json,md,html', '--no-color']);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  t.same(report.summary.coverage.operations, 3);
  t.same(report.summary.coverage.sent, 3);
  t.same(report.summary.coverage.successValidated, 1, 'only /things1: /things2 answered 200 but failed its schema');
  const byId = Object.fromEntries(report.coverage.map((c: { operationId: string }) => [c.operationId, c]));
  t.match(byId.getThings1, { sent: true, answers: [200], successValidated: true });
  t.match(byId.getThings2, { sent: true, answers: [200], successSeen: true, successValidated: false, reason: '200 did not validate (response-schema)' });
  t.match(byId.getThing, { answers: [404], successValidated: false, inputs: { 'path:thingId': 'example' }, reason: '404 with a placeholder value ({thingId} from example)', hint: '--var thingId=<value>' });
  t.match(cli.stdout, /coverage: success responses validated for 1 of 3 operations \(3 sent\)/);
  t.match(cli.stdout, /not reached, 404 with a placeholder value \(1\): GET \/things1\/\{thingId\} \(--var thingId=<value>\)/);
  t.match(readFileSync(join(out, 'report.md'), 'utf8'), /\| Coverage \| success responses validated for 1 of 3 operations \(3 sent\) \|/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  t.match(html, /success responses validated for 1 of 3 operations/);
  t.ok(html.indexOf('id="failures"') < html.indexOf('id="summary"'), 'failures come straight after the verdict');
  t.match(html, /Generic mode: every result counts as MUST/);
  t.notMatch(html, /Not assessed/, 'no empty Charter sections in generic mode');
  // The schema failure names the component schema and keeps the pointer as detail.
  const schemaFailure = report.results.find((r: { check: string; status: string }) => r.check === 'response-schema' && r.status === 'fail');
  t.match(schemaFailure.message, /^body does not match schema thingList: \/items must be array/);
  t.match(schemaFailure.schemaErrors[0], { schema: 'thingList', schemaPath: '/components/schemas/thingList/properties/items/type' });
});
