/**
 * interop-harness as a library: the same run the CLI performs, with typed
 * options, results and events.
 *
 * @example
 *   import { run } from 'interop-harness';
 *   const report = await run({ profile: 'baseline', target: 'http://127.0.0.1:8080', onEvent: (e) => console.log(e.type) });
 *   console.log(report.summary.verdict);
 */
export { run, runEvents, prepareRun, preparePlan, executeRun, type PreparedRun, type PreparedPlan } from './run/run.js';
export { planDryRun, type PlannedRequest } from './run/dry-run.js';
export { DEFAULT_LIMITS, type RunOptions } from './run/run-options.js';
export { parseAllowedTargets, admitUrl, type AllowedTargets, type UrlAdmission } from './http/target-allow-list.js';
export type { RunEvent, ProbeSummary } from './report/run-events.js';
export { CHECKS } from './checks/index.js';
export type { ResponseCheck, CheckContext } from './checks/check.js';
export { HarnessError, ERROR_CODES, isHarnessError, type HarnessErrorCode } from './errors.js';
export { STATUS_RANK, worstStatus } from './results.js';
export type { CheckResult, Evidence, Finding, Level, ResultStatus, SchemaError } from './results.js';
export type { Report, ReportSummary, RunLimits, Verdict } from './report/report-types.js';
export type { Reporter, ReporterContext } from './report/reporter.js';
export { loadProfile } from './profile/load-profile.js';
export type { LoadedProfile, OperationSpec, ProfileWarning } from './profile/profile-types.js';
// What the evaluation service (harness/service/) needs to render, sign and compare reports, and nothing more.
export { renderHtmlReport } from './report/html-reporter.js';
export { renderMarkdownReport } from './report/markdown-reporter.js';
export { renderJunitXml } from './report/junit-reporter.js';
export { signReport, verifyReport, type ReportSignature } from './report/report-signature.js';
export { generateSigningKeys, keyIdOf, type SigningKeyPair } from './report/signing-keys.js';
export { compareReports, type Comparison, type MatrixStatus } from './report/compare-reports.js';
export { listBundledProfiles } from './profile/bundled-profiles.js';
export { harnessIdentity } from './package-root.js';
export { replay, type ReplayOptions, type ReplayOutcome, type ReplayedResult, type ReplayStatus } from './run/replay.js';
export { readReportFile } from './report/read-report.js';
