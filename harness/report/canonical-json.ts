/**
 * JSON Canonicalization Scheme (RFC 8785): one exact byte sequence for a JSON
 * value, whatever whitespace, key order or number spelling the file used. A
 * signature over it says "this content", not "this formatting".
 *
 * - object members sorted by key, comparing UTF-16 code units (section 3.2.3);
 * - numbers as ECMAScript serialises them (section 3.2.2.3), which is what
 *   `Number.prototype.toString` implements; -0 becomes 0; NaN and Infinity
 *   are not JSON and are refused;
 * - strings with only `"`, `\` and U+0000 to U+001F escaped, the latter as
 *   `\b \t \n \f \r` or lower-case `\u00xx` (section 3.2.2.2);
 * - no whitespace.
 *
 * One deliberate difference: RFC 8785 rejects strings holding a lone
 * surrogate. Reports quote suppliers, and a supplier must not be able to stop
 * a report from being signed, so a lone surrogate is written as a lower-case
 * `\udxxx` escape instead (as ECMAScript's JSON.stringify does). For input
 * that is valid I-JSON the output is exactly RFC 8785's.
 */

/**
 * The RFC 8785 canonical form of a JSON value. Object members whose value is
 * `undefined` are left out, as JSON.stringify leaves them out of a file.
 * Throws a TypeError for values JSON cannot hold (NaN, Infinity, a function,
 * a bigint, a cycle).
 *
 * @example
 *   canonicalizeJson({ b: [1e30, 4.50], a: 'é\n' }); // '{"a":"é\\n","b":[1e+30,4.5]}'
 */
export function canonicalizeJson(value: unknown): string {
  const parts: string[] = [];
  writeValue(value, parts, new Set());
  return parts.join('');
}

function writeValue(value: unknown, parts: string[], ancestors: Set<object>): void {
  if (value === null) {
    parts.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'number':
      parts.push(canonicalNumber(value));
      return;
    case 'string':
      parts.push(canonicalString(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`cannot canonicalise a ${typeof value} as JSON`);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('cannot canonicalise a cyclic structure as JSON');
  ancestors.add(object);
  if (Array.isArray(object)) {
    parts.push('[');
    object.forEach((item: unknown, index) => {
      if (index > 0) parts.push(',');
      // As in JSON.stringify: an undefined array slot is null, never a hole.
      writeValue(item === undefined ? null : item, parts, ancestors);
    });
    parts.push(']');
  } else {
    const entries = Object.entries(object).filter(([, member]) => member !== undefined);
    entries.sort(([a], [b]) => compareCodeUnits(a, b));
    parts.push('{');
    entries.forEach(([key, member], index) => {
      if (index > 0) parts.push(',');
      parts.push(canonicalString(key), ':');
      writeValue(member, parts, ancestors);
    });
    parts.push('}');
  }
  ancestors.delete(object);
}

/**
 * Compares two strings by UTF-16 code unit, as RFC 8785 section 3.2.3 orders
 * keys. Spelled out rather than relying on a locale-aware comparison.
 *
 * @example
 *   ['\u20ac', '\ud83d\ude00', '\ufb33'].sort(compareCodeUnits); // euro, grinning face, then U+FB33
 */
export function compareCodeUnits(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/**
 * A number as RFC 8785 writes it: the ECMAScript Number-to-String algorithm
 * (shortest round-trip digits, exponent from 1e21 and below 1e-6), -0 as 0.
 *
 * @example
 *   canonicalNumber(333333333.33333329); // '333333333.3333333'
 *   canonicalNumber(1e21); // '1e+21'
 */
export function canonicalNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`${String(value)} is not a JSON number`);
  // Object.is, because -0 === 0 and the RFC wants "0" for both.
  if (Object.is(value, -0)) return '0';
  return String(value);
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/**
 * A string as RFC 8785 writes it: quoted, with only the characters JSON
 * requires escaped; everything else (including non-ASCII) as is.
 *
 * @example
 *   canonicalString('\u20ac$\u000f\nA"\\'); // '"€$\\u000f\\nA\\"\\\\"'
 */
export function canonicalString(text: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let escape: string | undefined;
    if (code < 0x20 || code === 0x22 || code === 0x5c) {
      escape = SHORT_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const pairs = code <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
      if (pairs) {
        i++;
        continue;
      }
      escape = `\\u${code.toString(16)}`;
    }
    if (escape === undefined) continue;
    out += text.slice(runStart, i) + escape;
    runStart = i + 1;
  }
  return `${out}${text.slice(runStart)}"`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
