import { CREDENTIAL_OPTIONS } from '../plan/credentials.js';
import type { CheckResult } from '../results.js';
import { placeholderInputs, placeholderRefusal, type ProbeFact } from './coverage.js';
import { varHint } from '../checks/placeholder-inputs.js';
import { refusedBody } from '../checks/placeholder-inputs.js';
import { READ_METHODS } from '../plan/write-plan.js';
import type { CoverageSummary, RequirementSummary, ReportSummary, RunCaveat, TargetLost, Verdict } from './report-types.js';

/** What the run saw besides its results: one fact per probe sent, and the coverage they add up to. */
export interface RunEvidence {
  facts: readonly ProbeFact[];
  coverage?: CoverageSummary;
  /** `--min-coverage`: the percentage of operations that must reach a validated success response. */
  minCoverage?: number;
  /** Selected operations that document no success response (`documentsSuccess`): none of them can reach one. */
  withoutSuccess?: number;
}

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
 * Then the run's evidence as a whole (`assessEvidence`): a run that rests on
 * nothing is never conformant. When nothing passed, no MUST-level result passed,
 * or no probe reached a documented success response, a `conformant` verdict
 * becomes `inconclusive`. When the target was lost part-way, most responses were
 * 401/403, or most probes hit paths the target does not serve (404, an HTML
 * fallback page), the results on those responses are void: the verdict is
 * `non-conformant` only if a MUST-level failure on another response stands,
 * else `inconclusive`. With `minCoverage`, fewer operations reaching a
 * validated success response than that percentage is a caveat too
 * (`thin-coverage`). Each reason is a caveat; the first is the headline.
 *
 * @example
 *   summarize(results, 42, 3).verdict; // 'non-conformant' when a MUST check failed
 */
export function summarize(
  results: CheckResult[],
  probes: number,
  operationsSkipped: number,
  requirements: readonly Pick<RequirementSummary, 'id' | 'level' | 'checks'>[] = [],
  evidence?: RunEvidence,
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
  const assessed = assessEvidence(results, evidence?.facts);
  if (evidence?.coverage) summary.coverage = evidence.coverage;
  const thin = evidence?.coverage && evidence.minCoverage !== undefined ? thinCoverageCaveat(evidence.coverage, evidence.minCoverage, evidence.withoutSuccess) : undefined;
  // Said once: a run that reached no success response at all has that caveat already.
  if (thin && !assessed.caveats.some((c) => c.code === 'no-success-response')) assessed.caveats.push(thin);
  if (assessed.caveats.length > 0) {
    summary.caveats = assessed.caveats;
    if (assessed.voided.size > 0) {
      const standing = results.some((r) => r.level === 'MUST' && r.status === 'fail' && !assessed.voided.has(r));
      summary.verdict = standing ? 'non-conformant' : 'inconclusive';
      const voidedFailures = results.filter((r) => r.level === 'MUST' && r.status === 'fail' && assessed.voided.has(r)).length;
      if (voidedFailures > 0) summary.mustFailedVoided = voidedFailures;
    } else if (summary.verdict === 'conformant') {
      summary.verdict = 'inconclusive';
    }
  }
  if (assessed.targetLost) summary.targetLost = assessed.targetLost;
  return summary;
}

/** Transport failures that say the target stopped answering (not a refused header block or a bad encoding). */
const STOPPED_ANSWERING: ReadonlySet<string> = new Set(['connection-refused', 'connection-reset', 'network', 'timeout', 'dns', 'tls']);

/** Probes that must at least be lost in a row, at the end of the run, to say the target was lost. */
const MIN_LOST_PROBES = 2;

export interface EvidenceAssessment {
  /** Most important first; empty when the evidence is what the counts say. */
  caveats: RunCaveat[];
  targetLost?: TargetLost;
  /** Results on responses a caveat makes worthless (401s when credentials were refused, HTML fallbacks, probes after the target was lost). */
  voided: ReadonlySet<CheckResult>;
}

/**
 * Whether the run's evidence supports its counts; see `summarize` for what
 * each caveat does to the verdict. `facts` (one per probe sent) are absent for
 * a summary built from results alone, which then gets only the result-based caveats.
 *
 * @example
 *   assessEvidence(results, facts).caveats[0]?.message; // 'credentials missing or rejected: 86 of 89 responses were 401 or 403'
 */
