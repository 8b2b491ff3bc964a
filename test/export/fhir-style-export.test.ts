import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { parse } from 'yaml';
import { planDryRun, preparePlan, run } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';
import { CLIENT_ID, CLIENT_SECRET, TOKEN, start, type Opts } from './fhir-style-supplier.js';

/**
 * The export checks against a supplier written apart from ours, faithful to
 * HL7 FHIR Bulk Data in the ways ours is not: no false positive, and each
 * planted fault is one failure (or, for a stalled file, no verdict at all).
 */

const PROFILE = join(import.meta.dirname, '..', 'documents', 'fhir-export', 'openapi.yaml');

async function exportRun(t: Test, options: Opts, limits = {}) {
  const supplier = await start(options);
  t.teardown(supplier.close);
  // Every read, and the one write export-incremental makes to an existing Patient, named so it is sent.
  const selection = { paths: ['GET /**', 'PUT /fhir/Patient/{id}'] };
  const report = await run({ profile: PROFILE, target: supplier.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, allowWrites: true, selection, limits });
  return { report, otherOrigin: supplier.otherLog };
}

const failed = (report: Report) => report.results.filter((r) => r.status === 'fail').map((r) => `${r.check}: ${r.message}`);

t.test('a FHIR-faithful supplier (several files a type, gzip, redirects, relative URLs, HTTP-date Retry-After, CRLF) passes every export check', async (t) => {
  const { report } = await exportRun(t, {});
  t.same(failed(report), [], 'no false findings');
  t.equal(report.summary.verdict, 'conformant');
  t.ok(report.results.filter((r) => r.check.startsWith('export-')).every((r) => r.status === 'pass'), 'every export check passes');
  t.match(report.results.find((r) => r.check === 'export-completeness')?.message, /20 Patients .*10 Observations/, 'a type split over two files is counted whole');
  t.notOk(JSON.stringify(report).includes(TOKEN) || JSON.stringify(report).includes(CLIENT_SECRET), 'no credential in the report');
});

t.test('OpenAPI 3.1: exported records and a manifest that break only formats are warnings, not failures', async (t) => {
  const records = await exportRun(t, { hostile: 'badBirthDate', filesPerType: 1 });
  t.same(failed(records.report), [], 'no failure for a format breach (JSON Schema 2020-12 Validation 7.2)');
  t.match(records.report.results.find((r) => r.check === 'export-ndjson'), {
    status: 'warn',
    message: /^1 of 20 Patients breaks only formats of the schema: line 3 \(p3\): \/birthDate must match format "date"; in OpenAPI 3\.1 and later a format is an annotation/,
    schemaErrors: [{ pointer: '/birthDate', keyword: 'format' }],
  });
  const manifest = await exportRun(t, { hostile: 'requestNotUri', filesPerType: 1 });
  t.same(failed(manifest.report), []);
  t.match(manifest.report.results.find((r) => r.check === 'export-manifest'), {
    status: 'warn',
    message: /^the manifest lists 2 files for Patient, Observation, all on the supplier's origin .*; but it does not match the profile's manifest schema: \/request must match format "uri", formats only; in OpenAPI 3\.1/,
  });
});

t.test('a type with no records may be left out of the manifest', async (t) => {
  const { report } = await exportRun(t, { observations: 0, filesPerType: 1 });
  t.same(failed(report), []);
  t.match(report.results.find((r) => r.check === 'export-manifest')?.message, /no file for Observation, which the API lists no record of/);
});

t.test('a 503 with Retry-After while the export runs is transient: polled again', async (t) => {
  const { report } = await exportRun(t, { hostile: 'transient503', filesPerType: 1 });
  t.same(failed(report), []);
  // Fourth review: export-cancel's GET before its DELETE took the 503 for no export, and the run was inconclusive.
  t.equal(report.results.find((r) => r.check === 'export-cancel')?.status, 'pass', 'the cancel waits the 503 out too');
  t.equal(report.summary.verdict, 'conformant');
});

t.test('every file listed twice: export-completeness finds the duplicates across files', async (t) => {
  const { report } = await exportRun(t, { hostile: 'dupFile', filesPerType: 1 });
  t.same(failed(report).map((f) => f.split(':')[0]), ['export-completeness']);
  t.match(failed(report)[0], /Patient p1 appears twice in the export/);
});

t.test('a file that stalls half-way is not verified, not failed: the fragment is not judged as data', async (t) => {
  const { report } = await exportRun(t, { hostile: 'stall', filesPerType: 1 }, { requestTimeoutMs: 1_000 });
  t.same(failed(report), [], 'no fail from a network stall');
  t.equal(report.summary.verdict, 'inconclusive');
  t.match(report.results.find((r) => r.check === 'export-ndjson'), { status: 'error', message: /did not arrive whole \(response body stalled/ });
});

t.test('a status URL that names a record: no DELETE goes to it, though export-cancel sends one to a status', async (t) => {
  // Third review: export-cancel DELETEd whatever same-origin Content-Location the kick-off gave, with credentials, read-only.
  const supplier = await start({ hostile: 'statusIsRecord', filesPerType: 1 });
  t.teardown(supplier.close);
  const report = await run({ profile: PROFILE, target: supplier.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  t.match(report.results.find((r) => r.check === 'export-cancel'), { status: 'error', message: /^not verified: no DELETE was sent, since the status URL answered a GET with 200 but no manifest/ });
  const after = await fetch(`${supplier.url}/fhir/Patient/p1`, { headers: { authorization: `Bearer ${TOKEN}` } });
  t.equal(after.status, 200, 'the patient is still there');
});

t.test('a file redirected to another origin: not followed, one failure that says so', async (t) => {
  const { report, otherOrigin } = await exportRun(t, { hostile: 'fileRedirectOther', filesPerType: 1 });
  t.match(report.results.find((r) => r.check === 'export-integrity'), { status: 'fail', message: /answered 302 \(a redirect to http:\/\/127\.0\.0\.1:\d+\/steal, not followed: it leaves the supplier's origin\)/ });
  t.same(otherOrigin, [], 'nothing reached the other origin');
});

t.test("export-incremental's touch of an existing record is listed with the named writes, lifecycle or not", async (t) => {
  // Found in review: with a create and delete on Patient, PUT /fhir/Patient/{id} joins the lifecycle,
  // so only the touch changed an existing record, and no report or dry-run header said so.
  const document = parse(readFileSync(PROFILE, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  document.paths['/fhir/Patient']!['post'] = { operationId: 'createPatient', requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '201': { description: 'created' } } };
  document.paths['/fhir/Patient/{id}']!['delete'] = { operationId: 'deletePatient', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': { description: 'gone' } } };
  const profile = join(t.testdir({ 'openapi.json': JSON.stringify(document) }), 'openapi.json');
  const supplier = await start({});
  t.teardown(supplier.close);
  const selection = { paths: ['GET /**', 'PUT /fhir/Patient/{id}', 'POST /fhir/Patient', 'DELETE /fhir/Patient/{id}'] };
  const options = { profile, target: supplier.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, allowWrites: true, selection };
  const dry = planDryRun(await preparePlan(options));
  t.same(dry.filter((line) => line.namedWrite).map((line) => `${line.operationId} ${line.method}`), ['check export-incremental PUT'], 'the dry run marks the touch as a named write');
  const report = await run(options);
  t.equal(report.results.find((r) => r.check === 'export-incremental')?.status, 'pass');
  t.match(report.cleanup?.namedWrites, [{ method: 'PUT', url: new RegExp(`^${supplier.url}/fhir/Patient/[^/]+$`), status: 200 }]);
});
