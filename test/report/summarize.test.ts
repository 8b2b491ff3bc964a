import t from 'tap';
import { summarize, verdictExitCode, verdictOf } from '../../harness/report/summarize.js';
import { buildGenericReport, buildSampleReport, makeResult } from './sample-report.js';

t.test('reproduces the hand-written sample summaries', async (t) => {
  for (const report of [buildSampleReport(), buildGenericReport()]) {
    const { probes, operationsSkipped } = report.summary;
    t.same(summarize(report.results, probes, operationsSkipped), report.summary, report.profile.mode);
  }
});

t.test('counts each status once and total is their sum', async (t) => {
  const summary = summarize(
    [
      makeResult({ status: 'pass' }),
      makeResult({ status: 'fail', level: 'MAY' }),
      makeResult({ status: 'warn' }),
      makeResult({ status: 'skip' }),
      makeResult({ status: 'error', level: 'SHOULD' }),
    ],
    4,
    1,
  );
  t.same(summary, {
    verdict: 'conformant',
    total: 5,
    passed: 1,
    failed: 1,
    warnings: 1,
    skipped: 1,
    errors: 1,
    mustFailed: 0,
    mustErrors: 0,
    mustUnverified: [],
    probes: 4,
    operationsSkipped: 1,
  });
});

t.test('verdict rule', async (t) => {
  t.equal(summarize([], 0, 0).verdict, 'conformant', 'nothing to judge is not a failure');
  t.equal(summarize([makeResult()], 1, 0).verdict, 'conformant');
  t.equal(summarize([makeResult({ status: 'fail', level: 'SHOULD' })], 1, 0).verdict, 'conformant', 'a SHOULD fail does not make it non-conformant');
  t.equal(summarize([makeResult({ status: 'fail', level: 'MAY' })], 1, 0).verdict, 'conformant', 'nor a MAY fail');
  t.equal(summarize([makeResult({ status: 'error', level: 'SHOULD' })], 1, 0).verdict, 'conformant', 'nor a SHOULD error');
  t.equal(summarize([makeResult({ status: 'warn' })], 1, 0).verdict, 'conformant', 'nor a MUST warn');
  t.equal(summarize([makeResult({ status: 'fail' })], 1, 0).verdict, 'non-conformant', 'a MUST fail does');
  t.equal(summarize([makeResult({ status: 'error' })], 1, 0).verdict, 'inconclusive', 'a MUST error leaves it unproven');
  t.equal(
    summarize([makeResult({ status: 'error' }), makeResult({ status: 'fail' })], 1, 0).verdict,
    'non-conformant',
    'a proven failure outweighs missing evidence',
  );
  t.equal(verdictOf({ mustFailed: 0, mustErrors: 3 }), 'inconclusive');
});

t.test('exit code is 1 unless the verdict is conformant', async (t) => {
  t.equal(verdictExitCode({ verdict: 'conformant' }), 0);
  t.equal(verdictExitCode({ verdict: 'non-conformant' }), 1);
  t.equal(verdictExitCode({ verdict: 'inconclusive' }), 1, 'inconclusive also fails CI');
  t.equal(verdictExitCode(summarize([makeResult({ status: 'fail', level: 'SHOULD' })], 1, 0)), 0);
});

t.test('a MUST requirement none of whose checks passed is not verified: the verdict is inconclusive', async (t) => {
  const requirements = [
    { id: 'R-1', level: 'MUST' as const, checks: ['status-code'] },
    { id: 'R-2', level: 'MUST' as const, checks: ['pagination'] },
    { id: 'R-3', level: 'SHOULD' as const, checks: ['compression'] },
    { id: 'R-4', level: 'MUST' as const, checks: [] },
  ];
  const results = [
    makeResult({ status: 'pass', requirement: 'R-1' }),
    makeResult({ status: 'skip', requirement: 'R-2', check: 'pagination' }),
    makeResult({ status: 'skip', requirement: 'R-3', check: 'compression', level: 'SHOULD' }),
  ];
  const summary = summarize(results, 1, 0, requirements);
  t.same(summary.mustUnverified, ['R-2'], 'only skips: not verified; a notTestedReason requirement (no checks) is not counted');
  t.equal(summary.verdict, 'inconclusive');
  t.equal(summarize([...results, makeResult({ status: 'pass', requirement: 'R-2' })], 1, 0, requirements).verdict, 'conformant');
});
