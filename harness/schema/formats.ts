/**
 * Formats the harness checks, and what it does with formats it does not know.
 *
 * An unknown format must never fail a value: a profile may well invent
 * `format: plate-number`, and a supplier is not wrong for sending plates. So
 * unknown names are registered as "always valid" and reported once each as a
 * profile warning, with where they were first seen.
 */
import addFormatsModule from 'ajv-formats';
import type AjvCoreModule from 'ajv/dist/core.js';
import { getAtPointer } from '../json-pointer.js';
import { walkSchema, type SchemaDialect } from './schema-keywords.js';
import type { ProfileWarning } from '../profile/profile-types.js';

/** Ajv and Ajv2020 share this base class. */
export type AjvCore = AjvCoreModule.default;

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`,
// which is the plugin function itself, while its typings describe `{default: plugin}`.
type FormatsPlugin = (ajv: AjvCore, options?: { mode?: 'fast' | 'full' }) => AjvCore;
const addFormats: FormatsPlugin =
  typeof addFormatsModule === 'function'
    ? (addFormatsModule as unknown as FormatsPlugin)
    : ((addFormatsModule as unknown as { default: FormatsPlugin }).default);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// RFC 4648 base64 or base64url alphabet (not mixed), padding optional: suppliers send both.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}(?:==)?|[A-Za-z0-9_-]{3}=?)?$/;

/**
 * Register every `ajv-formats` format (full mode) plus the OpenAPI ones, with
 * OpenAPI's meaning. Number formats apply to numbers only, so an `int64` sent as
 * a JSON string (common, to survive JavaScript) is not judged by them.
 * @example addHarnessFormats(new Ajv({strict: false}))
 */
export function addHarnessFormats(ajv: AjvCore): void {
  addFormats(ajv, { mode: 'full' });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX });
  // Beyond 2^53 JSON.parse has already rounded the number, so a range check would
  // judge a value the supplier never sent; any integer passes.
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  // float/double: any finite number; a float's range is not a conformance question.
  ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => BASE64.test(s) || BASE64URL.test(s) });
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
}

/**
 * Find formats the Ajv instance does not know, in the schemas under `roots`, and
 * register each as always valid. Returns one `unknown-format` warning per name,
 * located at its first `format` keyword.
 * @example
 *   registerUnknownFormats(ajv, doc, ['/components/schemas/Vehicle'], '3.0')
 *   // [{code: 'unknown-format', message: 'format "plate-number" is not known ...', location: '/components/schemas/Vehicle/properties/plate/format'}]
 */
export function registerUnknownFormats(ajv: AjvCore, document: Record<string, unknown>, roots: string[], dialect: SchemaDialect): ProfileWarning[] {
  const seen = new Map<string, { location: string; count: number }>();
  for (const root of roots) {
    walkSchema(getAtPointer(document, root), root, dialect, (node, pointer) => {
      const format = node.format;
      if (typeof format !== 'string' || Object.hasOwn(ajv.formats, format)) return;
      const entry = seen.get(format);
      if (entry) entry.count++;
      else seen.set(format, { location: `${pointer}/format`, count: 1 });
    });
  }
  const warnings: ProfileWarning[] = [];
  for (const [format, { location, count }] of seen) {
    ajv.addFormat(format, true);
    const where = count === 1 ? '' : ` (used in ${count} places)`;
    warnings.push({
      code: 'unknown-format',
      message: `format "${format}"${where} is not known to the harness; values are not checked against it`,
      location,
    });
  }
  return warnings;
}
