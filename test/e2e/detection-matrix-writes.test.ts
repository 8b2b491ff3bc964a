import t from 'tap';
import { DEFECTS, type Defect } from '../../fixtures/defects/index.js';
import { BUNDLED_PROFILE_IDS } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { executeRun, prepareRun, type PreparedRun } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';

/**
 * The detection matrix again, every run with --allow-writes: a run that may
 * write must not blur what a defect breaks (export-truncated once also emptied
 * the incremental export, failing DX-07 beside DX-06). Every planted defect
 * fails exactly its trips, and the clean supplier passes every profile with
 * zero failures and leaves nothing behind.
 *
 * Lean on purpose (it runs in CI beside the read-only matrix): each profile is
 * loaded and compiled once and run against one fresh supplier per defect, all
 * sharing one client secret, two runs at a time (most of a run is waiting on
 * an export's Retry-After, not CPU). On data-export the touch write is named,
 * so export-incremental is judged too.
 */

const CLIENT_SECRET = 'matrix-writes-client-secret';
const TOUCH = ['PATCH /v1/persons/{personId}'];

function failures(report: Report): string[] {
  return [...new Set(report.results.filter((r) => r.status === 'fail').map((r) => `${r.check} ${r.requirement} ${r.operationId}`))].sort();
}

const prepared = new Map<string, Promise<PreparedRun>>();

/** One prepared run per profile (and with or without --negative), reused for every supplier (the target is the only thing that differs). */
function preparedFor(profile: string, negative = false): Promise<PreparedRun> {
  const key = `${profile}${negative ? ' --negative' : ''}`;
  let found = prepared.get(key);
  if (!found) {
    found = prepareRun({
      profile,
      target: 'http://127.0.0.1:9',
      clientId: 'demo-client',
      clientSecret: CLIENT_SECRET,
      allowWrites: true,
      // An outcome matrix, not a stopwatch: on a loaded CI machine a request may wait longer than the default 10 s.
      limits: { requestTimeoutMs: 30_000 },
      // A negative defect shows only to --negative, with a budget that sends every case.
      ...(negative ? { negative: { seed: 1, maxPerOperation: 100 } } : {}),
      ...(profile === 'data-export' ? { selection: { paths: TOUCH } } : {}),
    });
    prepared.set(key, found);
  }
  return found;
}

async function runWithWrites(profile: string, defect?: Defect, negative = defect?.runWith?.negative === true): Promise<Report> {
  const base = await preparedFor(profile, negative);
  const supplier = await startReferenceSupplier({ defects: defect ? [defect.name] : [], clientSecret: CLIENT_SECRET });
  try {
    const target = new URL(supplier.url);
    const limits = { ...base.options.limits, ...defect?.runWith?.limits };
    return await executeRun({ ...base, options: { ...base.options, target, limits }, planContext: { ...base.planContext, target } });
  } finally {
    await supplier.close();
  }
}

/** At most `limit` runs in flight; each call starts when a slot frees up. */
function createLimiter(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

const started = performance.now();
let runs = 0;
const limited = createLimiter(2);
// Started up front, judged one subtest at a time in a stable order.
const cleanRuns = new Map(BUNDLED_PROFILE_IDS.map((profile) => [profile, limited(() => runWithWrites(profile))]));
// The one profile with a collection to write to, also with --negative: its bodies go to the run's own creates only.
const cleanNegativeIncident = limited(() => runWithWrites('incident', undefined, true));
const defectRuns = new Map(DEFECTS.map((defect) => [defect.name, limited(() => runWithWrites(defect.trips[0]?.profile ?? 'baseline', defect))]));

for (const profile of BUNDLED_PROFILE_IDS) {
  t.test(`with --allow-writes, the reference supplier has no failures against ${profile} and leaves nothing behind`, async (t) => {
    const report = await cleanRuns.get(profile)!;
    runs++;
    t.same(failures(report), [], 'no false findings');
    t.same(report.results.filter((r) => r.status === 'error').map((r) => `${r.check} ${r.operationId}: ${r.message}`), [], 'no evidence lost');
    t.equal(report.summary.verdict, 'conformant');
    t.same(report.cleanup?.leftBehind, [], 'every record the run created is gone');
    if (profile === 'incident') {
      t.match(report.results.filter((r) => r.check === 'resource-available' || r.check === 'use-after-delete'), [{ status: 'pass' }, { status: 'pass' }], 'the lifecycle was judged');
    }
  });
}

t.test('with --allow-writes and --negative, the reference supplier refuses every invalid incident and keeps none', async (t) => {
  const report = await cleanNegativeIncident;
  runs++;
  t.same(failures(report), [], 'no false findings');
  const bodies = report.results.filter((r) => r.negative?.location === 'body');
  t.same([...new Set(bodies.map((r) => r.negative!.mutation))].sort(), ['malformed-json', 'missing-property', 'unknown-property', 'wrong-content-type', 'wrong-type']);
  t.ok(bodies.every((r) => r.status === 'pass' && r.operationId === 'createIncident'), 'each refused with its documented status, on the collection only');
  t.same(report.cleanup, { created: 1, deleted: [report.cleanup!.deleted[0]!], leftBehind: [] }, 'only the valid create made a record, and it is gone');
  t.equal(report.summary.verdict, 'conformant');
});

for (const defect of DEFECTS) {
  const profile = defect.trips[0]?.profile ?? 'baseline';
  t.test(`with --allow-writes, defect ${defect.name} (${profile}) fails exactly its trips`, async (t) => {
    const report = await defectRuns.get(defect.name)!;
    runs++;
    const expected = [...new Set(defect.trips.map((trip) => `${trip.check} ${trip.requirement} ${trip.operationId}`))].sort();
    t.same(failures(report), expected, `fails exactly ${expected.join('; ')}`);
    t.equal(report.summary.errors, 0, 'no evidence lost elsewhere');
  });
}

t.teardown(() => {
  // A figure for whoever watches CI time; never asserted (the machine is shared).
  t.comment(`--allow-writes matrix: ${runs} runs in ${Math.round((performance.now() - started) / 1000)} s`);
});
