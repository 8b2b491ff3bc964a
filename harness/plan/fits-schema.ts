import { followLocalRef } from '../follow-local-ref.js';
import { linearPatternTest } from '../schema/regexp-engine.js';

type Schema = Record<string, unknown>;

/**
 * Why a parameter value breaks the parameter's schema, or undefined when it
 * fits. A small checker for the keywords that decide whether a path or query
 * value is usable (type, enum, const, pattern, length, range, a few formats,
 * allOf/anyOf/oneOf, and for an object or array its members: required,
 * properties, additionalProperties, items, minItems, maxItems, uniqueItems): values given
 * as URL text (`'42'`) count as numbers or booleans when the text is one,
 * unless `json` says the value was read from JSON text (a parameter written
 * as `application/json`), where a string is only a string. Keywords it does
 * not know never reject. A member's fault names where it is (`at /limit`).
 *
 * @example
 *   schemaMismatch(doc, { type: 'string', pattern: '^tok-' }, 'example'); // 'does not match the pattern ^tok-'
 *   schemaMismatch(doc, { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } } }, { limit: 0 }, { json: true }); // 'is below the minimum 1 at /limit'
 */
export function schemaMismatch(document: unknown, schemaOrRef: unknown, value: unknown, options: { json?: boolean } = {}): string | undefined {
  const found = mismatch(document, schemaOrRef, value, options.json === true, 0);
  return found && (found.at === '' ? found.why : `${found.why} at ${found.at}`);
}

interface Mismatch {
  why: string;
  /** JSON pointer to the member at fault, '' for the value itself. */
  at: string;
}

function mismatch(document: unknown, schemaOrRef: unknown, value: unknown, json: boolean, depth: number): Mismatch | undefined {
  if (depth > 8) return undefined;
  const followed = followLocalRef(document, schemaOrRef, '');
  if (!followed.ok) return undefined;
  const schema = followed.value;
  const here = (why: string): Mismatch => ({ why, at: '' });
  if (schema === false) return here('no value is allowed');
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as Schema;
  if (value === null && (s.nullable === true || (Array.isArray(s.type) && s.type.includes('null')))) return undefined;
  if ('const' in s && !sameValue(s.const, value, json)) return here(`is not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && s.enum.length > 0 && !s.enum.some((e) => sameValue(e, value, json))) return here(`is not one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as unknown[]).filter((t): t is string => typeof t === 'string') : [];
  if (types.length > 0 && !types.some((t) => hasType(t, value, json))) return here(`is not of type ${types.join(' or ')}`);
  const number = typeof value === 'number' ? value : !json && typeof value === 'string' && value.trim() !== '' && types.some((t) => t === 'integer' || t === 'number') ? Number(value) : undefined;
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && [...value].length < s.minLength) return here(`is shorter than minLength ${s.minLength}`);
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength) return here(`is longer than maxLength ${s.maxLength}`);
    // On the linear engine: the pattern and the value (a harvested id) may both come from a hostile supplier.
    // A pattern it cannot run never rejects.
    if (typeof s.pattern === 'string' && linearPatternTest(s.pattern)?.(value) === false) return here(`does not match the pattern ${s.pattern}`);
    const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
    if (format && !format.test(value)) return here(`is not a ${String(s.format)}`);
  }
  if (number !== undefined && Number.isFinite(number)) {
    if (typeof s.minimum === 'number' && (number < s.minimum || (s.exclusiveMinimum === true && number === s.minimum))) return here(`is below the minimum ${s.minimum}`);
    if (typeof s.maximum === 'number' && (number > s.maximum || (s.exclusiveMaximum === true && number === s.maximum))) return here(`is above the maximum ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && number <= s.exclusiveMinimum) return here(`is not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && number >= s.exclusiveMaximum) return here(`is not below ${s.exclusiveMaximum}`);
  }
  const member = membersMismatch(document, s, value, json, depth);
  if (member) return member;
  if (Array.isArray(s.allOf)) {
    for (const branch of s.allOf) {
      const found = mismatch(document, branch, value, json, depth + 1);
      if (found) return found;
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const found = branches.map((b) => mismatch(document, b, value, json, depth + 1));
      if (found.every((r) => r !== undefined)) return found[0];
    }
  }
  return undefined;
}

