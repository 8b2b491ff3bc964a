import { HarnessError } from '../errors.js';

/**
 * The file formats a run can write, by name, without loading their writers:
 * `run` checks `--format` before anything else, and a dry run writes none.
 */
export const REPORT_FORMATS = ['json', 'junit', 'html', 'md'] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What `run` writes when `--format` is not given: the record, CI's format and the page a force reads. */
export const DEFAULT_FORMATS: readonly ReportFormat[] = ['json', 'junit', 'html'];

/**
 * The formats asked for, in the order given, repeats dropped. An unknown name
 * is a USAGE error that lists the valid ones, so a typo in CI fails loudly
 * instead of silently writing no report.
 *
 * @example
 *   parseReportFormats(['json', 'JUnit', 'json']); // ['json', 'junit']
 *   parseReportFormats(['xml']); // throws HarnessError USAGE: unknown report format "xml" (valid: json, junit, html, md)
 */
export function parseReportFormats(formats: readonly string[]): ReportFormat[] {
  const chosen: ReportFormat[] = [];
  for (const raw of formats) {
    const format = raw.trim().toLowerCase();
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new HarnessError('USAGE', `unknown report format ${JSON.stringify(raw)} (valid: ${REPORT_FORMATS.join(', ')})`);
    }
    if (!chosen.includes(format as ReportFormat)) chosen.push(format as ReportFormat);
  }
  return chosen;
}
