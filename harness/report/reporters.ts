import { HarnessError, isHarnessError } from '../errors.js';
import { parseReportFormats } from './report-formats.js';
import { createHtmlReporter } from './html-reporter.js';
import { createJsonReporter } from './json-reporter.js';
import { createJunitReporter } from './junit-reporter.js';
import { createMarkdownReporter } from './markdown-reporter.js';
import type { Report } from './report-types.js';
import type { Reporter, ReporterContext } from './reporter.js';

/**
 * The file formats a run can write, selectable with `--format json,junit,html,md`:
 * `report.json`, `junit.xml`, `report.html` and `report.md`.
 * The terminal reporter is not here: it is not a file, the CLI always adds it.
 *
 * @example
 *   const reporter = REPORTERS.junit(); // writes <outDir>/junit.xml
 */
export const REPORTERS = {
  json: createJsonReporter,
  junit: createJunitReporter,
  html: createHtmlReporter,
  md: createMarkdownReporter,
} as const;

export { DEFAULT_FORMATS, type ReportFormat } from './report-formats.js';

/**
 * Makes one reporter per requested format, in the order given, ignoring
 * repeats; an unknown name is a USAGE error (see `parseReportFormats`).
 *
 * @example
 *   selectReporters(['json', 'junit']).map((r) => r.name); // ['json', 'junit']
 *   selectReporters(['xml']); // throws HarnessError USAGE: unknown report format "xml" (valid: json, junit, html, md)
 */
export function selectReporters(formats: readonly string[]): Reporter[] {
  return parseReportFormats(formats).map((format) => REPORTERS[format]());
}

/**
 * Calls `finish` on each reporter in turn and returns every file written.
 * A reporter that throws aborts the run as REPORTER_FAILED naming it; a
 * reporter that could not write its file has already said so precisely
 * (OUTPUT_UNWRITABLE naming the file), and that error passes through as is.
 *
 * @example
 *   const files = await runReporters(selectReporters(['json']), report, context); // ['/abs/out/report.json']
 */
export async function runReporters(reporters: Reporter[], report: Report, context: ReporterContext): Promise<string[]> {
  const files: string[] = [];
  // One at a time: the first failure is the one reported, and files are listed in a stable order.
  for (const reporter of reporters) {
    if (reporter.finish === undefined) continue;
    try {
      files.push(...(await reporter.finish(report, context)));
    } catch (error) {
      if (isHarnessError(error) && error.code === 'OUTPUT_UNWRITABLE') throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new HarnessError('REPORTER_FAILED', `reporter "${reporter.name}" failed: ${reason}`, { cause: error });
    }
  }
  return files;
}
