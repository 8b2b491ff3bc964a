import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import t from 'tap';
import { createJsonReporter } from '../../harness/report/json-reporter.js';
import type { Report } from '../../harness/report/report-types.js';
import type { ReporterContext } from '../../harness/report/reporter.js';
import { buildGenericReport, buildSampleReport } from './sample-report.js';

const schemaPath = fileURLToPath(new URL('../../reports/report.schema.json', import.meta.url));
const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as Record<string, unknown>;

// Strict mode: an unknown keyword or a typo in the schema fails here, not in a consumer's CI.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function context(outDir: string): ReporterContext {
  return { outDir, stdout: process.stdout, color: false };
}

function errorsOf(report: unknown): string {
  return validate(report) ? '' : ajv.errorsText(validate.errors);
}

/**
 * A deep copy to mutate as JSON, the way a consumer would read it. `any` on
 * purpose: the mutations below break the types to prove the schema catches it.
 */
function asJson(report: Report): Record<string, any> {
  return JSON.parse(JSON.stringify(report)) as Record<string, any>;
}

t.test('writes <outDir>/report.json, two-space indented, parseable back to the report', async (t) => {
  const outDir = t.testdir();
  const report = buildSampleReport();
  const files = await createJsonReporter().finish?.(report, context(outDir));
  t.same(files, [join(outDir, 'report.json')]);
  const text = await readFile(join(outDir, 'report.json'), 'utf8');
  t.equal(text.split('\n')[1], '  "reportFormat": "1.0",', 'two-space indent');
  t.ok(text.endsWith('}\n'), 'ends with a newline');
  t.same(JSON.parse(text), report);
});

t.test("the JSON reporter's output validates against reports/report.schema.json", async (t) => {
  const outDir = t.testdir();
  for (const report of [buildSampleReport(), buildGenericReport()]) {
    await createJsonReporter().finish?.(report, context(outDir));
    const written: unknown = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8'));
    t.equal(errorsOf(written), '', `${report.profile.mode} mode report is valid`);
  }
});

t.test('the schema rejects reports that break the contract', async (t) => {
  const cases: Array<[string, (report: Record<string, any>) => void]> = [
    ['missing top-level summary', (r) => delete r.summary],
    ['missing summary.verdict', (r) => delete r.summary.verdict],
    ['missing result.check', (r) => delete r.results[0].check],
    ['missing result.requirement (null is required, not optional)', (r) => delete r.results[0].requirement],
    ['missing evidence.curl', (r) => delete r.results[0].evidence.curl],
    ['missing profile.sha256', (r) => delete r.profile.sha256],
    ['unknown status', (r) => (r.results[0].status = 'passed')],
    ['unknown level', (r) => (r.results[0].level = 'MUST NOT')],
    ['unknown verdict', (r) => (r.summary.verdict = 'compliant')],
    ['extra property on a result', (r) => (r.results[0].severity = 'high')],
    ['extra property at the top', (r) => (r.extra = true)],
    ['negative count', (r) => (r.summary.passed = -1)],
    ['fractional count', (r) => (r.summary.total = 1.5)],
    ['wrong report format', (r) => (r.reportFormat = '2.0')],
    ['bad timestamp', (r) => (r.startedAt = 'yesterday')],
    ['bad sha256', (r) => (r.profile.sha256 = 'not-a-hash')],
    ['empty-string requirement', (r) => (r.results[0].requirement = '')],
    ['lower-case method', (r) => (r.results[0].method = 'get')],
    ['bad JSON pointer', (r) => (r.results[2].schemaErrors[1].pointer = 'results.0')],
    ['non-http target', (r) => (r.target.url = 'file:///etc/passwd')],
  ];
  t.equal(errorsOf(asJson(buildSampleReport())), '', 'the unmodified sample is valid');
  for (const [name, mutate] of cases) {
    const report = asJson(buildSampleReport());
    mutate(report);
    t.notOk(validate(report), `rejected: ${name}`);
  }
});

t.test('the schema names every field the TypeScript types declare', async (t) => {
  // Drift guard: a field added to Report but not to the schema would make every report invalid.
  const report = buildSampleReport();
  // The optional fields a run writes: coverage, and the caveats the evidence raised.
  // A result of the negative phase (--negative) carries what was changed.
  report.results.push({ ...report.results[0]!, check: 'negative-data-rejection', negative: { location: 'query', name: 'limit', mutation: 'above-maximum', value: '101', expect: 'reject', reason: 'limit 101 is outside the maximum 100' } });
  report.coverage = [{ operationId: 'getPerson', method: 'GET', path: '/persons/{personId}', sent: true, answers: [401], successSeen: false, successValidated: false, inputs: { 'path:personId': 'example' }, reason: '401: credentials missing' }];
  const optional = {
    coverage: { operations: 1, sent: 1, successValidated: 0, notReached: [{ operationId: 'getPerson', method: 'GET', path: '/persons/{personId}', reason: '401: credentials missing' }] },
    caveats: [{ code: 'credentials-rejected' as const, message: 'credentials missing or rejected: 1 of 1 responses were 401 or 403' }],
    targetLost: { fromProbe: 2, cause: 'stopped-answering' as const, message: 'from probe 2 the target stopped answering' },
    mustFailedVoided: 1,
  };
  const required = Object.keys(report.summary);
  Object.assign(report.summary, optional);
  t.ok(validate(asJson(report)), 'a report with every optional field is valid');
  const defs = schema.$defs as Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
  t.same(Object.keys(schema.properties as object).sort(), Object.keys(report).sort(), 'top level');
  t.same([...(defs.summary?.required ?? [])].sort(), required.sort(), 'summary: required');
  t.same(Object.keys(defs.summary?.properties ?? {}).sort(), Object.keys(report.summary).sort(), 'summary: every field');
  t.same(Object.keys(defs.runLimits?.properties ?? {}).sort(), Object.keys(report.options.limits).sort(), 'limits');
  const resultKeys = new Set(report.results.flatMap((result) => Object.keys(result)));
  t.same(Object.keys(defs.checkResult?.properties ?? {}).sort(), [...resultKeys].sort(), 'check result');
  t.equal(schema.$id, 'https://interop-harness.dev/schemas/report-1.0.json');
});

t.test('an unwritable output folder is OUTPUT_UNWRITABLE naming the file', async (t) => {
  const outDir = join(t.testdir(), 'does-not-exist');
  await t.rejects(createJsonReporter().finish?.(buildSampleReport(), context(outDir)) as Promise<string[]>, {
    name: 'HarnessError',
    code: 'OUTPUT_UNWRITABLE',
    message: /report\.json/,
  });
});
