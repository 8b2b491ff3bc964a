import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { DEFECTS } from '../../fixtures/defects/index.js';
import { run } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';

/** `check requirement operationId` for every fail in a report. */
function failures(report: Report): string[] {
  return [...new Set(report.results.filter((r) => r.status === 'fail').map((r) => `${r.check} ${r.requirement} ${r.operationId}`))].sort();
}

async function runAgainst(defects: string[]): Promise<Report> {
  const supplier = await startReferenceSupplier({ defects });
  try {
    return await run({ profile: 'baseline', target: supplier.url });
  } finally {
    await supplier.close();
  }
}

t.test('the reference supplier is conformant to the baseline profile, with zero failures', async (t) => {
  const report = await runAgainst([]);
  t.equal(report.summary.verdict, 'conformant');
  t.same(failures(report), [], 'no false findings');
  t.equal(report.summary.errors, 0);
  t.equal(report.summary.operationsSkipped, 0, 'every operation probed, including the one needing a harvested id');
  t.ok(report.summary.passed > 0);
});

// A defect and its conformant twin differ only by the defect: each planted defect
// must fail exactly the checks it names on exactly its operation, and nothing else.
for (const defect of DEFECTS) {
  t.test(`defect ${defect.name}: ${defect.description}`, async (t) => {
    const report = await runAgainst([defect.name]);
    const expected = [...new Set(defect.trips.map((trip) => `${trip.check} ${trip.requirement} ${trip.operationId}`))].sort();
    t.same(failures(report), expected, `fails exactly ${expected.join('; ')}`);
    const mustFail = defect.trips.some((trip) => report.requirements.find((r) => r.id === trip.requirement)?.level === 'MUST');
    t.equal(report.summary.verdict, mustFail ? 'non-conformant' : 'conformant');
    for (const result of report.results.filter((r) => r.status === 'fail')) {
      t.ok(result.evidence?.curl.startsWith('curl '), `${result.check} on ${result.operationId} carries a curl line`);
      t.ok(result.message.length > 0 && result.expected !== undefined, `${result.check} says what was expected`);
    }
  });
}