/** An object's or array's members against the schema's member keywords. */
function membersMismatch(document: unknown, s: Schema, value: unknown, json: boolean, depth: number): Mismatch | undefined {
  const inside = (name: string | number, found: Mismatch | undefined): Mismatch | undefined =>
    found && { why: found.why, at: `/${String(name).replace(/~/g, '~0').replace(/\//g, '~1')}${found.at}` };
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return { why: `has fewer than minItems ${s.minItems} items`, at: '' };
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return { why: `has more than maxItems ${s.maxItems} items`, at: '' };
    if (s.uniqueItems === true && hasRepeats(value.slice(0, 100))) return { why: 'has repeated items, where uniqueItems is true', at: '' };
    // 2020-12: prefixItems judge the first items, `items` the rest (3.0's array form of items is not read).
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    for (let i = 0; i < value.length && i < 100; i++) {
      const schema = i < prefix.length ? prefix[i] : Array.isArray(s.items) ? undefined : s.items;
      if (schema === undefined) continue;
      const found = inside(i, mismatch(document, schema, value[i], json, depth + 1));
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  for (const name of Array.isArray(s.required) ? s.required : []) {
    if (typeof name === 'string' && !Object.hasOwn(record, name)) return { why: `has no ${name}, which its schema requires`, at: '' };
  }
  const properties = s.properties !== null && typeof s.properties === 'object' ? (s.properties as Record<string, unknown>) : {};
  // A member a patternProperties pattern names is judged by that schema, which is not read here: never refused.
  // A pattern JavaScript cannot compile leaves every unlisted member unjudged.
  const patterns = patternsOf(s.patternProperties);
  const additional = (name: string) => patterns !== undefined && !patterns.some((pattern) => pattern.test(name));
  const closed = s.additionalProperties === false;
  for (const [name, member] of Object.entries(record)) {
    if (Object.hasOwn(properties, name)) {
      const found = inside(name, mismatch(document, properties[name], member, json, depth + 1));
      if (found) return found;
    } else if (!additional(name)) {
      continue;
    } else if (closed) {
      return { why: `has the member ${name}, which its schema does not allow (additionalProperties: false)`, at: '' };
    } else if (s.additionalProperties !== null && typeof s.additionalProperties === 'object') {
      const found = inside(name, mismatch(document, s.additionalProperties, member, json, depth + 1));
      if (found) return found;
    }
  }
  return undefined;
}

/** The patterns of `patternProperties` ([] without it), or undefined when one cannot be run in linear time. */
function patternsOf(patternProperties: unknown): Array<{ test(name: string): boolean }> | undefined {
  if (patternProperties === null || typeof patternProperties !== 'object') return [];
  const patterns: Array<{ test(name: string): boolean }> = [];
  for (const source of Object.keys(patternProperties)) {
    const test = linearPatternTest(source);
    if (!test) return undefined;
    patterns.push({ test });
  }
  return patterns;
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  email: /^[^\s@]+@[^\s@]+$/,
  int32: /^-?\d+$/,
  int64: /^-?\d+$/,
};

function hasType(type: string, value: unknown, json: boolean): boolean {
  if (json) {
    switch (type) {
      case 'string':
        return typeof value === 'string';
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'boolean':
        return typeof value === 'boolean';
      case 'null':
        return value === null;
      case 'array':
        return Array.isArray(value);
      case 'object':
        return value !== null && typeof value === 'object' && !Array.isArray(value);
      default:
        return true;
    }
  }
  const numeric = typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim()));
  switch (type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number';
    case 'integer':
      return numeric && Number.isInteger(Number(value));
    case 'number':
      return numeric;
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value) || typeof value === 'string';
    case 'object':
      return (value !== null && typeof value === 'object') || typeof value === 'string';
    default:
      return true;
  }
}

function sameValue(expected: unknown, actual: unknown, json: boolean): boolean {
  if (expected === actual) return true;
  // URL text against a typed enum: '2' fits [1, 2, 3], 'true' fits [true].
  if (!json && typeof actual === 'string' && (typeof expected === 'number' || typeof expected === 'boolean')) return String(expected) === actual;
  return sameJson(expected, actual, 0);
}

/** Whether two items of a list are the same JSON value (a bounded 100 of them are compared). */
function hasRepeats(items: readonly unknown[]): boolean {
  for (let i = 1; i < items.length; i++) for (let k = 0; k < i; k++) if (sameJson(items[i], items[k], 0)) return true;
  return false;
}

/** Equal as JSON values, where an object's members have no order: `{"a":1,"b":2}` is `{"b":2,"a":1}`. */
function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b) || depth > 32) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameJson(item, other[i], depth + 1));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key], depth + 1));
}
