import type { RunEvent } from './run-events.js';
import type { Report } from './report-types.js';

/** Where and how reporters write. */
export interface ReporterContext {
  /** Folder for report files; created before any reporter runs. */
  outDir: string;
  /** Stream for human output (the terminal reporter); files go to `outDir`. */
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** Colour only when the stream is a TTY and NO_COLOR is unset. */
  color: boolean;
}

/**
 * A reporter consumes run events and/or the final report. The handler that
 * turns events into records lives in the runner; reporters only render.
 * A reporter that throws aborts the run with REPORTER_FAILED naming it.
 *
 * @example
 *   const reporter: Reporter = { name: 'json', finish: (report, ctx) => writeJson(report, ctx.outDir) };
 */
export interface Reporter {
  name: string;
  onEvent?(event: RunEvent, context: ReporterContext): void;
  /** Render the final report; returns the files written (absolute paths). */
  finish?(report: Report, context: ReporterContext): Promise<string[]> | string[];
}
