/**
 * Sentences and orderings every human-readable format shares, so the HTML
 * page, the Markdown summary and `compare` say the same thing the same way.
 */
import { STATUS_RANK, type CheckResult, type Level } from '../results.js';
import type { Report, ReportSummary, Verdict } from './report-types.js';

/** The verdict as a heading word; status is never conveyed by colour alone. */
export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  conformant: 'CONFORMANT',
  'non-conformant': 'NON-CONFORMANT',
  inconclusive: 'INCONCLUSIVE',
};

/**
 * Why the verdict is what it is, in one phrase.
 *
 * @example
 *   explainVerdict({ mustFailed: 2, mustErrors: 0 }); // '2 MUST-level results failed'
 */
export function explainVerdict(summary: Pick<ReportSummary, 'mustFailed' | 'mustErrors'> & { mustUnverified?: readonly string[] }): string {
  const { mustFailed, mustErrors } = summary;
  const unverified = summary.mustUnverified ?? [];
  if (mustFailed > 0) return `${mustFailed} MUST-level ${plural(mustFailed, 'result')} failed`;
  if (mustErrors > 0) return `${mustErrors} MUST-level ${plural(mustErrors, 'result')} could not be verified`;
  if (unverified.length > 0) return `MUST ${plural(unverified.length, 'requirement')} ${unverified.join(', ')} not verified: no check passed`;
  return 'no MUST-level failure or error';
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

const LEVEL_ORDER: Readonly<Record<Level, number>> = { MUST: 0, SHOULD: 1, MAY: 2 };

/**
 * Indexes of the failed and errored results, MUST-level first, then errors
 * before failures (as `STATUS_RANK`), then report order: the order a reader
 * should work through them, since MUST-level ones decide the verdict.
 *
 * @example
 *   problemIndexes(report).map((i) => report.results[i].status); // ['error', 'fail', 'fail', …]
 */
export function problemIndexes(report: Pick<Report, 'results'>): number[] {
  return report.results
    .map((result, index) => ({ result, index }))
    .filter(({ result }) => result.status === 'fail' || result.status === 'error')
    .sort((a, b) => compareProblems(a.result, b.result) || a.index - b.index)
    .map(({ index }) => index);
}

function compareProblems(a: CheckResult, b: CheckResult): number {
  return LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || STATUS_RANK.indexOf(a.status) - STATUS_RANK.indexOf(b.status);
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
