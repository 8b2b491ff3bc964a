import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';
import { createOas30TrapsSupplier } from '../support/oas30-traps-supplier.js';
import { runCli } from '../support/run-cli.js';

const profile = join(import.meta.dirname, '..', 'documents', 'oas30-traps', 'openapi.yaml');

// Each planted defect must be a fail of exactly this check on exactly this operation.
const PLANTED = [
  ['server-error', 'brokenServer'],
  ['status-code', 'brokenStatus'],
  ['content-type', 'brokenContentType'],
  ['response-schema', 'brokenSchema'],
  ['response-headers', 'brokenHeader'],
] as const;

const CONFORMANT = ['listWidgets', 'getWidget', 'getPet', 'getCounts', 'getLegacy', 'touchWidget'];

t.test('OpenAPI 3.0 traps: every planted defect caught, no conformant operation flagged', async (t) => {
  const target = await listen(t, createOas30TrapsSupplier());
  const out = t.testdir();
  const { code, stderr } = await runCli(['run', '--profile', profile, '--target', target, '--out', out, '--quiet']);
  t.equal(stderr, '', 'nothing on stderr');
  t.equal(code, 1, 'exit code 1: MUST-level failures');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

  const fails = report.results.filter((r) => r.status === 'fail');
  for (const [check, operationId] of PLANTED) {
    t.ok(fails.some((r) => r.check === check && r.operationId === operationId), `${check} fails on ${operationId}`);
  }
  for (const operationId of CONFORMANT) {
    const own = report.results.filter((r) => r.operationId === operationId);
    t.ok(own.some((r) => r.status === 'pass'), `${operationId} was probed and passed something`);
    t.same(own.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${r.check}: ${r.message}`), [], `${operationId} has no fail, warn or error`);
  }
  // brokenServer's 503 is documented, so only server-error may fail there; the other defects trip one check each.
  const unexpected = fails.filter((r) => !PLANTED.some(([c, o]) => c === r.check && o === r.operationId));
  t.same(unexpected.map((r) => `${r.operationId} ${r.check}`), [], 'no fail beyond the planted ones');

  const schemaFail = fails.find((r) => r.check === 'response-schema')!;
  t.ok(schemaFail.schemaErrors?.some((e) => e.pointer === '/id' && e.keyword === 'type'), 'schema error located at /id');
  t.ok(schemaFail.schemaErrors?.some((e) => e.pointer === '/name'), 'schema error located at /name');
  t.match(schemaFail.evidence?.curl ?? '', /^curl /, 'evidence carries a curl line');
  t.equal(schemaFail.evidence?.response?.status, 200);

  const widget = report.results.find((r) => r.operationId === 'getWidget' && r.check === 'status-code');
  t.match(widget?.evidence?.request.url ?? '', /\/widgets\/9007199254740992$/, 'path id harvested from the list response');
  t.equal(report.profile.openapi, '3.0.3');
  t.ok(
    report.profile.warnings.some((w) => w.code === 'target-base-path' && w.message.includes('/v9')),
    'the document server points elsewhere with a base path: the run says so',
  );
  t.equal(report.summary.verdict, 'non-conformant');
});

t.test('an undocumented 4xx for a value the harness invented is a warning that says how to judge it, not a fail', async (t) => {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/cases/:caseId', (_req, reply) => reply.code(404).send({ message: 'no such case' }));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.yaml': [
      'openapi: 3.0.3',
      'info: {title: cases, version: "1"}',
      'paths:',
      '  /cases/{caseId}:',
      '    get:',
      '      operationId: getCase',
      '      parameters: [{name: caseId, in: path, required: true, schema: {type: string}}]',
      '      responses:',
      "        '200': {description: a case, content: {application/json: {schema: {type: object}}}}",
    ].join('\n'),
  });
  const out = join(dir, 'out');
  const guessed = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--out', out, '--quiet']);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  t.equal(report.summary.mustFailed, 0, 'no MUST failure');
  t.equal(report.summary.verdict, 'inconclusive', 'but no probe reached a success response, so nothing is shown either');
  t.equal(guessed.code, 1);
  const status = report.results.find((r) => r.check === 'status-code');
  t.equal(status?.status, 'warn');
  t.match(status?.message, /generated values for caseId.*--var caseId=<value>/);

  const judged = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--var', 'caseId=C-1', '--out', join(dir, 'out2'), '--quiet']);
  t.equal(judged.code, 1, 'with a real value, the undocumented 404 fails');
});
