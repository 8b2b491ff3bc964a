/**
 * Reading a report.json someone else handed over (`compare`): as careful as
 * a run is with a supplier. The file is read with the strict JSON reader (a
 * duplicate key, deep nesting or invalid UTF-8 is refused) and validated
 * against `reports/report.schema.json`, compiled once, so every later stage
 * can rely on the types it reads. Anything else is REPORT_INVALID naming the
 * file and the reason, never a crash.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { HarnessError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { readNamedFile } from '../read-regular-file.js';
import { addHarnessFormats } from '../schema/formats.js';
import { parseStrictJson } from '../strict-json.js';
import type { Report } from './report-types.js';

/** Largest report.json read: V8 cannot hold a longer string, and no run writes one. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;

type Validator = ((value: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null };
let validateReport: Validator | undefined;

/** The report schema's validator, compiled on first use and kept. */
function reportValidator(): Validator {
  if (!validateReport) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'reports', 'report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    addHarnessFormats(ajv);
    validateReport = ajv.compile(schema) as Validator;
  }
  return validateReport;
}

/**
 * Reads and validates a report.json. Throws REPORT_INVALID (exit 2) when it
 * is not strict JSON or not a report this harness wrote, USAGE when it
 * cannot be read.
 *
 * @example
 *   const report = await readReportFile('vendor-a/report.json');
 */
export async function readReportFile(path: string): Promise<Report> {
  const bytes = await readNamedFile(path, { what: 'report', maxBytes: MAX_REPORT_BYTES, tooLarge: 'REPORT_INVALID' });
  let value: unknown;
  try {
    value = parseStrictJson(bytes);
  } catch (error) {
    throw new HarnessError('REPORT_INVALID', `${path} is not strict JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const format = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).reportFormat : undefined;
  if (typeof format === 'string' && format !== '1.0') throw new HarnessError('REPORT_INVALID', `${path} has report format ${JSON.stringify(format.slice(0, 40))}; this harness reads 1.0`);
  const validate = reportValidator();
  if (!validate(value)) {
    const error = validate.errors?.[0];
    const where = error?.instancePath || '/';
    const extra = error?.params && typeof error.params.additionalProperty === 'string' ? ` (${JSON.stringify(error.params.additionalProperty.slice(0, 80))})` : '';
    throw new HarnessError('REPORT_INVALID', `${path} is not an interop-harness report.json: ${where.slice(0, 200)} ${error?.message ?? 'is invalid'}${extra}`);
  }
  return value as Report;
}