export function assessEvidence(results: readonly CheckResult[], facts?: readonly ProbeFact[]): EvidenceAssessment {
  const caveats: RunCaveat[] = [];
  const voided = new Set<CheckResult>();
  const voidAll = (list: readonly ProbeFact[]) => {
    for (const fact of list) for (const result of fact.results) voided.add(result);
  };
  let targetLost: TargetLost | undefined;
  if (facts && facts.length > 0) {
    const ordered = [...facts].sort((a, b) => a.index - b.index);
    targetLost = findTargetLost(ordered);
    if (targetLost) {
      const lost = ordered.filter((f) => f.index >= targetLost!.fromProbe);
      voidAll(lost);
      caveats.push({
        code: 'target-lost',
        message: targetLost.message,
        // The cause's own remedy: a slow target that timed out needs no other credentials (Unleash, two slow reads last).
        hint: targetLost.cause === 'credentials-rejected'
          ? 'results before that probe stand; run again with working credentials'
          : 'results before that probe stand; run again once the target answers (a slow one: raise --timeout)',
      });
    }
    const answered = ordered.filter((f) => f.status !== undefined);
    // A 403 to a placeholder path value counts too: a token lacking a scope also gets 2xx elsewhere, and nothing tells them apart.
    const refused = answered.filter((f) => f.status === 401 || f.status === 403);
    if (answered.length > 0 && refused.length * 2 > answered.length) {
      voidAll(refused);
      caveats.push(credentialsCaveat(refused, answered.length));
    }
    // A 403 to a write body the harness made is a warning (status-code): a body naming something that does not
    // exist is as likely as credentials that may not write. But where every write was refused and none got through,
    // a read-only token is the likelier, and no write was judged (review of the Directus change).
    const writes = answered.filter((f) => f.carriesCredentials && !READ_METHODS.has(f.method));
    if (writes.length > 0 && writes.every((f) => f.status === 401 || f.status === 403) && !caveats.some((c) => c.code === 'credentials-rejected')) {
      caveats.push({
        code: 'writes-refused',
        message: `every write was refused: all ${writes.length} ${writes.length === 1 ? 'write' : 'writes'} sent with credentials answered 401 or 403, so no write was judged`,
        hint: 'check that the credentials may write (a read-only token?), and give the document example request bodies that name records they may use',
      });
    }
    // A 404 for a placeholder id says the id does not exist, not that the path is not served;
    // nor does one for a record the run created (its create answered 2xx, so the path is served):
    // whether that record should exist is for resource-available and use-after-delete to say.
    const judged = answered.filter((f) => f.servedHtml || (placeholderInputs(f).length === 0 && !Object.values(f.inputs).includes('created')));
    const notServed = judged.filter((f) => f.status === 404 || f.servedHtml);
    if (judged.length > 0 && notServed.length * 2 > judged.length) {
      voidAll(notServed);
      const html = notServed.filter((f) => f.servedHtml).length;
      caveats.push({
        code: 'not-served',
        message: `the target does not serve the paths of this profile: ${notServed.length} of ${judged.length} probes answered 404 or an HTML page` + (html > 0 ? ` (${html} HTML, as the fallback route of a web app would)` : ''),
        hint: 'check --target (and its base path, such as /api or /v1)',
      });
    }
    // Only probes of operations that document a success could reach one: a selection of redirects only (a download
    // answering 302) answered as documented is what it was asked to show.
    // (An operation documenting only errors is still weighed: a run of nothing but refusals shows no success.)
    const couldSucceed = ordered.filter((f) => f.redirectOnly !== true);
    if (couldSucceed.length > 0 && !couldSucceed.some((f) => f.documentedSuccess)) {
      caveats.push({
        code: 'no-success-response',
        message: `no probe reached a documented success response (${couldSucceed.length} ${couldSucceed.length === 1 ? 'probe' : 'probes'} sent${couldSucceed.length < ordered.length ? `; ${ordered.length - couldSucceed.length} more to operations that document only a redirect` : ''})`,
        hint: 'see the coverage list for why each operation was not reached',
      });
    }
  }
  if (!results.some((r) => r.status === 'pass')) {
    caveats.push({ code: 'nothing-passed', message: 'nothing passed: no result shows anything about the target' });
  } else if (!results.some((r) => r.status === 'pass' && r.level === 'MUST')) {
    caveats.push({ code: 'no-must-verified', message: 'no MUST-level result passed: nothing the verdict rests on was verified' });
  }
  return { caveats, ...(targetLost ? { targetLost } : {}), voided };
}

/**
 * The caveat for a run whose coverage is below `--min-coverage`: too few of the
 * selected operations reached a validated success response for a verdict to
 * speak for the API. Operations that document no success response
 * (`withoutSuccess`: only a redirect, only errors) are not counted: no
 * supplier could reach one. The percentage shown is rounded down, so it never
 * reads as the threshold it missed.
 *
 * @example
 *   thinCoverageCaveat({ operations: 39, sent: 39, successValidated: 1, notReached: [] }, 80)?.message;
 *   // 'success responses validated for 1 of 39 operations (2%), below --min-coverage 80%'
 */
