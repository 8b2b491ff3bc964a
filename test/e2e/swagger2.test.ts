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
