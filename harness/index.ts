/**
 * interop-harness as a library: the same run the CLI performs, with typed
 * options, results and events.
 *
 * @example
 *   import { run } from 'interop-harness';
 *   const report = await run({ profile: 'baseline', target: 'http://127.0.0.1:8080', onEvent: (e) => console.log(e.type) });
 *   console.log(report.summary.verdict);
 */
export { run, runEvents, prepareRun, executeRun, type PreparedRun } from './run/run.js';
export { planDryRun, type PlannedRequest } from './run/dry-run.js';
export { DEFAULT_LIMITS, type RunOptions } from './run/run-options.js';
export type { RunEvent, ProbeSummary } from './report/run-events.js';
export { CHECKS } from './checks/index.js';
export type { ResponseCheck, CheckContext } from './checks/check.js';
export { HarnessError, ERROR_CODES, type HarnessErrorCode } from './errors.js';
export { STATUS_RANK, worstStatus } from './results.js';
export type { CheckResult, Evidence, Finding, Level, ResultStatus, SchemaError } from './results.js';
export type { Report, ReportSummary, RunLimits, Verdict } from './report/report-types.js';
export type { Reporter, ReporterContext } from './report/reporter.js';
export { loadProfile } from './profile/load-profile.js';
export type { LoadedProfile, OperationSpec, ProfileWarning } from './profile/profile-types.js';
