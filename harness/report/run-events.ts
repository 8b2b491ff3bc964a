import type { CheckResult } from '../results.js';
import type { ProfileWarning } from '../profile/profile-types.js';
import type { Report } from './report-types.js';

/** A probe as reporters see it: what is (or would be) sent. */
export interface ProbeSummary {
  /** Sequence number within the run, from 1. */
  index: number;
  operationId: string;
  method: string;
  path: string;
  /** URL after parameter substitution. */
  url: string;
}

/**
 * Everything the runner tells reporters, in order. `run-finished` is the last
 * event of every run that did not end with a HarnessError.
 */
export type RunEvent =
  | {
      type: 'run-started';
      startedAt: string;
      target: string;
      profile: { id: string; title: string; version: string; mode: 'profile' | 'generic' };
      /** Operations in the profile (probed or not). */
      operations: number;
    }
  | { type: 'profile-warning'; warning: ProfileWarning }
  | { type: 'probe-started'; probe: ProbeSummary }
  | { type: 'probe-finished'; probe: ProbeSummary; results: CheckResult[] }
  /** An operation that was not probed, with its `skip` result. */
  | { type: 'operation-skipped'; result: CheckResult }
  | { type: 'run-finished'; report: Report; terminal: true };

export type RunEventType = RunEvent['type'];
