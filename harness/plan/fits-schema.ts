import { followLocalRef } from '../follow-local-ref.js';

type Schema = Record<string, unknown>;

/**
 * Why a parameter value breaks the parameter's schema, or undefined when it
 * fits. A small checker for the keywords that decide whether a path or query
 * value is usable (type, enum, const, pattern, length, range, a few formats,
 * allOf/anyOf/oneOf): values given as URL text (`'42'`) count as numbers or
 * booleans when the text is one. Keywords it does not know never reject.
 *
 * @example
 *   schemaMismatch(doc, { type: 'string', pattern: '^tok-' }, 'example'); // 'does not match the pattern ^tok-'
 */
export function schemaMismatch(document: unknown, schemaOrRef: unknown, value: unknown, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const followed = followLocalRef(document, schemaOrRef, '');
  if (!followed.ok) return undefined;
  const schema = followed.value;
  if (schema === false) return 'no value is allowed';
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as Schema;
  if (value === null && (s.nullable === true || (Array.isArray(s.type) && s.type.includes('null')))) return undefined;
  if ('const' in s && !sameValue(s.const, value)) return `is not ${JSON.stringify(s.const)}`;
  if (Array.isArray(s.enum) && s.enum.length > 0 && !s.enum.some((e) => sameValue(e, value))) return `is not one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as unknown[]).filter((t): t is string => typeof t === 'string') : [];
  if (types.length > 0 && !types.some((t) => hasType(t, value))) return `is not of type ${types.join(' or ')}`;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && types.some((t) => t === 'integer' || t === 'number') ? Number(value) : undefined;
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && [...value].length < s.minLength) return `is shorter than minLength ${s.minLength}`;
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength) return `is longer than maxLength ${s.maxLength}`;
    if (typeof s.pattern === 'string') {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(s.pattern, 'u');
      } catch {
        pattern = undefined; // a pattern JavaScript cannot compile never rejects
      }
      if (pattern && !pattern.test(value)) return `does not match the pattern ${s.pattern}`;
    }
    const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
    if (format && !format.test(value)) return `is not a ${String(s.format)}`;
  }
  if (number !== undefined && Number.isFinite(number)) {
    if (typeof s.minimum === 'number' && (number < s.minimum || (s.exclusiveMinimum === true && number === s.minimum))) return `is below the minimum ${s.minimum}`;
    if (typeof s.maximum === 'number' && (number > s.maximum || (s.exclusiveMaximum === true && number === s.maximum))) return `is above the maximum ${s.maximum}`;
    if (typeof s.exclusiveMinimum === 'number' && number <= s.exclusiveMinimum) return `is not above ${s.exclusiveMinimum}`;
    if (typeof s.exclusiveMaximum === 'number' && number >= s.exclusiveMaximum) return `is not below ${s.exclusiveMaximum}`;
  }
  if (Array.isArray(s.allOf)) {
    for (const branch of s.allOf) {
      const why = schemaMismatch(document, branch, value, depth + 1);
      if (why) return why;
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const reasons = branches.map((b) => schemaMismatch(document, b, value, depth + 1));
      if (reasons.every((r) => r !== undefined)) return reasons[0];
    }
  }
  return undefined;
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  email: /^[^\s@]+@[^\s@]+$/,
  int32: /^-?\d+$/,
  int64: /^-?\d+$/,
};

function hasType(type: string, value: unknown): boolean {
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

function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  // URL text against a typed enum: '2' fits [1, 2, 3], 'true' fits [true].
  if (typeof actual === 'string' && (typeof expected === 'number' || typeof expected === 'boolean')) return String(expected) === actual;
  return JSON.stringify(expected) === JSON.stringify(actual);
}
