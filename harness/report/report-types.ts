import type { CheckResult, Level } from '../results.js';
import type { ProfileInfo, ProfileWarning, Requirement } from '../profile/profile-types.js';

/** Version of the report format; bumped on any incompatible change to `reports/report.schema.json`. */
export const REPORT_FORMAT_VERSION = '1.0';

/**
 * `conformant`: no MUST-level result failed or errored.
 * `non-conformant`: at least one MUST-level result failed.
 * `inconclusive`: nothing MUST-level failed, but some MUST-level result errored
 * (the harness could not get the evidence), so conformance is not shown.
 */
export type Verdict = 'conformant' | 'non-conformant' | 'inconclusive';

export interface ReportSummary {
  verdict: Verdict;
  total: number;
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
  errors: number;
  /** MUST-level results that failed; the exit code is 1 when this or `mustErrors` is non-zero. */
  mustFailed: number;
  /**
   * Of `mustFailed`, those on responses a caveat voids (401/403s to refused
   * credentials, pages of a path not served, probes after the target was lost):
   * the verdict rests on the others. Absent when none is voided.
   */
  mustFailedVoided?: number;
  mustErrors: number;
  /**
   * MUST requirements with checks of which none passed (all skipped, or none
   * ran): conformance is not shown for them, so the verdict is at best
   * inconclusive. Requirements with a notTestedReason are reported, not counted here.
   */
  mustUnverified: string[];
  /**
   * Requests sent for the profile's operations: one per probe, lifecycle step
   * and (with --negative) negative request; redirects and checks' follow-up
   * requests not counted. The operations probed are `coverage.sent`.
   */
  probes: number;
  /** Operations in the profile that were not probed, each with a `skip` result saying why. */
  operationsSkipped: number;
  /** How many operations were sent and reached a validated success response (absent in reports from before coverage was recorded). */
  coverage?: CoverageSummary;
  /**
   * Why the run's evidence is weaker than its counts suggest, most important
   * first; the first is the report's headline. Any caveat keeps the verdict
   * from being `conformant`.
   */
  caveats?: RunCaveat[];
  /** From which probe on the target rejected the credentials or stopped answering. */
  targetLost?: TargetLost;
}

/**
 * Reasons a run's evidence does not show conformance, whatever its counts:
 * - `target-lost`: from some probe on, every probe answered 401 or failed to connect
 * - `credentials-rejected`: most responses were 401/403
 * - `not-served`: most probes answered 404, or an HTML page where JSON is documented
 * - `no-success-response`: no probe reached a documented 2xx response
 * - `nothing-passed` / `no-must-verified`: no result passed / no MUST-level result passed
 * - `thin-coverage`: fewer operations reached a validated success response than `--min-coverage` asks
 * - `writes-refused`: with `--allow-writes`, every write sent with credentials answered 401/403
 */
export type RunCaveatCode = 'target-lost' | 'credentials-rejected' | 'not-served' | 'no-success-response' | 'nothing-passed' | 'no-must-verified' | 'thin-coverage' | 'writes-refused';

export interface RunCaveat {
  code: RunCaveatCode;
  /** One line for a reader, e.g. `credentials missing or rejected: 86 of 89 responses were 401 or 403`. */
  message: string;
  /** What to do about it, e.g. `pass --token-env VAR`. */
  hint?: string;
}

export interface TargetLost {
  /** The probe (by its sequence number, from 1) from which every probe was refused or unanswered. */
  fromProbe: number;
  cause: 'credentials-rejected' | 'stopped-answering';
  message: string;
}

/** Counts over `Report.coverage`, and the operations that never reached a validated success response. */
export interface CoverageSummary {
  operations: number;
  sent: number;
  successValidated: number;
  notReached: CoverageGap[];
}

export interface CoverageGap {
  operationId: string;
  method: string;
  path: string;
  /** Why, in a few words: `401: credentials missing or rejected`, `not sent: a write in a read-only run`. */
  reason: string;
  /** The option that would help, e.g. `--var personId=<value>`, when there is one. */
  hint?: string;
}

/** What the run saw of one operation. */
export interface OperationCoverage {
  operationId: string;
  method: string;
  path: string;
  /** Whether any request was sent for it. */
  sent: boolean;
  /** Statuses answered, in probe order; a transport failure is its code (`timeout`, `connection-refused`). */
  answers: Array<number | string>;
  /** A 2xx the operation documents came back (validated or not). */
  successSeen: boolean;
  /** A documented 2xx response came back and no status, content-type or schema check failed or errored on it. */
  successValidated: boolean;
  /** Where each input came from, by `in:name`: `var`, `example`, `default`, `harvested`, `created`, `generated`, … */
  inputs: Record<string, string>;
  /** Why no validated success response, when there was none. */
  reason?: string;
  hint?: string;
}

