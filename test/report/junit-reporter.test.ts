import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { createJunitReporter, renderJunitXml, testcaseName } from '../../harness/report/junit-reporter.js';
import type { ReporterContext } from '../../harness/report/reporter.js';
import { buildGenericReport, buildSampleReport, HOSTILE_EXCERPT, makeResult } from './sample-report.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';

function context(outDir: string): ReporterContext {
  return { outDir, stdout: process.stdout, color: false };
}

function count(element: XmlElement, name: string): number {
  return findAll(element, name).length;
}

t.test('writes <outDir>/junit.xml and returns its absolute path', async (t) => {
  const outDir = t.testdir();
  const files = await createJunitReporter().finish?.(buildSampleReport(), context(outDir));
  t.same(files, [join(outDir, 'junit.xml')]);
  const xml = await readFile(join(outDir, 'junit.xml'), 'utf8');
  t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), 'starts with an XML declaration');
  t.doesNotThrow(() => parseXml(xml), 'is well-formed');
});

t.test('counts of testcase, failure, error and skipped match the report', async (t) => {
  const report = buildSampleReport();
  const root = parseXml(renderJunitXml(report));
  t.equal(root.name, 'testsuites');
  t.equal(count(root, 'testcase'), report.summary.total);
  t.equal(count(root, 'failure'), report.summary.failed);
  t.equal(count(root, 'error'), report.summary.errors);
  t.equal(count(root, 'skipped'), report.summary.skipped);
  t.equal(count(root, 'system-out'), report.summary.warnings, 'each warn writes its message to system-out');
  t.match(root.attributes, {
    tests: String(report.summary.total),
    failures: String(report.summary.failed),
    errors: String(report.summary.errors),
    skipped: String(report.summary.skipped),
    time: '12.345',
    timestamp: report.startedAt,
  });

  const suites = findAll(root, 'testsuite');
  let tests = 0;
  for (const suite of suites) {
    const cases = findAll(suite, 'testcase');
    tests += cases.length;
    t.equal(suite.attributes.tests, String(cases.length), `${suite.attributes.name}: tests`);
    t.equal(suite.attributes.failures, String(count(suite, 'failure')), `${suite.attributes.name}: failures`);
    t.equal(suite.attributes.errors, String(count(suite, 'error')), `${suite.attributes.name}: errors`);
    t.equal(suite.attributes.skipped, String(count(suite, 'skipped')), `${suite.attributes.name}: skipped`);
  }
  t.equal(tests, report.results.length, 'every result is in exactly one suite');
});

t.test('one testsuite per requirement, and per check when there is no requirement', async (t) => {
  const report = buildSampleReport();
  const suites = findAll(parseXml(renderJunitXml(report)), 'testsuite');
  t.same(
    suites.map((suite) => suite.attributes.name),
    ['PNC-API-001', 'PNC-API-002', 'PNC-API-003', 'PNC-API-005', 'PNC-API-004', 'security-headers', 'probe'],
    'in order of first appearance',
  );
  const first = suites[0];
  t.ok(first);
  if (!first) return;
  const properties = Object.fromEntries(findAll(first, 'property').map((p) => [p.attributes.name, p.attributes.value]));
  t.same(properties, {
    requirement: 'PNC-API-001',
    level: 'MUST',
    statement: 'Responses MUST match the schema the profile declares.',
    source: 'OpenAPI Specification 3.1.0, 4.8.17',
  });
  for (const testcase of findAll(first, 'testcase')) t.equal(testcase.attributes.classname, 'PNC-API-001');

  const generic = findAll(parseXml(renderJunitXml(buildGenericReport())), 'testsuite');
  t.same(generic.map((suite) => suite.attributes.name), ['response-schema', 'content-type', 'security-headers']);
  t.equal(findAll(generic[0] as XmlElement, 'testcase')[0]?.attributes.classname, 'response-schema');
});

t.test('testcase names say check, method, path and operation', async (t) => {
  const report = buildSampleReport();
  const names = findAll(parseXml(renderJunitXml(report)), 'testcase').map((c) => c.attributes.name);
  t.ok(names.includes('response-schema GET /persons/{personId} (getPerson)'));
  t.ok(names.includes('probe POST /persons (createPerson)'));
  t.equal(testcaseName(makeResult({ method: 'get' })), 'response-schema GET /persons/{personId} (getPerson)');
});

t.test('repeated testcase names in a suite are numbered so CI keeps them all', async (t) => {
  const report = buildSampleReport();
  report.results = [makeResult(), makeResult({ status: 'fail' })];
  const names = findAll(parseXml(renderJunitXml(report)), 'testcase').map((c) => c.attributes.name);
  t.same(names, ['response-schema GET /persons/{personId} (getPerson)', 'response-schema GET /persons/{personId} (getPerson) [2]']);
});

