/**
 * A required parameter named like a credential, which no security scheme
 * covers and nothing gave a value, is never invented: the request goes
 * without it. A refusal is then about the missing value, not the supplier.
 * Found with Prism on ExaVault's document (`ev-api-key`), which failed
 * status-code on every 422 "request header must have required property".
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const document = {
  openapi: '3.0.3',
  info: { title: 'exa', version: '1' },
  paths: {
    '/users': {
      get: {
        operationId: 'listUsers',
        parameters: [
          { name: 'ev-api-key', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          '200': { description: 'users', content: { 'application/json': { schema: { type: 'array' } } } },
          '401': { description: 'no such key' },
        },
      },
    },
  },
};

t.test('a request without a required credential-named header: a refusal warns, naming the --var that gives it', async (t) => {
  const app = Fastify();
  app.get('/users', async (request, reply) => {
    if (request.headers['ev-api-key'] === undefined) return reply.code(422).type('application/problem+json').send({ title: "request header must have required property 'ev-api-key'" });
    return [];
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  const status = report.results.find((r) => r.check === 'status-code')!;
  t.match(status, { status: 'warn', message: 'status 422 is not documented, but the request went without the required header ev-api-key, which is named like a credential and was given no value: pass --var ev-api-key=<value> to judge it' });
  t.notOk('ev-api-key' in status.evidence!.request.headers, 'not invented');
  t.match(report.coverage?.[0], { inputs: { 'header:ev-api-key': 'omitted' }, reason: "422 to a request without header ev-api-key, which the run had no value for", hint: '--var ev-api-key=<value>' });
  t.not(report.summary.verdict, 'non-conformant', 'no failure for a value the run did not have');

  const given = await run({ profile: `${dir}/openapi.json`, target, vars: { 'ev-api-key': 'key-omitted-7d2' } });
  t.equal(given.summary.verdict, 'conformant', 'with the --var, the operation is judged');
});

t.test('a key the request carries through --header (a header, or a Cookie header) is not "omitted": an undocumented refusal fails', async (t) => {
  // Reviews of this fix: a --header ev-api-key, then a --header Cookie with api_key, were still counted as missing.
  const placements: Array<{ parameter: { name: string; in: string }; headers: Record<string, string>; status: number; received: (h: Record<string, unknown>) => unknown }> = [
    { parameter: { name: 'ev-api-key', in: 'header' }, headers: { 'ev-api-key': 'real-key-123' }, status: 422, received: (h: Record<string, unknown>) => h['ev-api-key'] },
    { parameter: { name: 'api_key', in: 'cookie' }, headers: { Cookie: 'api_key=real-key-123' }, status: 400, received: (h: Record<string, unknown>) => h.cookie },
  ];
  for (const { parameter, headers, status, received } of placements) {
    const app = Fastify();
    const seen: unknown[] = [];
    // The supplier has the key and still answers an undocumented refusal: a real defect.
    app.get('/users', async (request, reply) => {
      seen.push(received(request.headers));
      return reply.code(status).send({ oops: true });
    });
    const target = await listen(t, app);
    const given = { ...document, paths: { '/users': { get: { ...document.paths['/users'].get, parameters: [{ ...parameter, required: true, schema: { type: 'string' } }] } } } };
    const dir = t.testdir({ 'openapi.json': JSON.stringify(given) });
    const report = await run({ profile: `${dir}/openapi.json`, target, headers });
    const result = report.results.find((r) => r.check === 'status-code')!;
    t.match(seen[0], /real-key-123$/, `${parameter.in}: the key was sent`);
    t.equal(result.status, 'fail', `${parameter.in}: an undocumented ${status} to a request that carried the key fails`);
    t.notMatch(result.message, /went without/, `${parameter.in}: the message does not claim the key was missing`);
  }
});
