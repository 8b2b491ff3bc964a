import t from 'tap';
import { DEFECTS } from '../../fixtures/defects/index.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { preparePlan, run } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';
import { boundedBy } from '../support/bounds.js';

/**
 * Every planted export defect, run the way a user would run the harness
 * against it (with writes only where the defect needs them): exactly the
 * intended export check fails, with a message a procurement officer can read,
 * and the checks after it skip naming it. The reference supplier passes every
 * export requirement, read-only and with writes.
 */

function failures(report: Report): string[] {
  return [...new Set(report.results.filter((r) => r.status === 'fail').map((r) => `${r.check} ${r.requirement} ${r.operationId}`))].sort();
}

async function exportRun(profile: string, defects: string[], runWith: { allowWrites?: boolean; paths?: readonly string[]; limits?: { exportWaitMs?: number } } = {}) {
  const supplier = await startReferenceSupplier({ defects });
  const started = performance.now();
  try {
    const report = await run({ profile, target: supplier.url, clientId: supplier.clientId, clientSecret: supplier.clientSecret, allowWrites: runWith.allowWrites ?? false, ...(runWith.paths ? { selection: { paths: [...runWith.paths] } } : {}), limits: { ...runWith.limits } });
    return { report, ms: performance.now() - started, offOrigin: supplier.offOriginRequests() };
  } finally {
    await supplier.close();
  }
}

const exportResults = (report: Report) => report.results.filter((r) => r.check.startsWith('export-'));

/** The write export-incremental makes to a person the run did not create: sent only when the user names it. */
const TOUCH = ['PATCH /v1/persons/{personId}'];

for (const [mode, allowWrites, paths] of [['read-only', false, undefined], ['with writes', true, undefined], ['with writes and the touch named', true, TOUCH]] as const) {
  t.test(`the reference supplier passes every export requirement (${mode})`, async (t) => {
    const { report } = await exportRun('data-export', [], { allowWrites, ...(paths ? { paths } : {}) });
    t.same(failures(report), [], 'no false findings');
    t.equal(report.summary.verdict, 'conformant');
    const byCheck = new Map(exportResults(report).map((r) => [r.check, r]));
    for (const check of ['export-kickoff', 'export-status', 'export-manifest', 'export-ndjson', 'export-integrity', 'export-completeness', 'export-format', 'export-cancel', 'export-csv']) {
      t.equal(byCheck.get(check)?.status, 'pass', `${check} passes`);
    }
    t.equal(byCheck.get('export-incremental')?.status, paths ? 'pass' : 'skip', paths ? 'export-incremental passes' : 'export-incremental skips');
    if (!allowWrites) t.match(byCheck.get('export-incremental')?.message, /read-only run.*--allow-writes/);
    else if (!paths) t.match(byCheck.get('export-incremental')?.message, /not sent: it would change an existing person record \(PATCH \/v1\/persons\/\{personId\}\).*--paths 'PATCH \/v1\/persons\/\{personId\}'/);
    if (paths) {
      // Review: naming the touch also sent it as a named write, a generated body to an existing person.
      t.match(report.results.filter((r) => r.method === 'PATCH' && r.path === '/v1/persons/{personId}'), [{ status: 'skip', message: /named for export-incremental's touch, which sends the profile's own change/ }], 'not probed with a generated body');
      t.equal(report.cleanup?.namedWrites?.length, 1, 'the touch is the one named write sent');
      const prepared = await preparePlan({ profile: 'data-export', target: 'http://127.0.0.1:9', allowWrites: true, selection: { paths: [...TOUCH] } });
      t.match(prepared.warnings.find((w) => w.code === 'named-writes'), { message: /: PATCH \/v1\/persons\/\{personId\}$/ }, 'announced before the run: the check sends it');
    }
    t.match(byCheck.get('export-integrity')?.message, /counts \(25 persons, 25 events\)/);
    t.ok(byCheck.get('export-ndjson')?.evidence?.response?.bodySha256, 'file evidence carries the downloaded file\'s SHA-256');
  });
}

for (const defect of DEFECTS.filter((d) => d.trips.some((trip) => trip.check.startsWith('export-')))) {
  const profile = defect.trips[0]!.profile;
  t.test(`defect ${defect.name} (${profile}): ${defect.description}`, async (t) => {
    const { report, ms, offOrigin } = await exportRun(profile, [defect.name], { ...(defect.runWith?.allowWrites ? { allowWrites: true } : {}), ...(defect.runWith?.paths ? { paths: defect.runWith.paths } : {}), ...(defect.runWith?.limits ? { limits: defect.runWith.limits } : {}) });
    const expected = [...new Set(defect.trips.map((trip) => `${trip.check} ${trip.requirement} ${trip.operationId}`))].sort();
    t.same(failures(report), expected, `fails exactly ${expected.join('; ')}`);
    t.equal(report.summary.errors, 0, 'no evidence lost elsewhere');
    const failed = report.results.find((r) => r.status === 'fail')!;
    t.ok(failed.evidence?.curl.startsWith('curl '), 'the failure carries a curl line');
    t.ok(failed.expected !== undefined && failed.actual !== undefined, 'it says what was expected and what came back');
    t.comment(`${defect.name}: ${failed.message}`);
    if (defect.runWith?.limits?.exportWaitMs) {
      t.ok(ms < boundedBy(defect.runWith.limits.exportWaitMs), `gave up at the export wait (run took ${Math.round(ms)} ms)`);
    }
    if (defect.name === 'export-status-off-origin') t.same(offOrigin, [], 'nothing, and no token, was sent to the other origin');
  });
}

t.test('the failure messages say what a procurement officer needs to know', async (t) => {
  const messages = new Map<string, string>();
  for (const name of ['export-count-lies', 'export-invalid-record-deep', 'export-truncated']) {
    const defect = DEFECTS.find((d) => d.name === name)!;
    const { report } = await exportRun(defect.trips[0]!.profile, [name]);
    messages.set(name, report.results.find((r) => r.status === 'fail')?.message ?? '');
  }
  t.match(messages.get('export-count-lies'), /^the manifest says 27 persons, the file has 25$/);
  t.match(messages.get('export-invalid-record-deep'), /^1 of 100,000 persons is invalid: line 57,341 \(PER-057341\): \/gender /);
  t.match(messages.get('export-truncated'), /the API lists 25 persons, the export holds 24: PER-000025 is missing from the export/);
});

t.test('without export-incremental, a named touch operation is an ordinary named write: sent, not skipped as the touch', async (t) => {
  // Review: skipped "for the touch" while nothing would send the touch.
  const prepared = await preparePlan({ profile: 'data-export', target: 'http://127.0.0.1:9', allowWrites: true, selection: { paths: [...TOUCH] }, skipChecks: ['export-incremental'] });
  t.same(prepared.writePlan.namedWrites.map((o) => `${o.method} ${o.path}`), ['PATCH /v1/persons/{personId}']);
  t.notOk(prepared.writePlan.notSent.some((n) => /touch/.test(n.reason)));
});
