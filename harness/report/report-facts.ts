/**
 * Sentences and orderings every human-readable format shares, so the HTML
 * page, the Markdown summary and `compare` say the same thing the same way.
 */
import { LEVEL_RANK, STATUS_RANK, type CheckResult, type EventStreamRead, type ResponseEvidence } from '../results.js';
import type { Report, ReportSummary, RunCaveatCode, Verdict } from './report-types.js';

/** The verdict as a heading word; status is never conveyed by colour alone. */
export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  conformant: 'CONFORMANT',
  'non-conformant': 'NON-CONFORMANT',
  inconclusive: 'INCONCLUSIVE',
};

/** Caveats that void the results on some responses, and how the verdict line names each. */
const VOIDING_CAVEATS: Readonly<Partial<Record<RunCaveatCode, string>>> = {
  'target-lost': 'the target-lost caveat',
  'credentials-rejected': 'the credentials caveat',
  'not-served': 'the not-served caveat',
};

/**
 * Why the verdict is what it is, in one phrase. An inconclusive run with a
 * caveat says the caveat (the headline): "credentials missing or rejected: …".
 * A non-conformant one counts the MUST-level failures its verdict rests on,
 * and those on answers a caveat voids apart.
 *
 * @example
 *   explainVerdict({ mustFailed: 2, mustErrors: 0 }); // '2 MUST-level results failed'
 *   explainVerdict({ verdict: 'non-conformant', mustFailed: 30, mustFailedVoided: 27, mustErrors: 0, caveats: [{ code: 'credentials-rejected', message: '…' }] });
 *   // '3 MUST-level results failed; 27 more on answers the credentials caveat voids'
 */
export function explainVerdict(
  summary: Pick<ReportSummary, 'mustFailed' | 'mustErrors'> & Partial<Pick<ReportSummary, 'verdict' | 'caveats' | 'mustFailedVoided'>> & { mustUnverified?: readonly string[] },
): string {
  const { mustFailed, mustErrors } = summary;
  const unverified = summary.mustUnverified ?? [];
  const headline = summary.caveats?.[0];
  if (headline && summary.verdict !== 'non-conformant') return headline.message;
  const voided = Math.min(summary.mustFailedVoided ?? 0, mustFailed);
  if (voided > 0 && voided < mustFailed) {
    const standing = mustFailed - voided;
    const voiding = (summary.caveats ?? []).flatMap((c) => VOIDING_CAVEATS[c.code] ?? []);
    const what = voiding.length === 1 ? `${voiding[0]} voids` : 'the caveats void';
    return `${standing} MUST-level ${plural(standing, 'result')} failed; ${voided} more on answers ${what}`;
  }
  if (mustFailed > 0) return `${mustFailed} MUST-level ${plural(mustFailed, 'result')} failed`;
  if (mustErrors > 0) return `${mustErrors} MUST-level ${plural(mustErrors, 'result')} could not be verified`;
  if (unverified.length > 0) return `MUST ${plural(unverified.length, 'requirement')} ${unverified.join(', ')} not verified: no check passed`;
  return 'no MUST-level failure or error';
}

/**
 * How many operations were probed and how many not, which add up to the
 * operations the run selected, and the requests sent for them when those
 * are more (lifecycle steps, negative requests). A report from before
 * coverage was recorded has only the request count.
 *
 * @example
 *   probesLine({ probes: 130, operationsSkipped: 91, coverage: { operations: 136, sent: 45, … } });
 *   // '45 operations probed (130 requests), 91 not probed'
 */
export function probesLine(summary: Pick<ReportSummary, 'probes' | 'operationsSkipped' | 'coverage'>): string {
  const { probes, coverage } = summary;
  if (!coverage) return `${probes} ${plural(probes, 'request')} sent, ${summary.operationsSkipped} ${plural(summary.operationsSkipped, 'operation')} not probed`;
  const requests = probes === coverage.sent ? '' : ` (${probes} ${plural(probes, 'request')})`;
  return `${coverage.sent} ${plural(coverage.sent, 'operation')} probed${requests}, ${coverage.operations - coverage.sent} not probed`;
}

/**
 * The caveats besides the one the verdict line already states, each with its
 * hint: what a reader should know before trusting the counts.
 *
 * @example
 *   caveatLines(summary); // ['no probe reached a documented success response (89 probes sent): see the coverage list …']
 */
