import t from 'tap';
import type { ProbeFact } from '../../harness/report/coverage.js';
import { summarize, thinCoverageCaveat, verdictExitCode, verdictOf } from '../../harness/report/summarize.js';
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
  t.equal(summarize([], 0, 0).verdict, 'inconclusive', 'nothing to judge is no evidence of conformance');
  t.equal(summarize([makeResult()], 1, 0).verdict, 'conformant');
  const mustPass = makeResult();
  t.equal(summarize([mustPass, makeResult({ status: 'fail', level: 'SHOULD' })], 1, 0).verdict, 'conformant', 'a SHOULD fail does not make it non-conformant');
  t.equal(summarize([mustPass, makeResult({ status: 'fail', level: 'MAY' })], 1, 0).verdict, 'conformant', 'nor a MAY fail');
  t.equal(summarize([mustPass, makeResult({ status: 'error', level: 'SHOULD' })], 1, 0).verdict, 'conformant', 'nor a SHOULD error');
  t.equal(summarize([mustPass, makeResult({ status: 'warn' })], 1, 0).verdict, 'conformant', 'nor a MUST warn');
  t.equal(summarize([makeResult({ status: 'fail' })], 1, 0).verdict, 'non-conformant', 'a MUST fail does');
  t.equal(summarize([makeResult({ status: 'error' })], 1, 0).verdict, 'inconclusive', 'a MUST error leaves it unproven');
  t.equal(
    summarize([makeResult({ status: 'error' }), makeResult({ status: 'fail' })], 1, 0).verdict,
    'non-conformant',
    'a proven failure outweighs missing evidence',
  );
  t.equal(verdictOf({ mustFailed: 0, mustErrors: 3 }), 'inconclusive');
});

t.test('no vacuous verdict: nothing passed, or no MUST-level result passed, is inconclusive', async (t) => {
  const table: Array<[string, ReturnType<typeof makeResult>[], string, string | undefined]> = [
    ['no results at all', [], 'inconclusive', 'nothing-passed'],
    ['only skips', [makeResult({ status: 'skip' })], 'inconclusive', 'nothing-passed'],
    ['only warnings', [makeResult({ status: 'warn' })], 'inconclusive', 'nothing-passed'],
    ['a SHOULD pass and nothing at MUST level', [makeResult({ level: 'SHOULD' })], 'inconclusive', 'no-must-verified'],
    ['SHOULD and MAY passes, a SHOULD fail', [makeResult({ level: 'SHOULD' }), makeResult({ level: 'MAY' }), makeResult({ status: 'fail', level: 'SHOULD' })], 'inconclusive', 'no-must-verified'],
    ['a MUST failure is still proof', [makeResult({ status: 'fail' })], 'non-conformant', 'nothing-passed'],
    ['one MUST pass', [makeResult()], 'conformant', undefined],
  ];
  for (const [name, results, verdict, caveat] of table) {
    const summary = summarize(results, 1, 0);
    t.equal(summary.verdict, verdict, `${name}: ${verdict}`);
    t.equal(summary.caveats?.[0]?.code, caveat, `${name}: caveat ${caveat ?? 'none'}`);
  }
});

