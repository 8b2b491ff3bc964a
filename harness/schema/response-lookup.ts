/**
 * Which documented response, and which of its media types, a real response is
 * judged against. Getting this wrong is a false positive in waiting: a `2XX`
 * schema applied where a `200` is documented, or `*\/*` chosen over
 * `application/json`, validates a conformant body against the wrong schema.
 */
import type { MediaTypeSpec, OperationSpec, ResponseSpec } from '../profile/profile-types.js';

/** A parsed `Content-Type` value or media range. Type, subtype and parameter names are lower-cased. */
export interface ParsedMediaType {
  type: string;
  subtype: string;
  /** `type/subtype`, without parameters. */
  essence: string;
  parameters: Record<string, string>;
}

/**
 * The response spec for a status, by OpenAPI precedence: the exact code, then its
 * range (`2XX`, any case), then `default`.
 * @example findResponseSpec(op, 204) // the `204` spec if documented, else `2XX`, else `default`
 */
export function findResponseSpec(op: OperationSpec, status: number): ResponseSpec | undefined {
  const code = String(status);
  const range = `${code.charAt(0)}XX`;
  return (
    op.responses.find((r) => r.key === code) ??
    op.responses.find((r) => r.key.toUpperCase() === range) ??
    op.responses.find((r) => r.key.toLowerCase() === 'default')
  );
}

/**
 * The documented media type a `Content-Type` header falls under, most specific
 * first: the exact `type/subtype` (parameters ignored, case ignored), then
 * `type/*`, then `*\/*`. Among several exact matches the one whose documented
 * parameters the header carries wins (`application/json; version=2`).
 * A missing or malformed header matches only `*\/*`.
 * @example findMediaType(specs, 'application/json; charset=utf-8') // the `application/json` spec
 */
export function findMediaType(specs: MediaTypeSpec[], contentTypeHeader: string): MediaTypeSpec | undefined {
  const actual = parsedOnce(contentTypeHeader);
  let best: MediaTypeSpec | undefined;
  let bestScore = 0;
  for (const spec of specs) {
    const range = parsedOnce(spec.mediaRange);
    if (!range) continue;
    const score = matchScore(range, actual);
    // Strictly greater: on a tie the first documented media type wins.
    if (score > bestScore) {
      best = spec;
      bestScore = score;
    }
  }
  return best;
}

/** 0 = no match; otherwise higher is more specific. */
function matchScore(range: ParsedMediaType, actual: ParsedMediaType | undefined): number {
  if (range.type === '*' && range.subtype === '*') return 1;
  if (!actual) return 0;
  if (range.type !== actual.type) return 0;
  if (range.subtype === '*') return 2;
  if (range.subtype !== actual.subtype) return 0;
  // An exact match; a bonus per documented parameter the header repeats, so
  // `version=2` beats plain when the supplier says `version=2`, and never loses a match.
  let bonus = 0;
  for (const [name, value] of Object.entries(range.parameters)) {
    if (Object.hasOwn(actual.parameters, name) && actual.parameters[name]!.toLowerCase() === value.toLowerCase()) bonus++;
  }
  return 3 + bonus;
}

/**
 * Whether a media type carries JSON: `application/json`, any `+json` suffix, and
 * the legacy `text/json`. Not `application/x-ndjson` (one document per line) and
 * not wildcards.
 * @example isJsonMediaType('application/problem+json') // true
 * @example isJsonMediaType('application/x-ndjson') // false
 */
export function isJsonMediaType(mediaType: string): boolean {
  const parsed = parsedOnce(mediaType);
  if (!parsed || parsed.type === '*' || parsed.subtype === '*') return false;
  return parsed.subtype === 'json' || parsed.subtype.endsWith('+json');
}

/** Media types of one JSON text per line: JSON Lines, NDJSON, FHIR bulk data. */
export const JSON_LINES_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/jsonl', 'application/x-jsonlines', 'application/jsonlines', 'application/x-ndjson', 'application/ndjson', 'application/fhir+ndjson']);

/**
 * Whether a `Content-Type` is one JSON text per line.
 * @example isJsonLinesMediaType('application/x-ndjson; charset=utf-8') // true
 */
export function isJsonLinesMediaType(mediaType: string): boolean {
  return JSON_LINES_MEDIA_TYPES.has(parsedOnce(mediaType)?.essence ?? '');
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Every response is matched several times (content type, schema, other checks)
 * against the same few documented ranges and the same few `Content-Type`
 * values: parse each once. Bounded, since header values come from the supplier.
 */
const parsedCache = new Map<string, Readonly<ParsedMediaType> | undefined>();
const PARSED_CACHE_SIZE = 256;

/**
 * The `type/subtype` of a `Content-Type` value, lower-cased, or undefined when
 * it does not parse; memoised like the matching above (every probe asks).
 * @example mediaTypeEssence('Application/JSON; charset=utf-8') // 'application/json'
 */
export function mediaTypeEssence(header: string): string | undefined {
  return parsedOnce(header)?.essence;
}

/** `parseMediaType`, memoised, for read-only use inside this file. */
function parsedOnce(value: string): Readonly<ParsedMediaType> | undefined {
  if (parsedCache.has(value)) return parsedCache.get(value);
  const parsed = parseMediaType(value);
  if (parsedCache.size >= PARSED_CACHE_SIZE) parsedCache.clear();
  parsedCache.set(value, parsed);
  return parsed;
}

/**
 * Parse a `Content-Type` value or media range (RFC 9110 8.3.1): quoted parameter
 * values are unquoted, a parameter without `=` is skipped, the first occurrence
 * of a repeated parameter wins.
 * @example parseMediaType('Application/JSON; Charset="utf-8"')
 *   // {type: 'application', subtype: 'json', essence: 'application/json', parameters: {charset: 'utf-8'}}
 */
export function parseMediaType(header: string): ParsedMediaType | undefined {
  const [head = '', ...rest] = splitParameters(header);
  const slash = head.indexOf('/');
  if (slash <= 0) return undefined;
  const type = head.slice(0, slash).trim().toLowerCase();
  const subtype = head.slice(slash + 1).trim().toLowerCase();
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  // No prototype: a parameter named `constructor` or `__proto__` is a parameter like any other.
  const parameters = Object.create(null) as Record<string, string>;
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (TOKEN.test(name) && !Object.hasOwn(parameters, name)) parameters[name] = value;
  }
  return { type, subtype, essence: `${type}/${subtype}`, parameters };
}

/** Split on `;` outside quoted strings. */
function splitParameters(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i] as string;
    if (quoted && ch === '\\' && i + 1 < header.length) {
      current += ch + (header[++i] as string);
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
