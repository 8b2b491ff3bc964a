/**
 * Header values arrive as strings; their schemas say `integer`, `boolean` or
 * `array`. This file turns a raw value into the JSON values it could stand for
 * (OpenAPI `simple` style), so a header is judged by what it means, not by being text.
 */
import { getAtPointer, localRefToPointer } from '../json-pointer.js';
import { isPlainObject } from './schema-keywords.js';

/**
 * Readings of a raw header value, the one matching the schema's declared type
 * first. The caller accepts the header when any reading validates, which keeps a
 * schema without a plain `type` (say `allOf`) from failing a good value.
 * `object` headers (`k,v,k2,v2` or `k=v`, depending on `explode`) are not read as
 * objects: the raw string is offered and the caller judges only what it can.
 * @example headerReadings(' 42 ', {type: 'integer'}, doc) // [42, '42']
 * @example headerReadings('a, b', {type: 'array', items: {type: 'string'}}, doc) // [['a', 'b'], 'a, b']
 */
export function headerReadings(raw: string, schema: unknown, document: Record<string, unknown>): unknown[] {
  // Leading/trailing whitespace is not part of a field value (RFC 9110 5.5).
  const text = raw.trim();
  const declared = declaredTypes(schema, document, 0);
  const itemTypes = declared.includes('array') ? declaredTypes(itemsOf(schema, document, 0), document, 0) : [];
  const readings: unknown[] = [];
  const add = (v: unknown): void => {
    if (v !== undefined && !readings.some((r) => JSON.stringify(r) === JSON.stringify(v))) readings.push(v);
  };
  for (const type of declared) {
    if (type === 'array') add(text === '' ? [] : text.split(',').map((part) => scalar(part.trim(), itemTypes)));
    else add(scalar(text, [type]));
  }
  add(text);
  add(scalar(text, ['number', 'boolean', 'null']));
  return readings;
}

function scalar(text: string, types: string[]): unknown {
  for (const type of types) {
    if ((type === 'integer' || type === 'number') && /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) return Number(text);
    if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
    if (type === 'null' && text === 'null') return null;
    if (type === 'string') return text;
  }
  return text;
}

/** The `type`s a schema states, looking through `$ref` and the `anyOf` that `nullable` became. */
function declaredTypes(schema: unknown, document: Record<string, unknown>, depth: number): string[] {
  const s = resolve(schema, document, depth);
  if (!s) return [];
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  const types: string[] = [];
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[key];
    if (Array.isArray(list)) for (const branch of list) types.push(...declaredTypes(branch, document, depth + 1));
  }
  return [...new Set(types)];
}

function itemsOf(schema: unknown, document: Record<string, unknown>, depth: number): unknown {
  const s = resolve(schema, document, depth);
  if (!s) return undefined;
  if (s.items !== undefined) return s.items;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[key];
    if (Array.isArray(list)) {
      for (const branch of list) {
        const items = itemsOf(branch, document, depth + 1);
        if (items !== undefined) return items;
      }
    }
  }
  return undefined;
}

function resolve(schema: unknown, document: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
  let s = schema;
  for (let hops = 0; isPlainObject(s) && typeof s.$ref === 'string' && hops < 20 && depth < 20; hops++) {
    const target = localRefToPointer(s.$ref);
    if (target === undefined) return undefined;
    s = getAtPointer(document, target);
  }
  return isPlainObject(s) ? s : undefined;
}