export function caveatLines(summary: Pick<ReportSummary, 'verdict' | 'caveats'>): string[] {
  const caveats = summary.caveats ?? [];
  const shown = summary.verdict === 'non-conformant' ? caveats : caveats.slice(1);
  const first = summary.verdict === 'non-conformant' ? [] : caveats.slice(0, 1).filter((c) => c.hint).map((c) => `what to do: ${c.hint}`);
  return [...first, ...shown.map((c) => (c.hint ? `${c.message}; ${c.hint}` : c.message))];
}

/**
 * `1 result`, `2 results`.
 *
 * @example
 *   plural(1, 'failure'); // 'failure'
 */
export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/**
 * Indexes of the failed and errored results: failures first (they are proof),
 * then errors (missing evidence), each MUST-level first, then in report order.
 *
 * @example
 *   problemIndexes(report).map((i) => report.results[i].status); // ['fail', 'fail', 'error', …]
 */
export function problemIndexes(report: Pick<Report, 'results'>): number[] {
  return report.results
    .map((result, index) => ({ result, index }))
    .filter(({ result }) => result.status === 'fail' || result.status === 'error')
    .sort((a, b) => compareProblems(a.result, b.result) || a.index - b.index)
    .map(({ index }) => index);
}

/** Failures before errors, then MUST before SHOULD before MAY. */
export function compareProblems(a: Pick<CheckResult, 'level' | 'status'>, b: Pick<CheckResult, 'level' | 'status'>): number {
  return STATUS_RANK.indexOf(b.status) - STATUS_RANK.indexOf(a.status) || LEVEL_RANK.indexOf(a.level) - LEVEL_RANK.indexOf(b.level);
}

/**
 * A recorded command line as a reader would type it: `interop-harness`, then
 * each argument, single-quoted when the shell would split or expand it.
 *
 * @example
 *   formatCommandLine(['run', '--header', 'X-Api-Key: [redacted]']); // "interop-harness run --header 'X-Api-Key: [redacted]'"
 */
export function formatCommandLine(argv: readonly string[]): string {
  const quoted = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`));
  return ['interop-harness', ...quoted].join(' ');
}

/** Records left behind listed by name in the terminal and Markdown; report.json and the HTML list them all. */
export const LEFT_BEHIND_SHOWN = 10;

/**
 * What a run with --allow-writes did to the target, in one line.
 *
 * @example
 *   cleanupLine({ created: 3, deleted: ['…', '…'], leftBehind: [{ url: '…', reason: 'DELETE answered 500' }] });
 *   // '3 records created by this run, 2 deleted, 1 left behind'
 */
export function cleanupLine(cleanup: NonNullable<Report['cleanup']>): string {
  const left = cleanup.leftBehind.length;
  const named = cleanup.namedWrites?.length ?? 0;
  const line = `${cleanup.created} ${plural(cleanup.created, 'record')} created by this run, ${cleanup.deleted.length} deleted, ${left === 0 ? 'none left behind' : `${left} left behind`}`;
  return named === 0 ? line : `${line}; ${named} named ${plural(named, 'write')} sent outside its lifecycles, which may have changed data it did not create`;
}

/** Why the named writes are listed, in one sentence for every report format. */
export const NAMED_WRITES_NOTE = 'Sent because --operations or --paths named them, outside the create-and-delete lifecycles: each may have changed data the run did not create, and nothing undid it.';

/** Why an event stream's read ended, as `partialBodyNote` says it. */
const EVENT_STREAM_UNTIL: Readonly<Record<EventStreamRead['until'], string>> = {
  'first-event': 'after its first event',
  time: 'with no complete event by then',
  size: 'at the most it keeps',
};

/**
 * How the body in a response's evidence falls short of the whole, or
 * undefined when it is whole: cut at the body limit, or the start of an event
 * stream the harness closed (such a body never ends on its own).
 *
 * @example
 *   partialBodyNote({ truncated: false, eventStream: { readMs: 4, until: 'first-event' } });
 *   // 'an event stream, closed by the harness after 4 ms, after its first event'
 */
export function partialBodyNote(response: Pick<ResponseEvidence, 'truncated' | 'eventStream'>): string | undefined {
  if (response.truncated) return 'cut off at the body limit';
  const stream = response.eventStream;
  return stream && `an event stream, closed by the harness after ${stream.readMs} ms, ${EVENT_STREAM_UNTIL[stream.until]}`;
}
