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
import { commonjsDefault } from '../commonjs-default.js';
import { getAtPointer } from '../json-pointer.js';
import { walkSchema, type SchemaDialect } from './schema-keywords.js';
import type { ProfileWarning } from '../profile/profile-types.js';

/** Ajv and Ajv2020 share this base class. */
export type AjvCore = AjvCoreModule.default;

type FormatsPlugin = (ajv: AjvCore, options?: { mode?: 'fast' | 'full'; formats?: string[] }) => AjvCore;
const addFormats = commonjsDefault<FormatsPlugin>(addFormatsModule);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// RFC 4648 base64 or base64url alphabet (not mixed), padding optional: suppliers send both.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}(?:==)?|[A-Za-z0-9_-]{3}=?)?$/;

/** RFC 5322 `atext`: what a dot-atom (a local part, or a domain as 5322 allows it) is made of. */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
/**
 * An address as RFC 5321 (Mailbox) and RFC 5322 (addr-spec) allow it: a
 * dot-atom or quoted local part; a domain of one or more labels
 * (`octocat@localhost`) or an address literal (`billing@[192.0.2.1]`).
 * ajv-formats' full email refuses all three forms, valid as they are: a
 * supplier would fail for the address GitHub's API returns. Lenient on
 * purpose: what no reading of the RFCs allows (a space, two @, an empty part)
 * is still refused.
 */
const EMAIL = new RegExp(`^(?:${ATEXT}+(?:\\.${ATEXT}+)*|"(?:[^"\\\\\\r\\n]|\\\\[^\\r\\n])*")@(?:${ATEXT}+(?:\\.${ATEXT}+)*|\\[[^[\\]\\\\\\r\\n]+\\])$`);

/** RFC 6570 `varchar`: a letter, digit, underscore or percent-encoded octet. */
const VARCHAR = '(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})';
/** RFC 6570 `varspec`: a name whose varchars may be joined by dots (`query.text`), and a prefix or explode modifier. */
const VARSPEC = `${VARCHAR}(?:\\.?${VARCHAR})*(?::[1-9][0-9]{0,3}|\\*)?`;
/**
 * A URI Template (RFC 6570 section 2): literals (any character but controls,
 * space and " ' % < > \ ^ ` { | }, or a percent-encoded octet) and expressions
 * with an optional operator. ajv-formats' pattern refuses dotted names, which
 * section 2.3 allows and GitHub's API sends (`{query.text}`).
 */
const URI_TEMPLATE = new RegExp(`^(?:[^\\x00-\\x20\\x7F"'%<>\\\\^\`{|}]|%[0-9A-Fa-f]{2}|\\{[+#./;?&=,!@|]?${VARSPEC}(?:,${VARSPEC})*\\})*$`, 'u');

/** One ISO 8601 duration component: digits, with a decimal fraction (`5.4775807S`, `0,5H`) allowed. */
const DURATION_PART = '\\d+(?:[.,]\\d+)?';
/**
 * An ISO 8601 duration (`P1Y2M3DT4H5M6.5S`, `P1W`): at least one component,
 * and a `T` only before a time component. RFC 3339 Appendix A, which
 * ajv-formats follows, allows no fraction, but ISO 8601 does on the last
 * component, and .NET's TimeSpan, as Azure's documents give it
 * (`P10675199DT2H48M5.4775807S`), writes one. Lenient on purpose: what no
 * reading allows (`P`, `PT`, `22:00:00`) is still refused. Any case: the
 * Appendix's grammar is ABNF, whose quoted letters match either case (RFC
 * 5234 section 2.3), and Azure's documents give `Pt1m`.
 */
const DURATION = new RegExp(
  `^P(?=\\d|T\\d)(?:${DURATION_PART}Y)?(?:${DURATION_PART}M)?(?:${DURATION_PART}W)?(?:${DURATION_PART}D)?(?:T(?=\\d)(?:${DURATION_PART}H)?(?:${DURATION_PART}M)?(?:${DURATION_PART}S)?)?$`,
  'i',
);

/**
 * The `ajv-formats` formats a standard defines: JSON Schema's (2020-12
 * section 7.3) and OpenAPI's (3.0 section 4.4, and the format registry).
 * `ajv-formats` also has `url`, `iso-time`, `iso-date-time` and
 * `json-pointer-uri-fragment`, its own inventions: a document that names one
 * (readme's examples name `url`) means whatever its authors meant, so those
 * are unknown formats here, a profile warning and never a failure.
 */
const STANDARD_FORMATS = [
  'date', 'time', 'date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'email', 'hostname',
  'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'relative-json-pointer',
  'byte', 'int32', 'int64', 'float', 'double', 'password', 'binary',
];

/**
 * Register the standard formats `ajv-formats` knows (full mode) plus the
 * OpenAPI ones, with OpenAPI's meaning. Number formats apply to numbers only, so an `int64` sent as
 * a JSON string (common, to survive JavaScript) is not judged by them.
 * @example addHarnessFormats(new Ajv({strict: false}))
 */
export function addHarnessFormats(ajv: AjvCore): void {
  addFormats(ajv, { mode: 'full', formats: STANDARD_FORMATS });
  ajv.addFormat('email', { type: 'string', validate: (s: string) => EMAIL.test(s) });
  ajv.addFormat('uri-template', { type: 'string', validate: (s: string) => URI_TEMPLATE.test(s) });
  ajv.addFormat('duration', { type: 'string', validate: (s: string) => DURATION.test(s) });
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
