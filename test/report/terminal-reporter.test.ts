import t from 'tap';
import type { ProfileWarning } from '../../harness/profile/profile-types.js';
import type { Report } from '../../harness/report/report-types.js';
import type { ReporterContext } from '../../harness/report/reporter.js';
import { createTerminalReporter } from '../../harness/report/terminal-reporter.js';
import type { ProbeSummary, RunEvent } from '../../harness/report/run-events.js';
import { CaptureStream } from './capture-stream.js';
import { buildGenericReport, buildSampleReport, makeResult, manyResults } from './sample-report.js';

function setup(options: { color?: boolean; isTTY?: boolean; columns?: number } = {}) {
  const stdout = new CaptureStream({ isTTY: options.isTTY ?? false, columns: options.columns ?? 0 });
  const context: ReporterContext = { outDir: '/unused', stdout, color: options.color ?? false };
  return { stdout, context };
}

async function finish(report: Report, context: ReporterContext, quiet = false): Promise<string[]> {
  return (await createTerminalReporter({ quiet }).finish?.(report, context)) ?? [];
}

function probe(index: number, path = '/persons/{personId}'): ProbeSummary {
  return { index, operationId: `op${index}`, method: 'get', path, url: `https://api.example.police.uk/v1${path}` };
}

const started: RunEvent = {
  type: 'run-started',
  startedAt: '2025-11-23T10:00:00.000Z',
  target: 'https://api.example.police.uk/v1',
  profile: { id: 'pnc-persons', title: 'PNC', version: '1.2.0', mode: 'profile' },
  operations: 4,
};

t.test('summary names target, profile, verdict and counts; writes no files', async (t) => {
  const { stdout, context } = setup();
  const files = await finish(buildSampleReport(), context);
  t.same(files, []);
  const out = stdout.text;
  t.match(out, /target: +https:\/\/api\.example\.police\.uk\/v1/);
  t.match(out, /profile: +pnc-persons@1\.2\.0 \(profile mode\)/);
  t.match(out, /verdict: +NON-CONFORMANT \(2 MUST-level results failed\)/);
  t.match(out, /12 total: 3 passed, 3 failed, 2 warnings, 2 skipped, 2 errors/);
  // A report from before coverage was recorded knows the requests it sent, not the operations they went to.
  t.match(out, /probes: +3 requests sent, 1 operation not probed/);
  t.match(out, /Failures and errors \(5\):/);
});

t.test('with color false there is no escape character at all', async (t) => {
  const { stdout, context } = setup({ color: false });
  await finish(buildSampleReport(), context);
  t.notOk(stdout.text.includes('\x1b'), 'no ESC');
});