t.test('failure carries message, check type, expected/actual, schema errors, evidence and curl', async (t) => {
  const report = buildSampleReport();
  const failures = findAll(parseXml(renderJunitXml(report)), 'failure');
  const schema = failures.find((f) => f.text.includes('schema errors (2)'));
  t.ok(schema, 'the schema failure is there');
  if (!schema) return;
  t.equal(schema.attributes.type, 'response-schema');
  t.equal(schema.attributes.message, 'response body does not match the schema for 200 application/json (2 errors)');
  t.match(schema.text, /expected: an object with required property "items"/);
  t.match(schema.text, /at '\/results\/0\/dateOfBirth': must match format "date" \[format at schema #\/properties/);
  t.match(schema.text, /value: "31\/02\/1980"/);
  t.match(schema.text, /response: HTTP 200, \d+ bytes/);
  t.match(schema.text, /reproduce: curl -H 'accept: application\/json' -H 'authorization: Bearer \[redacted\]' .* 'https:\/\/api\.example\.police\.uk\/v1\/persons\?surname=SMITH'/);

  const timeout = findAll(parseXml(renderJunitXml(report)), 'error').find((e) => e.text.includes('UND_ERR_HEADERS_TIMEOUT'));
  t.ok(timeout, 'the timeout is an <error> with the transport error');
  t.match(timeout?.text, /redirect: 301 .* -> https:\/\/api\.example\.police\.uk\/v1\/vehicles\/AB12CDE/);
  const skipped = findAll(parseXml(renderJunitXml(report)), 'skipped').map((s) => s.attributes.message);
  t.ok(skipped.includes('not probed: POST changes data; run with --allow-writes to probe it'));
});

t.test('a hostile body excerpt is escaped: well-formed, no raw tag, no control characters', async (t) => {
  const outDir = t.testdir();
  const report = buildSampleReport();
  report.results.push(
    makeResult({
      status: 'fail',
      message: `message with ]]> and "quotes" & 'apostrophes'\nsecond line \u0007\ud800\ufffe\uffff`,
      actual: HOSTILE_EXCERPT,
    }),
  );
  await createJunitReporter().finish?.(report, context(outDir));
  const xml = await readFile(join(outDir, 'junit.xml'), 'utf8');

  t.notOk(xml.includes('<script>'), 'no raw <script>');
  t.notOk(xml.includes(']]>'), 'no ]]> anywhere');
  t.notOk(xml.includes('<![CDATA['), 'no CDATA');
  t.notMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/, 'no control characters');
  t.notMatch(xml, /[\u202a-\u202e\u2066-\u2069]/, 'no bidi controls from the hostile Content-Type');
  t.equal(xml.split('</failure>').length - 1, report.results.filter((r) => r.status === 'fail').length, 'excerpt did not close a failure');

  const root = parseXml(xml);
  const hostile = findAll(root, 'failure').filter((f) => f.text.includes(']]></failure><script>&'));
  t.ok(hostile.length >= 1, 'the excerpt survives as text, decoded');
  for (const failure of hostile) {
    t.notOk(/[\u0000\u001b]/.test(failure.text), 'NUL and ESC were stripped');
    t.ok(failure.text.includes('<script>&[31m'), 'the rest of the excerpt is kept');
  }
  const added = findAll(root, 'failure').find((f) => f.attributes.message?.startsWith('message with'));
  t.equal(added?.attributes.message, `message with ]]> and "quotes" & 'apostrophes'\nsecond line `, 'attribute keeps its newline, loses illegal chars');
});

t.test('an empty report is still a valid document', async (t) => {
  const report = buildSampleReport();
  report.results = [];
  const root = parseXml(renderJunitXml(report));
  t.equal(root.attributes.tests, '0');
  t.equal(count(root, 'testsuite'), 0);
});

t.test('a suite carries its requirement\'s public source as a property', async (t) => {
  t.match(renderJunitXml(buildSampleReport()), /<property name="source" value="OpenAPI Specification 3\.1\.0, 4\.8\.17"\/>/);
});

t.test('an inconclusive run with a caveat has one error testcase saying why, so all-green results cannot hide it', async (t) => {
  const report = buildGenericReport();
  report.summary = {
    ...report.summary,
    verdict: 'inconclusive',
    caveats: [
      { code: 'credentials-rejected', message: 'credentials missing or rejected: 3 of 3 responses were 401 or 403', hint: 'pass --token-env VAR' },
      { code: 'no-success-response', message: 'no probe reached a documented success response (3 probes sent)' },
    ],
  };
  const root = parseXml(renderJunitXml(report));
  t.equal(count(root, 'testcase'), report.summary.total + 1);
  t.equal(root.attributes.errors, String(report.summary.errors + 1));
  const suite = findAll(root, 'testsuite').find((s) => s.attributes.name === 'run evidence');
  const error = suite && findAll(suite, 'error')[0];
  t.equal(error?.attributes.type, 'credentials-rejected');
  t.equal(error?.attributes.message, 'credentials missing or rejected: 3 of 3 responses were 401 or 403');

  const conformant = buildGenericReport();
  t.notOk(renderJunitXml(conformant).includes('run evidence'), 'none for a conformant run');
});
