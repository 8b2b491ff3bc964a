import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { runCli } from './run-cli.js';
import { apiClient, waitForRun, type TestService } from './service.js';

/** The planted defect of the second supplier, and the one requirement it must fail. */
export const DEFECT = { name: 'schema-violation', profile: 'baseline', requirement: 'BASE-04' };

/**
 * The panel's journey through the API, run the same against the embedded
 * database and against PostgreSQL: an evaluation with two reference
 * suppliers (one with a planted defect), a run of each, polling, the compare
 * matrix, and a signed report checked with `interop-harness verify`.
 * Returns what the isolation scenario needs.
 */
export async function evaluationFlow(t: Test, service: TestService) {
  const admin = apiClient(service.url, service.adminToken);
  const good = await startReferenceSupplier();
  const bad = await startReferenceSupplier({ defects: [DEFECT.name] });
  t.teardown(() => good.close());
  t.teardown(() => bad.close());

  const created = await admin('POST', '/api/evaluations', { name: 'Records platform 2027', profiles: [DEFECT.profile] });
  t.equal(created.status, 201, 'evaluation created');
  const evaluation = created.body;

  const addSupplier = async (name: string, supplier: { url: string; clientId: string; clientSecret: string }) => {
    const response = await admin('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name, target: supplier.url, auth: { clientId: supplier.clientId, clientSecret: supplier.clientSecret } });
    t.equal(response.status, 201, `${name} added`);
    t.notMatch(response.text, supplier.clientSecret, `${name}: the client secret is not echoed`);
    t.same(response.body.auth, { kind: 'clientCredentials' }, 'only the kind of credential is shown');
    return response.body;
  };
  const supplierA = await addSupplier('Vendor A', good);
  const supplierB = await addSupplier('Vendor B', bad);

  const queued = await admin('POST', `/api/evaluations/${evaluation.id}/runs`, {});
  t.equal(queued.status, 202, 'runs accepted');
  t.equal(queued.body.runs.length, 2, 'one run per supplier');
  t.ok(queued.body.runs.every((run: { status: string }) => run.status === 'queued'), 'queued');
  const runOf = (supplierId: string) => queued.body.runs.find((run: { supplier: string }) => run.supplier === supplierId).id as string;
  const runA = await waitForRun(admin, runOf(supplierA.id));
  const runB = await waitForRun(admin, runOf(supplierB.id));
  t.equal(runA.status, 'finished', 'vendor A run finished');
  t.equal(runA.verdict, 'conformant', 'vendor A conformant');
  t.equal(runB.status, 'finished', 'vendor B run finished');
  t.equal(runB.verdict, 'non-conformant', 'vendor B non-conformant');
  t.ok(runB.summary.failed > 0, 'summary carries the failures');

  const compare = await admin('GET', `/api/evaluations/${evaluation.id}/compare`);
  t.equal(compare.status, 200, 'compare matrix');
  const row = compare.body.rows.find((r: { requirement: string }) => r.requirement === DEFECT.requirement);
  const cell = (supplierId: string) => row.cells.find((c: { supplier: string }) => c.supplier === supplierId);
  t.equal(cell(supplierA.id).status, 'passed', `${DEFECT.requirement} passed for vendor A`);
  t.equal(cell(supplierB.id).status, 'failed', `${DEFECT.requirement} failed for vendor B`);
  t.equal(cell(supplierB.id).run, runB.id, 'the cell names the run whose evidence it is');
  const failedElsewhere = compare.body.rows.filter((r: { requirement: string; cells: Array<{ status: string }> }) => r.requirement !== DEFECT.requirement && r.cells.some((c) => c.status === 'failed'));
  t.same(failedElsewhere.map((r: { requirement: string }) => r.requirement), [], 'no other requirement failed for either vendor');

  // Download the signed report and the key, and verify with the CLI.
  const dir = mkdtempSync(join(tmpdir(), 'interop-download-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['report.json', 'report.json.sig', 'report.html', 'report.md', 'junit.xml']) {
    const response = await admin('GET', `/api/runs/${runB.id}/${name}`);
    t.equal(response.status, 200, `${name} downloads`);
    writeFileSync(join(dir, name), response.text);
  }
  const key = await admin('GET', `/api/evaluations/${evaluation.id}/public-key`);
  t.match(key.text, /BEGIN PUBLIC KEY/, 'public key as PEM');
  writeFileSync(join(dir, 'evaluation.pub'), key.text);
  const verified = await runCli(['verify', join(dir, 'report.json'), '--key', join(dir, 'evaluation.pub')]);
  t.equal(verified.code, 0, `verify accepts the downloaded report: ${verified.stderr}`);
  t.match(verified.stdout, /non-conformant/, 'verify names the verdict');
  writeFileSync(join(dir, 'report.json'), readFileSync(join(dir, 'report.json'), 'utf8').replace('"non-conformant"', '"conformant"'));
  t.equal((await runCli(['verify', join(dir, 'report.json'), '--key', join(dir, 'evaluation.pub')])).code, 1, 'an edited report fails verification');

  // Credentials appear in no report, no audit entry and no run record.
  for (const runId of [runA.id, runB.id]) {
    for (const name of ['report.json', 'report.html', 'report.md', 'junit.xml']) {
      const text = (await admin('GET', `/api/runs/${runId}/${name}`)).text;
      t.notOk(text.includes(good.clientSecret) || text.includes(bad.clientSecret), `no client secret in ${name}`);
    }
  }
  const auditLog = await admin('GET', `/api/evaluations/${evaluation.id}/audit`);
  t.ok(auditLog.body.entries.some((e: { action: string }) => e.action === 'supplier.added'), 'the audit log records who added suppliers');
  t.notOk(auditLog.text.includes(good.clientSecret) || auditLog.text.includes(bad.clientSecret), 'no client secret in the audit log');
  t.ok(readdirSync(dir).length >= 5);
  // At rest: no table holds a client secret or a private key in the clear.
  const { rows } = await service.service.context.db.query<{ row: string }>(
    `SELECT row_to_json(x)::text AS row FROM suppliers x UNION ALL SELECT row_to_json(x)::text FROM evaluations x
     UNION ALL SELECT row_to_json(x)::text FROM audit_log x UNION ALL SELECT row_to_json(x)::text FROM runs x
     UNION ALL SELECT row_to_json(x)::text FROM run_events x UNION ALL SELECT row_to_json(x)::text FROM run_artifacts x`,
  );
  const stored = rows.map((r) => r.row).join('\n');
  t.notOk(stored.includes(good.clientSecret) || stored.includes(bad.clientSecret), 'no client secret stored in the clear');
  t.notMatch(stored, /PRIVATE KEY/, 'no signing key stored in the clear');
  t.notOk(service.notes.join('\n').includes(good.clientSecret), 'nor in what the service logs');
  return { evaluation, supplierA, supplierB, runA, runB, secrets: [good.clientSecret, bad.clientSecret] };
}

/**
 * A supplier account sees its own supplier and runs, and nothing of the other:
 * every guessed URL of the other supplier answers 404, the compare matrix 403.
 */
export async function supplierIsolation(t: Test, service: TestService, flow: Awaited<ReturnType<typeof evaluationFlow>>) {
  const admin = apiClient(service.url, service.adminToken);
  const account = await admin('POST', '/api/accounts', { email: 'vendor-a@supplier.example', name: 'Vendor A engineer', role: 'supplier', supplier: flow.supplierA.id });
  t.equal(account.status, 201, 'supplier account created');
  const token = await admin('POST', '/api/tokens', { account: account.body.id, name: 'vendor-a-ci' });
  t.equal(token.status, 201, 'token created for it');
  const vendorA = apiClient(service.url, token.body.token);

  t.equal((await vendorA('GET', `/api/runs/${flow.runA.id}`)).status, 200, 'own run visible');
  t.equal((await vendorA('GET', `/api/runs/${flow.runA.id}/report.json`)).status, 200, 'own report visible');
  for (const path of [
    `/api/runs/${flow.runB.id}`,
    `/api/runs/${flow.runB.id}/report.json`,
    `/api/runs/${flow.runB.id}/report.html`,
    `/api/runs/${flow.runB.id}/report.json.sig`,
    `/api/suppliers/${flow.supplierB.id}`,
    `/api/evaluations/${flow.evaluation.id}/runs?supplier=${flow.supplierB.id}`,
    `/api/runs/00000000-0000-4000-8000-000000000000`,
  ]) {
    const response = await vendorA('GET', path);
    t.equal(response.status, 404, `GET ${path.replace(flow.runB.id, '<other run>').replace(flow.supplierB.id, '<other supplier>')} is 404`);
    t.match(response.type, /^application\/problem\+json/, 'as a problem');
  }
  t.equal((await vendorA('GET', `/api/evaluations/${flow.evaluation.id}/compare`)).status, 403, 'no compare matrix for a supplier');
  const suppliers = await vendorA('GET', `/api/evaluations/${flow.evaluation.id}/suppliers`);
  t.same(suppliers.body.suppliers.map((s: { id: string }) => s.id), [flow.supplierA.id], 'lists only its own supplier');
  const runs = await vendorA('GET', `/api/evaluations/${flow.evaluation.id}/runs`);
  t.ok(runs.body.runs.length > 0 && runs.body.runs.every((r: { supplier: string }) => r.supplier === flow.supplierA.id), 'lists only its own runs');
  t.equal((await vendorA('POST', `/api/evaluations/${flow.evaluation.id}/runs`, { suppliers: [flow.supplierB.id] })).status, 404, 'cannot queue the other supplier');
  t.equal((await vendorA('POST', `/api/evaluations/${flow.evaluation.id}/suppliers`, { name: 'x', target: 'http://127.0.0.1:9' })).status, 403, 'cannot add suppliers');
  t.equal((await vendorA('GET', '/api/accounts')).status, 403, 'cannot list accounts');
  const selfTest = await vendorA('POST', `/api/evaluations/${flow.evaluation.id}/runs`, {});
  t.equal(selfTest.status, 202, 'may queue a self-test of its own sandbox');
  t.same(selfTest.body.runs.map((r: { supplier: string }) => r.supplier), [flow.supplierA.id], 'of its own supplier only');
  const finished = await waitForRun(vendorA, selfTest.body.runs[0].id);
  t.equal(finished.kind, 'self-test', 'recorded as a self-test');
  // The report is signed with the evaluation's key either way: what kind of run it was must be inside what is signed.
  const selfTestReport = await vendorA('GET', `/api/runs/${finished.id}/report.json`);
  t.same(selfTestReport.body.invocation?.argv, ['serve', 'self-test', finished.id, '--evaluation', flow.evaluation.id, '--supplier', flow.supplierA.id], 'the signed self-test report says self-test, for which evaluation and supplier');
  const evaluationReport = await vendorA('GET', `/api/runs/${flow.runA.id}/report.json`);
  t.same(evaluationReport.body.invocation?.argv, ['serve', 'run', flow.runA.id, '--evaluation', flow.evaluation.id, '--supplier', flow.supplierA.id], 'the panel\'s run says run, not self-test');
  t.equal((await vendorA('PUT', `/api/suppliers/${flow.supplierA.id}/claims`, { claims: [] })).status, 204, 'may upload its claims');
  t.equal((await vendorA('PUT', `/api/suppliers/${flow.supplierB.id}/claims`, { claims: [] })).status, 404, "not the other supplier's");
  const noToken = await fetch(`${service.url}/api/runs/${flow.runA.id}`);
  t.equal(noToken.status, 401, 'no token: 401');
}
