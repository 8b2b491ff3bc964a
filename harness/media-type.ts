/**
 * Media types: parsing a `Content-Type` value or media range, and the
 * questions every stage asks of one (is it JSON? one JSON text per line? can
 * a value be written to it as JSON text?), answered in one place.
 */

/** A parsed `Content-Type` value or media range. Type, subtype and parameter names are lower-cased. */
export interface ParsedMediaType {
  type: string;
  subtype: string;
  /** `type/subtype`, without parameters. */
  essence: string;
  parameters: Record<string, string>;
}

/**
 * Whether a media type carries JSON: `application/json`, any `+json` suffix, and
 * the legacy `text/json`. Not `application/x-ndjson` (one document per line) and
 * not wildcards.
 * @example isJsonMediaType('application/problem+json') // true
 * @example isJsonMediaType('application/x-ndjson') // false
 */
export function isJsonMediaType(mediaType: string): boolean {
  const parsed = parsedMediaType(mediaType);
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
  return JSON_LINES_MEDIA_TYPES.has(parsedMediaType(mediaType)?.essence ?? '');
}

/**
 * Whether a value is written to this media range as JSON text: a JSON type
 * (`json`, `+json`, `text/json`, the legacy `x-json`), JSON5 (JSON is JSON5),
 * JSON Lines (one text is one line), `*\/*`, or a `+json` range. Not every type
 * whose name holds "json": `application/jsonpath` is an expression, and the
 * JSON string of one is another.
 * @example takesJsonText('application/merge-patch+json') // true
 * @example takesJsonText('application/jsonpath') // false
 */
export function takesJsonText(mediaRange: string): boolean {
  const parsed = parsedMediaType(mediaRange.trim());
  if (!parsed) return false;
  // Ranges by their type and subtype alone: a `*` in a parameter's value (`profile="urn:x:*"`) makes no range.
  if (parsed.type === '*' || parsed.subtype.includes('*')) return (parsed.type === '*' && parsed.subtype === '*') || parsed.subtype === '*+json';
  return isJsonMediaType(mediaRange) || JSON_LINES_MEDIA_TYPES.has(parsed.essence) || /^(application|text)\/(x-json|json5)$/.test(parsed.essence);
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
 * it does not parse; memoised (`parsedMediaType`: every probe asks).
 * @example mediaTypeEssence('Application/JSON; charset=utf-8') // 'application/json'
 */
export function mediaTypeEssence(header: string): string | undefined {
  return parsedMediaType(header)?.essence;
}

/** `parseMediaType`, memoised (every probe asks about the same few values): read-only. */
export function parsedMediaType(value: string): Readonly<ParsedMediaType> | undefined {
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
