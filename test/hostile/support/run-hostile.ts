import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { createHostileSupplier, HOSTILE_PROFILE_PATH, type HostileSupplierOptions } from '../../../fixtures/hostile-supplier/create-hostile-supplier.js';
import type { Report } from '../../../harness/report/report-types.js';
import type { CheckResult } from '../../../harness/results.js';
import { listen } from '../../support/listen.js';
import { runCli, type CliOutcome } from '../../support/run-cli.js';

/**
 * Limits for in-process hostile runs. Below the defaults (10 MB, 5 s) only to
 * keep the suite fast: every bound is exercised the same way at any size. 4 MB
 * of body so the 200,000-deep JSON (400 KB) and the million-value body (3.6 MB)
 * are read whole. The request timeout is long: outcomes other than a timeout
 * must come from their own bound, never from a CPU-starved clock.
 */
export const FAST_LIMITS = ['--timeout', '30s', '--max-body', '4mb', '--max-retry-wait', '2s'] as const;

/**
 * The request timeout for runs whose expected outcome is the timeout itself
 * (`endsByTimeout`). The well-behaved operations of the same run share it, so
 * it is not cut so short that a loaded machine times them out too (500 ms did).
 */
export const SHORT_TIMEOUT = ['--timeout', '5s'] as const;

/** What one in-process run of the hostile profile waits for at most, apart from a loaded machine's slack. */
export const RUN_BOUND_MS = 6000;

export interface HostileRun extends CliOutcome {
  ms: number;
  report: Report;
  /** Every file the run wrote, by name, as text. */
  files: Record<string, string>;
  target: string;
}

/**
 * Start a hostile supplier, run the CLI against it in-process, and read what it wrote.
 *
 * @example
 *   const run = await runHostile(t, { behaviours: ['drip-body'] });
 *   resultsFor(run.report, 'dripBody');
 */
export async function runHostile(
  t: Test,
  supplier: HostileSupplierOptions,
  extraArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<HostileRun> {
  const target = await listen(t, createHostileSupplier(supplier));
  const out = t.testdir({});
  const started = performance.now();
  const outcome = await runCli(['run', '--profile', HOSTILE_PROFILE_PATH, '--target', target, '--out', out, ...FAST_LIMITS, ...extraArgs], { env });
  const ms = performance.now() - started;
  const files: Record<string, string> = {};
  for (const name of readdirSync(out)) files[name] = readFileSync(join(out, name), 'utf8');
  const report = JSON.parse(files['report.json'] ?? 'null') as Report;
  return { ...outcome, ms, report, files, target };
}

/** The results of one operation. */
export function resultsFor(report: Report, operationId: string): CheckResult[] {
  return report.results.filter((r) => r.operationId === operationId);
}

/** A stack trace line, as Node prints them. */
export const STACK_TRACE = /^\s+at .+[(:]\d+/m;