export function thinCoverageCaveat(coverage: CoverageSummary, minCoverage: number, withoutSuccess = 0): RunCaveat | undefined {
  const { successValidated } = coverage;
  const operations = coverage.operations - withoutSuccess;
  // Within a rounding error of the threshold is at it: 10.1% of 1000 operations is 101 of them.
  if (operations <= 0 || successValidated * 100 >= minCoverage * operations - 1e-9) return undefined;
  const percent = Math.floor((successValidated * 100) / operations);
  const others = withoutSuccess === 0 ? '' : ` that document one (${withoutSuccess} more ${withoutSuccess === 1 ? 'documents' : 'document'} none)`;
  return {
    code: 'thin-coverage',
    message: `success responses validated for ${successValidated} of ${operations} operations${others} (${percent}%), below --min-coverage ${minCoverage}%`,
    hint: 'see the coverage list for why each operation was not reached, and the --var or selection that would reach it',
  };
}

/**
 * The caveat for a run most of whose answers were 401 or 403. A 403 to a
 * placeholder path value (`placeholderRefusal`) may refuse the credentials or
 * name no record (Directus answers 403 for an id it does not have): where
 * every refusal was one, the caveat says both rather than blame the token.
 */
function credentialsCaveat(refused: readonly ProbeFact[], answered: number): RunCaveat {
  const placeholderRefused = refused.filter(placeholderRefusal);
  if (placeholderRefused.length === refused.length) {
    const names = [...new Set(placeholderRefused.flatMap((f) => placeholderInputs(f)))];
    return {
      code: 'credentials-rejected',
      message: `credentials refused, or placeholder values that name no record: ${refused.length} of ${answered} responses were 403 to a path with a placeholder value`,
      hint: `pass real values with ${varHint(names)}; if those are refused too, check the token and its scopes`,
    };
  }
  const carried = refused.some((f) => f.carriesCredentials);
  const bodyRefused = refused.filter((f) => f.carriesCredentials && !placeholderRefusal(f) && refusedBody(f.status, f.credentialsChallenged === true, f.inputs)).length;
  const parts = [
    ...(placeholderRefused.length > 0 ? [`${placeholderRefused.length} to a path with a placeholder value`] : []),
    ...(bodyRefused > 0 ? [`${bodyRefused} to a request body the harness made`] : []),
  ];
  const some = parts.length > 0 ? ` (${parts[0]!.replace(/^(\d+) /, '$1 of them ')}${parts.length > 1 ? `, ${parts[1]}` : ''})` : '';
  return {
    code: 'credentials-rejected',
    message: `credentials missing or rejected: ${refused.length} of ${answered} responses were 401 or 403${some}`,
    hint: carried
      ? 'the credentials sent were refused: check the token, its expiry and its scopes'
      : refused.every((f) => f.securityExempt)
        ? 'no credentials were sent: the document marks every operation refused `security: []`; if they need credentials, its security should say so'
        : `no credentials were sent: pass ${CREDENTIAL_OPTIONS}`,
  };
}

/**
 * The first probe from which every probe answered 401 to credentials that had
 * worked before, or got no answer at all, when at least one probe before it
 * was answered otherwise. Probes in the order they were sent.
 */
function findTargetLost(ordered: readonly ProbeFact[]): TargetLost | undefined {
  const lost = (f: ProbeFact) => (f.status === undefined ? f.transportError !== undefined && STOPPED_ANSWERING.has(f.transportError) : f.status === 401 && f.carriesCredentials);
  let start = ordered.length;
  while (start > 0 && lost(ordered[start - 1]!)) start--;
  const count = ordered.length - start;
  if (count < MIN_LOST_PROBES || !ordered.slice(0, start).some((f) => f.status !== undefined && f.status !== 401 && f.status !== 403)) return undefined;
  const first = ordered[start]!;
  const rejected = ordered.slice(start).filter((f) => f.status === 401).length;
  const cause: TargetLost['cause'] = first.status === 401 ? 'credentials-rejected' : 'stopped-answering';
  const what =
    rejected === count
      ? 'the target rejected the credentials'
      : rejected === 0
        ? `the target stopped answering (${first.transportError})`
        : 'the target rejected the credentials or stopped answering';
  return { fromProbe: first.index, cause, message: `from probe ${first.index} ${what}: the last ${count} probes got no usable answer` };
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
