import type { Reporter } from './reporter.js';
import { writeReportFile } from './write-report-file.js';

/** File name of the canonical report inside the output folder. */
export const JSON_REPORT_FILE = 'report.json';

/**
 * The canonical report: `<outDir>/report.json`, the `Report` exactly as the
 * runner built it (validated by `reports/report.schema.json`), indented by
 * two spaces so a diff between two runs is readable.
 *
 * @example
 *   const files = await createJsonReporter().finish?.(report, { outDir, stdout: process.stdout, color: false });
 *   // ['/abs/out/report.json']
 */
export function createJsonReporter(): Reporter {
  return {
    name: 'json',
    async finish(report, context) {
      // Trailing newline: POSIX tools and `git diff` expect text files to end with one.
      const text = `${JSON.stringify(report, null, 2)}\n`;
      return [await writeReportFile(context.outDir, JSON_REPORT_FILE, text)];
    },
  };
}
