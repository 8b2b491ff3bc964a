import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// Strict, as a consumer's CI would compile it: an unknown keyword in the schema fails the tests.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);

/**
 * reports/report.schema.json, compiled once per test file: true when a report
 * validates, its errors on `validateReport.errors` when not.
 *
 * @example
 *   t.ok(validateReport(report), 'report.json validates', { errors: validateReport.errors });
 */
export const validateReport = ajv.compile(JSON.parse(readFileSync(new URL('../../reports/report.schema.json', import.meta.url), 'utf8')) as object);
