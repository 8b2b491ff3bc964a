import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { BUNDLED_PROFILE_IDS } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { DEFECTS } from '../../fixtures/defects/index.js';
import { run } from '../../harness/index.js';
import { CHECKS } from '../../harness/checks/index.js';
import type { Report } from '../../harness/report/report-types.js';

/** `check requirement operationId` for every fail in a report. */
function failures(report: Report): string[] {
  return [...new Set(report.results.filter((r) => r.status === 'fail').map((r) => `${r.check} ${r.requirement} ${r.operationId}`))].sort();
}

async function runAgainst(profile: string, defects: string[], runWith: { allowWrites?: boolean; negative?: boolean } = {}): Promise<Report> {
  const supplier = await startReferenceSupplier({ defects });
  try {
    // The harness fetches its token from the profile's tokenUrl, as a user's run would.
    // A negative defect is run with --negative and a budget that sends every case, so the seed cannot hide it.
    return await run({
      profile,
      target: supplier.url,
      clientId: supplier.clientId,
      clientSecret: supplier.clientSecret,
      allowWrites: runWith.allowWrites === true,
      ...(runWith.negative ? { negative: { seed: 1, maxPerOperation: 100 } } : {}),
    });
  } finally {
    await supplier.close();
  }
}

const known = new Set(CHECKS.map((check) => check.id));
const matrix: Array<{ defect: string; profile: string; caught: boolean }> = [];
let falseFindings = 0;

t.test('the reference supplier is conformant to the baseline profile, with zero failures', async (t) => {
  const report = await runAgainst('baseline', []);
  t.equal(report.summary.verdict, 'conformant');
  t.same(failures(report), [], 'no false findings');
  t.equal(report.summary.errors, 0);
  t.equal(report.summary.operationsSkipped, 0, 'every operation probed, including the one needing a harvested id');
  t.ok(report.summary.passed > 0);
});

// Every other bundled profile: no false findings from the checks this harness has today.
for (const profile of BUNDLED_PROFILE_IDS.filter((id) => id !== 'baseline')) {
  t.test(`the reference supplier has no failures against ${profile}`, async (t) => {
    const report = await runAgainst(profile, []);
    falseFindings += failures(report).length;
    t.same(failures(report), [], 'no false findings');
    t.equal(report.summary.verdict, 'conformant');
  });
}

// A defect and its conformant twin differ only by the defect: each planted defect
// must fail exactly the checks it names on exactly its operation, and nothing else.
// Data-driven: a defect joins the matrix as soon as every check it trips exists.
// Export defects have their own file (export-defects.test.ts): each waits on an export job, and some run with writes.
// A defect only a writing run can show (a lifecycle's) runs with --allow-writes; detection-matrix-writes.test.ts runs them all so.
for (const defect of DEFECTS.filter((d) => d.trips.every((trip) => known.has(trip.check) && !trip.check.startsWith('export-')))) {
  const profile = defect.trips[0]?.profile ?? 'baseline';
  t.test(`defect ${defect.name} (${profile}): ${defect.description}`, async (t) => {
    const report = await runAgainst(profile, [defect.name], { allowWrites: defect.runWith?.allowWrites === true, negative: defect.runWith?.negative === true });
    const expected = [...new Set(defect.trips.map((trip) => `${trip.check} ${trip.requirement} ${trip.operationId}`))].sort();
    const caught = t.same(failures(report), expected, `fails exactly ${expected.join('; ')}`);
    matrix.push({ defect: defect.name, profile, caught });
    t.equal(report.summary.errors, 0, 'no evidence lost elsewhere');
    // A generic check no requirement names (the negative checks) stands at MUST.
    const mustFail = defect.trips.some((trip) => trip.requirement === null || report.requirements.find((r) => r.id === trip.requirement)?.level === 'MUST');
    t.equal(report.summary.verdict, mustFail ? 'non-conformant' : 'conformant');
    for (const result of report.results.filter((r) => r.status === 'fail')) {
      t.ok(result.evidence?.curl.startsWith('curl '), `${result.check} on ${result.operationId} carries a curl line`);
      t.ok(result.message.length > 0 && result.expected !== undefined, `${result.check} says what was expected`);
    }
  });
}

t.teardown(() => {
  const caught = matrix.filter((row) => row.caught).length;
  const missed = matrix.filter((row) => !row.caught).map((row) => `${row.defect} (${row.profile})`);
  t.comment(`detection matrix: ${caught}/${matrix.length} planted defects caught by exactly the intended requirement; ${falseFindings} false findings on the reference supplier`);
  if (missed.length > 0) t.comment(`missed: ${missed.join(', ')}`);
});
