import type { CheckResult } from '../results.js';
import type { RequirementSummary, ReportSummary, Verdict } from './report-types.js';

/**
 * Counts results by status and applies the verdict rule. Only MUST-level
 * results decide the verdict: a failed SHOULD or MAY is reported (and counted
 * in `failed`) but is a recommendation missed, not non-conformance.
 *
 * - any MUST result `fail`  → `non-conformant` (a failure is proof, even if other evidence is missing)
 * - else any MUST `error`, or a MUST requirement none of whose checks passed
 *                           → `inconclusive` (conformance not shown: evidence is missing)
 * - else                    → `conformant`
 *
 * @example
 *   summarize(results, 42, 3).verdict; // 'non-conformant' when a MUST check failed
 */
export function summarize(
  results: CheckResult[],
  probes: number,
  operationsSkipped: number,
  requirements: readonly Pick<RequirementSummary, 'id' | 'level' | 'checks'>[] = [],
): ReportSummary {
  const summary: ReportSummary = {
    verdict: 'conformant',
    total: results.length,
    passed: 0,
    failed: 0,
    warnings: 0,
    skipped: 0,
    errors: 0,
    mustFailed: 0,
    mustErrors: 0,
    mustUnverified: [],
    probes,
    operationsSkipped,
  };
  for (const result of results) {
    switch (result.status) {
      case 'pass':
        summary.passed += 1;
        break;
      case 'fail':
        summary.failed += 1;
        if (result.level === 'MUST') summary.mustFailed += 1;
        break;
      case 'warn':
        summary.warnings += 1;
        break;
      case 'skip':
        summary.skipped += 1;
        break;
      case 'error':
        summary.errors += 1;
        if (result.level === 'MUST') summary.mustErrors += 1;
        break;
    }
  }
  const passedRequirements = new Set(results.filter((r) => r.status === 'pass' && r.requirement !== null).map((r) => r.requirement));
  summary.mustUnverified = requirements.filter((r) => r.level === 'MUST' && r.checks.length > 0 && !passedRequirements.has(r.id)).map((r) => r.id);
  summary.verdict = verdictOf(summary);
  return summary;
}

/**
 * The verdict for given MUST-level counts; see `summarize` for the rule.
 *
 * @example
 *   verdictOf({ mustFailed: 0, mustErrors: 2 }); // 'inconclusive'
 */
export function verdictOf(counts: Pick<ReportSummary, 'mustFailed' | 'mustErrors'> & { mustUnverified?: readonly string[] }): Verdict {
  if (counts.mustFailed > 0) return 'non-conformant';
  if (counts.mustErrors > 0 || (counts.mustUnverified?.length ?? 0) > 0) return 'inconclusive';
  return 'conformant';
}

/**
 * The process exit code for a finished run: 0 only for a conformant verdict;
 * 1 for non-conformant or inconclusive (CI must not go green on missing evidence).
 * Harness errors (exit 2) are the CLI's concern, not the report's.
 *
 * @example
 *   process.exitCode = verdictExitCode(report.summary);
 */
export function verdictExitCode(summary: Pick<ReportSummary, 'verdict'>): 0 | 1 {
  return summary.verdict === 'conformant' ? 0 : 1;
}
