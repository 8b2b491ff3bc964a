import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

const profile = join(import.meta.dirname, '..', 'documents', 'swagger2', 'swagger.json');

t.test('Swagger 2.0 is converted, said so, and probed like any other profile', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/api/stations', (_req, reply) => reply.header('x-total', '2').send([{ code: 'ALPHA', name: 'Alpha', opened: null }, { code: 'BRAVO', name: 'Bravo' }]));
  // The planted defect: `name` missing from the single-station response.
  app.get('/api/stations/:code', (_req, reply) => reply.send({ code: 'ALPHA' }));
  const target = await listen(t, app);
  const out = t.testdir();
  const outcome = await runCli(['run', '--profile', profile, '--target', `${target}/api`, '--out', out, '--quiet']);
  t.equal(outcome.code, 1);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  t.equal(report.profile.convertedFrom, 'swagger-2.0', 'the report says the profile was converted');
  t.match(report.profile.openapi, /^3\.0\./);
  const list = report.results.filter((r) => r.operationId === 'listStations');
  t.same(list.filter((r) => r.status === 'fail'), [], 'x-nullable and array root pass');
  const missingName = report.results.find((r) => r.operationId === 'getStation' && r.check === 'response-schema');
  t.equal(missingName?.status, 'fail');
  t.ok(missingName?.schemaErrors?.some((e) => e.keyword === 'required' && e.pointer === '/name'));
  t.match(missingName?.evidence?.request.url ?? '', /\/api\/stations\/ALPHA$/, 'x-example used for the path parameter');
});

t.test('Swagger 2.0: x-nullable beside a $ref allows null there, and only null beyond the reference', async (t) => {
  // Found by a helper: the converter drops every sibling of a $ref, x-nullable with them, so go-swagger's and NSwag's
  // `{$ref: User, x-nullable: true}` failed a null owner as "must be object", where OpenAPI 3.0's `nullable` beside a $ref passes.
  const swagger = {
    swagger: '2.0',
    info: { title: 'owners', version: '1' },
    produces: ['application/json'],
    paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', schema: { type: 'array', items: { $ref: '#/definitions/Thing' } } } } } } },
    definitions: {
      Thing: { type: 'object', required: ['owner'], properties: { owner: { $ref: '#/definitions/User', 'x-nullable': true, description: 'who owns it' } } },
      User: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    },
  };
  const judge = async (body: unknown) => {
    const app = Fastify({ logger: false });
    app.get('/things', async () => body);
    const target = await listen(t, app);
    const out = t.testdir({ 'swagger.json': JSON.stringify(swagger) });
    await runCli(['run', '--profile', join(out, 'swagger.json'), '--target', target, '--out', out, '--quiet', '--format', 'json']);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    return report.results.find((r) => r.check === 'response-schema')!;
  };
  t.equal((await judge([{ owner: null }, { owner: { id: 'u1' } }])).status, 'pass', 'null and a User pass');
  const wrong = await judge([{ owner: 5 }, { owner: {} }]);
  t.equal(wrong.status, 'fail');
  t.match(wrong.schemaErrors, [{ pointer: '/0/owner' }, { pointer: '/1/owner/id', keyword: 'required' }], 'a number is still no User, and a User still needs its id');
});