/** The limits a run used, so a reader can judge a timeout or a cut-off body. */
export interface RunLimits {
  requestTimeoutMs: number;
  maxBodyBytes: number;
  maxHeaderBytes: number;
  maxRedirects: number;
  concurrency: number;
  /** Requests per second, or null for no rate limit. */
  ratePerSecond: number | null;
  runTimeoutMs: number;
  evidenceBodyBytes: number;
  /** Pages the pagination check follows at the most before it reports that the next links do not end. */
  maxPages: number;
  /** JSON values a body may hold before it is not parsed (memory bound): such a body is not validated. */
  maxJsonValues: number;
  /** Longest `Retry-After` on a 429 the harness waits for before retrying once; longer ones are reported, not waited. */
  maxRetryWaitMs: number;
  /** Longest the export checks wait, in total, for one bulk export to complete (honouring Retry-After within it). */
  exportWaitMs: number;
  /** Largest export file streamed, in bytes after content decoding; a larger one is reported as cut off. */
  maxExportBytes: number;
  /**
   * Largest profile document (and each file or URL it `$ref`s, and what a YAML
   * document's aliases expand to), in bytes: a larger one is PROFILE_TOO_LARGE.
   */
  maxProfileBytes: number;
}

export interface CheckDescription {
  id: string;
  title: string;
  description: string;
}

/** A requirement as the report records it: exactly as the profile states it. */
export type RequirementSummary = Requirement;

/** One requirement in the claims ledger. */
export interface ClaimEntry {
  requirement: string;
  level: Level;
  /** The vendor claims it: every MUST of a claimed profile, and the SHOULD/MAY it lists. */
  claimed: boolean;
  /** For a claimed requirement, what the run showed; `not-claimed` otherwise. */
  status: 'verified' | 'refuted' | 'unverified' | 'not-claimed';
  /** What the run showed, claimed or not. */
  observed: 'verified' | 'refuted' | 'unverified';
  /** Why, in one line: the failing check and operation, or what is missing. */
  reason: string;
}

/** What the vendor claimed for this profile and what the run made of each claim. */
export interface ClaimsLedger {
  /** `file` (--claims), `well-known` (/.well-known/interop-claims), or `implied` (none: the profile counts as claimed). */
  source: 'file' | 'well-known' | 'implied';
  location?: string;
  note?: string;
  supplier?: string;
  product?: string;
  productVersion?: string;
  profileClaimed: boolean;
  versionClaimed?: string;
  versionMismatch?: string;
  verified: number;
  refuted: number;
  unverified: number;
  notClaimed: number;
  entries: ClaimEntry[];
}

/** The canonical record of a run. Every other format is rendered from it. */
export interface Report {
  reportFormat: typeof REPORT_FORMAT_VERSION;
  harness: { name: string; version: string };
  profile: ProfileInfo & { warnings: ProfileWarning[] };
  target: { url: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /**
   * How the run was started, when it was started from the command line: the
   * arguments after `interop-harness`, secrets already `[redacted]`.
   */
  invocation?: { argv: string[] };
  options: {
    limits: RunLimits;
    allowWrites: boolean;
    /** Check IDs that ran, after --checks / --skip-checks. */
    checks: string[];
    /** The load cache: `on`, `off` (--no-cache) or `refused` (its folder was not safe to trust); absent when the run named none (library default). */
    cache?: 'on' | 'off' | 'refused';
    /** The operation selection (--operations, --skip-operations, --tags, --paths), when one was given, and how many operations it left. */
    selection?: { operations?: string[]; skipOperations?: string[]; tags?: string[]; paths?: string[]; selected: number; of: number };
    /** With --negative: the seed that chose the negative requests (the same seed sends the same ones) and the most per operation. */
    negative?: { seed: number; maxPerOperation: number };
    /** With --min-coverage: the percentage of the selected operations that had to reach a validated success response. */
    minCoverage?: number;
  };
  /** The requirements the profile states (empty in generic mode). */
  requirements: RequirementSummary[];
  /** What each check that ran verifies, so a reader need not open the source. */
  checks: CheckDescription[];
  summary: ReportSummary;
  /**
   * With --allow-writes: the records the run created, which it deleted, and
   * any it could not (with the URL and why), for someone to remove by hand.
   */
  cleanup?: {
    created: number;
    deleted: string[];
    leftBehind: Array<{ url: string; reason: string }>;
    /**
     * Writes sent because --operations or --paths named them, outside the
     * run's create-and-delete lifecycles (`PATCH /todos`, which LoopBack
     * applies to every record): they may have changed data the run did not
     * create. `status` is null when no answer came. Absent when none was sent.
     */
    namedWrites?: Array<{ method: string; url: string; status: number | null }>;
  };
  /** The claims ledger, in profile mode (a profile with requirements). */
  claims?: ClaimsLedger;
  /** One record per operation in the profile: sent or not, success validated or not, where its inputs came from. */
  coverage?: OperationCoverage[];
  results: CheckResult[];
}