t.test('with color true statuses are coloured, but supplier text is sanitised', async (t) => {
  const { stdout, context } = setup({ color: true });
  await finish(buildSampleReport(), context);
  const out = stdout.text;
  t.ok(out.includes('\x1b[31mFAIL'), 'FAIL is red, and still says FAIL');
  t.ok(out.includes('\x1b[35mERROR'), 'ERROR is coloured, and still says ERROR');
  t.notOk(out.includes('\x1b[2J'), 'the clear-screen from the supplier is gone');
  t.notOk(out.includes('\u202e'), 'the right-to-left override is not passed through');
  t.match(out, /Content-Type is\s+"text\/html⟨U\+202E⟩LIAF"/, 'it is shown as a marker, and the rest of the message is kept');
  // Only our own SGR colour codes remain.
  t.same(out.match(/\x1b\[[0-9;]*[A-Za-z]/g)?.filter((code) => !/^\x1b\[\d+m$/.test(code)) ?? [], []);
});

t.test('table lists failures, then errors, with status words, MUST first, within 100 columns', async (t) => {
  const { stdout, context } = setup();
  const report = buildSampleReport();
  report.results.push(makeResult({ status: 'fail', message: 'x'.repeat(300) }));
  await finish(report, context);
  const lines = stdout.text.split('\n');
  const header = lines.findIndex((line) => line.trimStart().startsWith('STATUS'));
  t.ok(header > 0, 'there is a header row');
  t.match(lines[header], /STATUS +CHECK +REQUIREMENT +LEVEL +OPERATION +MESSAGE/);
  const rows = lines.slice(header + 1).filter((line) => /^ {2}(FAIL|ERROR) /.test(line));
  t.equal(rows.length, 6, 'three fails, two errors, one added fail; no pass, warn or skip');
  t.same(
    rows.map((row) => row.trim().split(/\s+/).slice(0, 4).join(' ')),
    [
      'FAIL response-schema PNC-API-001 MUST',
      'FAIL content-type PNC-API-002 MUST',
      'FAIL response-schema PNC-API-001 MUST',
      'FAIL cache-headers PNC-API-003 SHOULD',
      'ERROR response-schema PNC-API-001 MUST',
      'ERROR problem-json PNC-API-005 SHOULD',
    ],
    'failures first (they are proof), then errors; each MUST first, otherwise in report order',
  );
  for (const line of lines) t.ok(Array.from(line).length <= 100, `line fits 100 columns: ${line.slice(0, 30)}…`);
  // A message too long for its column carries on beneath the row, bounded, rather than cut to a few words.
  const continued = lines.filter((line) => /^ {6}x+…?$/.test(line));
  t.ok(continued.length >= 3, 'the 300-character message continues on the lines beneath its row');
  const onRow = rows.find((row) => row.includes('xxxx'))!.split(/\s+/).pop()!;
  t.equal(onRow.length + continued.map((line) => line.trim()).join('').length, 300, 'all of it, once');
});

t.test('on a TTY the table fits the terminal width', async (t) => {
  const { stdout, context } = setup({ isTTY: true, columns: 120 });
  const report = buildSampleReport();
  report.results = [makeResult({ status: 'fail', message: 'y'.repeat(500) })];
  await finish(report, context);
  const row = stdout.text.split('\n').find((line) => line.includes('yyy')) ?? '';
  t.equal(Array.from(row).length, 120);
});

t.test('shows the first 20 failures, then says how many more', async (t) => {
  const { stdout, context } = setup();
  const report = buildSampleReport();
  report.results = manyResults(25, 'fail', 'MUST');
  await finish(report, context);
  const rows = stdout.text.split('\n').filter((line) => line.startsWith('  FAIL '));
  t.equal(rows.length, 20);
  t.match(stdout.text, /and 5 more: see report\.json/);
});

t.test('a conformant run has no table', async (t) => {
  const { stdout, context } = setup();
  const report = buildSampleReport();
  report.results = [makeResult(), makeResult({ status: 'fail', level: 'SHOULD' })].filter((r) => r.status === 'pass');
  report.summary = { ...report.summary, verdict: 'conformant', mustFailed: 0, mustErrors: 0 };
  await finish(report, context);
  t.match(stdout.text, /verdict: +CONFORMANT \(no MUST-level failure or error\)/);
  t.notMatch(stdout.text, /Failures and errors/);
});

t.test('progress: a single updating line on a TTY, nothing per probe off a TTY', async (t) => {
  const events: RunEvent[] = [
    started,
    { type: 'probe-started', probe: probe(1) },
    { type: 'probe-finished', probe: probe(1), results: [] },
    { type: 'probe-started', probe: probe(2, '/persons') },
    { type: 'operation-skipped', result: makeResult({ status: 'skip' }) },
    { type: 'probe-started', probe: probe(3, '/vehicles/{vrm}') },
  ];

  const tty = setup({ isTTY: true, columns: 80 });
  const reporter = createTerminalReporter();
  for (const event of events) reporter.onEvent?.(event, tty.context);
  t.ok(tty.stdout.text.includes('\rprobing 1/4 GET /persons/{personId}'));
  t.ok(tty.stdout.text.includes('\rprobing 2/4 GET /persons'));
  t.ok(tty.stdout.text.includes('\rprobing 4/4 GET /vehicles/{vrm}'), 'a skipped operation counts as done');
  t.notOk(tty.stdout.text.includes('\x1b'), 'no escape sequences needed to redraw');
  await reporter.finish?.(buildSampleReport(), tty.context);
  t.ok(tty.stdout.text.includes(`\r${' '.repeat('probing 4/4 GET /vehicles/{vrm}'.length)}\r\n`), 'the progress line is blanked');

  const ci = setup({ isTTY: false });
  const quietCi = createTerminalReporter();
  for (const event of events) quietCi.onEvent?.(event, ci.context);
  t.notMatch(ci.stdout.text, /probing \d/, 'no per-probe lines in a CI log');
  t.notOk(ci.stdout.text.includes('\r'), 'no carriage returns in a CI log');
  t.match(ci.stdout.text, /^interop-harness: probing https:\/\/api\.example\.police\.uk\/v1 with pnc-persons@1\.2\.0/);
});

t.test('profile warnings: the first 10 as they come, then a count', async (t) => {
  const { stdout, context } = setup();
  const reporter = createTerminalReporter();
  const warnings: ProfileWarning[] = Array.from({ length: 13 }, (_, i) => ({
    code: 'unknown-format',
    message: `warning ${i + 1}${i === 0 ? ' \x1b]0;pwned\x07\u202e' : ''}`,
    location: `/paths/~1p${i + 1}`,
  }));
  reporter.onEvent?.(started, context);
  for (const warning of warnings) reporter.onEvent?.({ type: 'profile-warning', warning }, context);
  const report = buildSampleReport();
  report.profile.warnings = warnings;
  await reporter.finish?.(report, context);
  const shown = stdout.text.split('\n').filter((line) => line.startsWith('warning: '));
  t.equal(shown.length, 10);
  t.equal(shown[0], 'warning: warning 1 ⟨U+202E⟩ [unknown-format at /paths/~1p1]', 'the title-setting OSC is gone, the bidi override shown as a marker');
  t.match(stdout.text, /and 3 more profile warnings: see report\.json/);
  t.match(stdout.text, /profile warnings: 13/);
});

t.test('quiet: no header, progress or warnings, but the summary and table', async (t) => {
  const { stdout, context } = setup({ isTTY: true, columns: 80 });
  const reporter = createTerminalReporter({ quiet: true });
  reporter.onEvent?.(started, context);
  reporter.onEvent?.({ type: 'profile-warning', warning: { code: 'x', message: 'w', location: '' } }, context);
  reporter.onEvent?.({ type: 'probe-started', probe: probe(1) }, context);
  t.equal(stdout.text, '');
  await reporter.finish?.(buildSampleReport(), context);
  t.match(stdout.text, /verdict: +NON-CONFORMANT/);
  t.match(stdout.text, /Failures and errors/);
});

t.test('a probe\'s transport errors share one row, listed after the failures', async (t) => {
  const { stdout, context } = setup();
  const report = buildSampleReport();
  const lost = { request: { method: 'GET', url: 'https://api.example.police.uk/v1/x', headers: {} }, durationMs: 1, curl: 'curl x', transportError: { code: 'connection-refused', message: 'connection refused' } };
  const crashed = (i: number) =>
    ['server-error', 'status-code', 'content-type', 'response-schema'].map((check) =>
      makeResult({ status: 'error', check, operationId: `op${i}`, requirement: `REQ-${check}`, message: 'not checked: connection refused', evidence: lost }),
    );
  report.results = [...crashed(1), ...crashed(2), makeResult({ status: 'fail', operationId: 'real', message: 'a real failure' })];
  await finish(report, context);
  const rows = stdout.text.split('\n').filter((line) => /^ {2}(FAIL|ERROR) /.test(line));
  t.equal(rows.length, 3, 'one row per crashed probe, one for the failure');
  t.match(rows[0], /^ {2}FAIL .*a real failure/, 'the failure comes first');
  t.match(rows[1], /ERROR +4 checks +4 reqs +MUST +op1 +not checked: connection refused/);
  t.match(stdout.text, /Failures and errors \(9\):/, 'the heading still counts every result');
});

t.test('generic mode says so in one line instead of counts by principle; coverage and caveats are shown', async (t) => {
  const { stdout, context } = setup();
  const report = buildGenericReport();
  report.summary = {
    ...report.summary,
    verdict: 'inconclusive',
    caveats: [
      { code: 'credentials-rejected', message: 'credentials missing or rejected: 2 of 3 responses were 401 or 403', hint: 'pass --token-env VAR' },
      { code: 'no-success-response', message: 'no probe reached a documented success response (3 probes sent)' },
    ],
    coverage: { operations: 3, sent: 3, successValidated: 1, notReached: [{ operationId: 'a', method: 'GET', path: '/a', reason: '401: credentials missing', hint: '--token-env VAR' }, { operationId: 'b', method: 'GET', path: '/b', reason: '401: credentials missing', hint: '--token-env VAR' }] },
  };
  await finish(report, context);
  const out = stdout.text;
  t.match(out, /verdict: +INCONCLUSIVE \(credentials missing or rejected: 2 of 3 responses were 401 or 403\)/);
  t.match(out, /caveat: +what to do: pass --token-env VAR/);
  t.match(out, /caveat: +no probe reached a documented success response/);
  t.match(out, /coverage: success responses validated for 1 of 3 operations \(3 sent\)/);
  t.match(out, /not reached, 401: credentials missing \(2\): GET \/a, GET \/b; hint: --token-env VAR/);
  t.match(out, /mode: +generic mode: every result counts as MUST/);
  t.notMatch(out, /by principle/);
  t.ok(out.indexOf('Failures and errors') < out.indexOf('results:'), 'failures straight after the verdict');
});

t.test('with --negative, operations probed and not probed add up to the operations selected; the requests are said apart', async (t) => {
  const { stdout, context } = setup();
  const report = buildGenericReport();
  // Directus with --negative: 45 GETs probed, then 85 negative requests to them; 91 writes not probed.
  report.summary = { ...report.summary, probes: 130, operationsSkipped: 91, coverage: { operations: 136, sent: 45, successValidated: 16, notReached: [] } };
  await finish(report, context);
  t.match(stdout.text, /probes: +45 operations probed \(130 requests\), 91 not probed\n/);
  t.notMatch(stdout.text, /130 operations/);

  const plain = setup();
  report.summary = { ...report.summary, probes: 45 };
  await finish(report, plain.context);
  t.match(plain.stdout.text, /probes: +45 operations probed, 91 not probed\n/, 'one request per operation: nothing more to say');
});

t.test('the verdict line counts the MUST failures a caveat voids apart from those that stand', async (t) => {
  const { stdout, context } = setup();
  const report = buildGenericReport();
  report.summary = {
    ...report.summary,
    verdict: 'non-conformant',
    mustFailed: 30,
    mustFailedVoided: 27,
    caveats: [{ code: 'credentials-rejected', message: 'credentials missing or rejected: 39 of 45 responses were 401 or 403', hint: 'no credentials were sent: pass --token-env VAR' }],
  };
  await finish(report, context);
  t.match(stdout.text, /verdict: +NON-CONFORMANT \(3 MUST-level results failed; 27 more on answers the credentials caveat voids\)/);
  t.match(stdout.text, /caveat: +credentials missing or rejected: 39 of 45 responses were 401 or 403; no credentials were sent/);
});