t.test('exit code is 1 unless the verdict is conformant', async (t) => {
  t.equal(verdictExitCode({ verdict: 'conformant' }), 0);
  t.equal(verdictExitCode({ verdict: 'non-conformant' }), 1);
  t.equal(verdictExitCode({ verdict: 'inconclusive' }), 1, 'inconclusive also fails CI');
  t.equal(verdictExitCode(summarize([makeResult(), makeResult({ status: 'fail', level: 'SHOULD' })], 1, 0)), 0);
  t.equal(verdictExitCode(summarize([makeResult({ status: 'pass', level: 'SHOULD' })], 1, 0)), 1, 'a run resting on no MUST pass fails CI');
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

/** A probe fact as the run records it; results default to one MUST status-code pass on it. */
function fact(index: number, status: number | string, options: Partial<ProbeFact> & { fail?: boolean } = {}): ProbeFact {
  const answered = typeof status === 'number';
  const results = options.results ?? [makeResult({ operationId: `op${index}`, check: 'status-code', status: options.fail ? 'fail' : answered ? 'pass' : 'error' })];
  return {
    index,
    operationId: `op${index}`,
    method: 'GET',
    path: `/things${index}`,
    ...(answered ? { status } : { transportError: status }),
    carriesCredentials: false,
    inputs: {},
    documentedSuccess: answered && status >= 200 && status < 300,
    servedHtml: false,
    successValidated: answered && status >= 200 && status < 300 && !options.fail,
    ...options,
    results,
  };
}

function judge(facts: ProbeFact[]) {
  const results = facts.flatMap((f) => f.results);
  return summarize(results, facts.length, 0, [], { facts });
}

t.test('the run as a whole: caveats, their headline and the verdict they leave', async (t) => {
  const creds = { carriesCredentials: true };
  const table: Array<{ name: string; facts: ProbeFact[]; verdict: string; codes: string[]; headline?: RegExp; lost?: { fromProbe: number; cause: string } }> = [
    { name: 'every probe a documented success', facts: [fact(1, 200), fact(2, 200)], verdict: 'conformant', codes: [] },
    {
      name: 'no credentials, 3 of 4 answered 401 (documented, so status-code passed)',
      facts: [fact(1, 200), fact(2, 401), fact(3, 401), fact(4, 401)],
      verdict: 'inconclusive',
      codes: ['credentials-rejected'],
      headline: /^credentials missing or rejected: 3 of 4 responses were 401 or 403$/,
    },
    {
      name: 'credentials refused on every probe',
      facts: [fact(1, 401, creds), fact(2, 403, creds)],
      verdict: 'inconclusive',
      codes: ['credentials-rejected', 'no-success-response'],
      headline: /credentials missing or rejected/,
    },
    {
      name: 'half the responses 401 is not most',
      facts: [fact(1, 200), fact(2, 401)],
      verdict: 'conformant',
      codes: [],
    },
    {
      name: 'credentials worked, then were rejected from probe 4',
      facts: [fact(1, 200, creds), fact(2, 200, creds), fact(3, 200, creds), fact(4, 401, creds), fact(5, 401, creds)],
      verdict: 'inconclusive',
      codes: ['target-lost'],
      headline: /^from probe 4 the target rejected the credentials/,
      lost: { fromProbe: 4, cause: 'credentials-rejected' },
    },
    {
      name: 'a failure before the target was lost still stands',
      facts: [fact(1, 200, { ...creds, fail: true }), fact(2, 200, creds), fact(3, 'connection-refused', creds), fact(4, 'connection-refused', creds)],
      verdict: 'non-conformant',
      codes: ['target-lost'],
      lost: { fromProbe: 3, cause: 'stopped-answering' },
    },
    {
      name: 'stopped answering half-way',
      facts: [fact(1, 200), fact(2, 200), fact(3, 'connection-reset'), fact(4, 'connection-refused'), fact(5, 'timeout')],
      verdict: 'inconclusive',
      codes: ['target-lost'],
      headline: /^from probe 3 the target stopped answering \(connection-reset\)/,
      lost: { fromProbe: 3, cause: 'stopped-answering' },
    },
    {
      name: 'one lost probe at the end is not a lost target',
      facts: [fact(1, 200), fact(2, 200), fact(3, 'connection-refused')],
      verdict: 'inconclusive',
      codes: [],
    },
    {
      name: '401s without credentials from some point on are missing credentials, not a lost target',
      facts: [fact(1, 200), fact(2, 200), fact(3, 200), fact(4, 401), fact(5, 401)],
      verdict: 'conformant',
      codes: [],
    },
    {
      name: 'most probes 404 on paths with no placeholder',
      facts: [fact(1, 200), fact(2, 404), fact(3, 404)],
      verdict: 'inconclusive',
      codes: ['not-served'],
      headline: /^the target does not serve the paths of this profile: 2 of 3 probes answered 404/,
    },
    {
      name: 'an HTML fallback page for every path, content-type failing on it',
      facts: [1, 2, 3].map((i) => fact(i, 200, { servedHtml: true, results: [makeResult({ check: 'server-error' }), makeResult({ check: 'content-type', status: 'fail' })] })),
      verdict: 'inconclusive',
      codes: ['not-served'],
      headline: /3 HTML, as the fallback route of a web app would/,
    },
    {
      name: 'a 404 for a placeholder id says the id does not exist, not that the path is not served',
      facts: [fact(1, 200), fact(2, 404, { inputs: { 'path:id': 'example' } }), fact(3, 404, { inputs: { 'path:id': 'generated' } })],
      verdict: 'conformant',
      codes: [],
    },
    {
      name: 'no probe reached a documented success response',
      facts: [fact(1, 400), fact(2, 404, { inputs: { 'path:id': 'example' } })],
      verdict: 'inconclusive',
      codes: ['no-success-response'],
      headline: /^no probe reached a documented success response \(2 probes sent\)$/,
    },
    {
      name: 'operations that document only a redirect, answered with it: nothing else was to be shown',
      facts: [fact(1, 302, { redirectOnly: true }), fact(2, 302, { redirectOnly: true })],
      verdict: 'conformant',
      codes: [],
    },
    {
      name: 'beside a redirect-only operation, one that documents a success and did not reach it',
      facts: [fact(1, 302, { redirectOnly: true }), fact(2, 404, { inputs: { 'path:id': 'example' } })],
      verdict: 'inconclusive',
      codes: ['no-success-response'],
      headline: /^no probe reached a documented success response \(1 probe sent; 1 more to operations that document only a redirect\)$/,
    },
    {
      name: 'no success, but a 5xx is still proof',
      facts: [fact(1, 500, { fail: true }), fact(2, 400)],
      verdict: 'non-conformant',
      codes: ['no-success-response'],
    },
  ];
  for (const row of table) {
    const summary = judge(row.facts);
    t.equal(summary.verdict, row.verdict, `${row.name}: ${row.verdict}`);
    t.same((summary.caveats ?? []).map((c) => c.code).filter((c) => c !== 'nothing-passed' && c !== 'no-must-verified'), row.codes, `${row.name}: caveats`);
    if (row.headline) t.match(summary.caveats?.[0]?.message, row.headline, `${row.name}: headline`);
    if (row.lost) t.match(summary.targetLost, row.lost, `${row.name}: targetLost`);
    else t.equal(summary.targetLost, undefined, `${row.name}: target not lost`);
  }
});

t.test("a lost target's hint names its cause's remedy", async (t) => {
  const creds = { carriesCredentials: true };
  const rejected = judge([fact(1, 200, creds), fact(2, 200, creds), fact(3, 401, creds), fact(4, 401, creds)]);
  t.match(rejected.caveats?.[0], { code: 'target-lost', hint: 'results before that probe stand; run again with working credentials' });
  // Unleash: two slow reads last timed out, on a document with no security: no credentials to blame.
  const slow = judge([fact(1, 200), fact(2, 200), fact(3, 'timeout'), fact(4, 'timeout')]);
  t.match(slow.caveats?.[0], { code: 'target-lost', hint: 'results before that probe stand; run again once the target answers (a slow one: raise --timeout)' });
});

t.test('the credentials hint says whether credentials were sent', async (t) => {
  t.match(judge([fact(1, 401), fact(2, 401)]).caveats?.[0]?.hint, /no credentials were sent: pass --token-env VAR/);
  t.match(judge([fact(1, 401, { carriesCredentials: true }), fact(2, 403, { carriesCredentials: true })]).caveats?.[0]?.hint, /the credentials sent were refused/);
});

t.test('403s to placeholder ids count as refused credentials: a token lacking a scope also gets 2xx elsewhere', async (t) => {
  const creds = { carriesCredentials: true };
  const madeUp = (index: number) => fact(index, 403, { ...creds, inputs: { 'path:id': index % 2 ? 'generated' : 'schema-example' }, results: [makeResult({ check: 'status-code', status: 'warn' })] });
  // Review: a token lacking the scope for two of three operations was CONFORMANT once these were left out.
  const scoped = judge([fact(1, 200, creds), fact(2, 200, creds), madeUp(3), madeUp(4), madeUp(5)]);
  t.equal(scoped.verdict, 'inconclusive');
  // Directus answers 403 for an id it does not have: the caveat names both causes, not the token alone.
  t.match(scoped.caveats?.[0], {
    code: 'credentials-rejected',
    message: 'credentials refused, or placeholder values that name no record: 3 of 5 responses were 403 to a path with a placeholder value',
    hint: 'pass real values with --var id=<value>; if those are refused too, check the token and its scopes',
  });
  // Directus: a few 403s to made-up ids among many 2xx raise no caveat.
  t.notOk(judge([fact(1, 200, creds), fact(2, 200, creds), fact(6, 200, creds), madeUp(3)]).caveats?.some((c) => c.code === 'credentials-rejected'));
  // Credentials that never got a 2xx may be what the 403s refuse: counted, as before.
  const never = judge([fact(1, 403, creds), madeUp(2), madeUp(3)]);
  t.equal(never.verdict, 'inconclusive');
  t.match(never.caveats?.[0], { code: 'credentials-rejected', message: /3 of 3 responses were 401 or 403 \(2 of them to a path with a placeholder value\)$/, hint: /the credentials sent were refused/ });
  // Real ids: the credentials are what was refused.
  const real = judge([fact(1, 200, creds), fact(2, 403, { ...creds, inputs: { 'path:id': 'var' } }), fact(3, 403, { ...creds, inputs: { 'path:id': 'harvested' } })]);
  t.equal(real.caveats?.[0]?.code, 'credentials-rejected');
});

t.test('MUST failures on answers a caveat voids are counted apart from those the verdict rests on', async (t) => {
  const refused = (index: number) => fact(index, 403, { fail: true });
  const summary = judge([fact(1, 200, { fail: true }), fact(2, 200), refused(3), refused(4), refused(5), refused(6)]);
  t.equal(summary.verdict, 'non-conformant', 'the failure on the 200 stands');
  t.equal(summary.mustFailed, 5);
  t.equal(summary.mustFailedVoided, 4, 'the 403s are void under the credentials caveat');
  t.equal(judge([fact(1, 200, { fail: true }), fact(2, 200)]).mustFailedVoided, undefined, 'nothing voided, no field');
});

t.test('thin coverage: below --min-coverage a conformant verdict becomes inconclusive; the percentage shown never rounds up to the threshold', async (t) => {
  const facts = [fact(1, 200), fact(2, 200), fact(3, 200)];
  const results = facts.flatMap((f) => f.results);
  const coverage = (successValidated: number, operations: number) => ({ operations, sent: operations, successValidated, notReached: [] });
  const judged = (successValidated: number, operations: number, minCoverage?: number) =>
    summarize(results, facts.length, 0, [], { facts, coverage: coverage(successValidated, operations), ...(minCoverage === undefined ? {} : { minCoverage }) });

  t.equal(judged(1, 3).verdict, 'conformant', 'no threshold: coverage is only reported');
  const thin = judged(1, 3, 50);
  t.equal(thin.verdict, 'inconclusive');
  t.same(thin.caveats?.map((c) => c.code), ['thin-coverage']);
  t.equal(thin.caveats?.[0]?.message, 'success responses validated for 1 of 3 operations (33%), below --min-coverage 50%');
  t.equal(thinCoverageCaveat(coverage(799, 1000), 80)?.message, 'success responses validated for 799 of 1000 operations (79%), below --min-coverage 80%', '79.9% reads 79%');
  t.equal(thinCoverageCaveat(coverage(2, 3), 66.7)?.message, 'success responses validated for 2 of 3 operations (66%), below --min-coverage 66.7%');
  t.equal(thinCoverageCaveat(coverage(2, 3), 66.6), undefined, '66.67% meets 66.6%');
  t.equal(thinCoverageCaveat(coverage(4, 5), 80), undefined, 'exactly the threshold meets it');
  t.equal(thinCoverageCaveat(coverage(0, 0), 100), undefined, 'no operations selected: nothing to be thin');
  t.equal(thinCoverageCaveat(coverage(0, 4), 0), undefined, '0% asks for nothing');

  const failing = [fact(1, 200, { fail: true }), fact(2, 200)];
  const proof = summarize(failing.flatMap((f) => f.results), 2, 0, [], { facts: failing, coverage: coverage(0, 2), minCoverage: 90 });
  t.equal(proof.verdict, 'non-conformant', 'a failure stays proof on thin coverage');
  t.ok(proof.caveats?.some((c) => c.code === 'thin-coverage'));
});

t.test('thin coverage: a threshold with decimals is met exactly, whatever floating point makes of it', async (t) => {
  const coverage = (successValidated: number, operations: number) => ({ operations, sent: operations, successValidated, notReached: [] });
  t.ok(0.07 * 10000 > 700, 'the trap: 0.07 * 10000 is 700.0000000000001');
  t.equal(thinCoverageCaveat(coverage(7, 10000), 0.07), undefined, '7 of 10000 is 0.07%');
  t.equal(thinCoverageCaveat(coverage(7, 10), 70), undefined);
  t.equal(thinCoverageCaveat(coverage(101, 1000), 10.1), undefined);
  t.ok(thinCoverageCaveat(coverage(100, 1000), 10.1), 'one short is below');
});

t.test('thin coverage: operations that document no success response are left out of the share, and the message says how many', async (t) => {
  const coverage = { operations: 5, sent: 5, successValidated: 2, notReached: [] };
  t.equal(thinCoverageCaveat(coverage, 50, 1), undefined, '2 of the 4 that can succeed meets 50%');
  t.equal(thinCoverageCaveat(coverage, 60, 1)?.message, 'success responses validated for 2 of 4 operations that document one (1 more documents none) (50%), below --min-coverage 60%');
  t.equal(thinCoverageCaveat(coverage, 60, 2), undefined, '2 of the 3 that can succeed (66%) meets 60%');
  t.equal(thinCoverageCaveat(coverage, 80, 2)?.message, 'success responses validated for 2 of 3 operations that document one (2 more document none) (66%), below --min-coverage 80%');
  t.equal(thinCoverageCaveat({ ...coverage, successValidated: 0 }, 100, 5), undefined, 'none can succeed: nothing to be thin');
});
