/**
 * An operation the document marks `security: []` gets no credentials, whatever the run was given
 * (NocoBase's `GET /auth:check`). No message sends a user who passed --token-env after it: not
 * status-code's (each branch), the coverage gap's, or the run's caveat (review of 22bd074).
 */
import t, { type Test } from 'tap';
import { loadProfile, run } from '../../harness/index.js';
import { startServer } from '../http/test-server.js';

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
const document = {
  openapi: '3.0.3',
  info: { title: 'nocobase', version: '1' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  security: [{ bearer: [] }],
  paths: {
    '/auth:check': { get: { security: [], responses: ok } },
    // A required query value the harness must make up: the status-code check takes another branch.
    '/auth:lookup': { get: { security: [], parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }], responses: ok } },
    '/notes': { get: { responses: ok } },
  },
};

/** A server that answers 401 under `/auth:` (whatever it is sent) and an empty list elsewhere. */
async function refusingAuth(t: Test) {
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/auth:')) {
      res.statusCode = 401;
      return res.end('{"error":"no"}');
    }
    res.end('{"data":[]}');
  });
  t.teardown(server.close);
  return server;
}

t.test('messages for a 401 to an exempt operation, with --token-env given', async (t) => {
  const server = await refusingAuth(t);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target: server.origin, token: 'tok-abcdef-123456' });
  const statusCode = report.results.filter((r) => r.check === 'status-code' && r.path.startsWith('/auth:')).map((r) => `${r.path}: ${r.message}`);
  t.equal(statusCode.length, 2);
  for (const line of statusCode) {
    t.notMatch(line, /pass --token-env/, `status-code: ${line.slice(0, 60)}`);
    t.match(line, /security: \[\]/, 'and says why none were sent');
  }
  const coverage = JSON.stringify((report as unknown as { coverage?: unknown[] }).coverage?.filter((c) => JSON.stringify(c).includes('/auth:')));
  t.notMatch(coverage, /--token-env/, 'coverage gap hint does not send the user after --token-env');
  t.match(coverage, /the document marks the operation `security: \[\]`, so no credentials went to it/);
});

t.test('Swagger 2.0: operation-level security: [] is exempt after conversion', async (t) => {
  const swagger = {
    swagger: '2.0', info: { title: 's', version: '1' },
    securityDefinitions: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
    security: [{ key: [] }],
    paths: { '/auth:check': { get: { security: [], responses: { '200': { description: 'ok' } } } }, '/open': { get: { responses: { '200': { description: 'ok' } } } } },
  };
  const dir = t.testdir({ 'swagger.json': JSON.stringify(swagger) });
  const profile = await loadProfile(`${dir}/swagger.json`);
  const byPath = Object.fromEntries(profile.operations.map((o) => [o.path, o]));
  t.equal(byPath['/auth:check']?.securityExempt, true);
  t.equal(byPath['/open']?.securityExempt, undefined);
});

t.test('run-level hint when the 401s are all to exempt operations', async (t) => {
  const server = await refusingAuth(t);
  const doc = structuredClone(document) as typeof document & { paths: Record<string, unknown> };
  for (const n of ['a', 'b', 'c', 'd']) doc.paths[`/auth:${n}`] = { get: { security: [], responses: ok } };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(doc) });
  const report = await run({ profile: `${dir}/openapi.json`, target: server.origin, token: 'tok-abcdef-123456' });
  const text = JSON.stringify(report.summary);
  t.notMatch(text, /no credentials were sent: pass/, 'summary does not tell a user who passed --token-env to pass it');
  t.match(text, /no credentials were sent: the document marks every operation refused `security: \[\]`/, 'it says why none were sent');
});
