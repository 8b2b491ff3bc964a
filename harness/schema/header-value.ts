/**
 * Header values arrive as strings; their schemas say `integer`, `boolean` or
 * `array`. This file turns a raw value into the JSON values it could stand for
 * (OpenAPI `simple` style), so a header is judged by what it means, not by being text.
 */
import { getAtPointer, localRefToPointer, isRecord } from '../json-pointer.js';


/**
 * Readings of a raw header value, the one matching the schema's declared type
 * first. The caller accepts the header when any reading validates, which keeps a
 * schema without a plain `type` (say `allOf`) from failing a good value.
 * `object` headers are read both ways `simple` style allows (`k,v,k2,v2`, and
 * `k=v,k2=v2` when exploded), since the header's `explode` is not at hand here and
 * a wrong guess would fail a good value.
 * @example headerReadings(' 42 ', {type: 'integer'}, doc) // [42, '42']
 * @example headerReadings('a, b', {type: 'array', items: {type: 'string'}}, doc) // [['a', 'b'], 'a, b']
 * @example headerReadings('a=1,b=x', {type: 'object'}, doc) // [{a: '1', b: 'x'}, 'a=1,b=x', ...]
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
    else if (type === 'object') for (const reading of objectReadings(text, schema, document)) add(reading);
    else add(scalar(text, [type]));
  }
  add(text);
  add(scalar(text, ['number', 'boolean', 'null']));
  return readings;
}

/**
 * The object a `simple`-style value stands for: `k1,v1,k2,v2` (not exploded) and
 * `k1=v1,k2=v2` (exploded). Each value is read as its property's declared type.
 */
function objectReadings(text: string, schema: unknown, document: Record<string, unknown>): Array<Record<string, unknown>> {
  if (text === '') return [{}];
  const parts = text.split(',').map((part) => part.trim());
  const properties = propertiesOf(schema, document, 0);
  const build = (pairs: Array<[string, string]>): Record<string, unknown> => {
    // A null-prototype object: a header naming `__proto__` is data, not a prototype.
    const object: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of pairs) object[key] = scalar(value, declaredTypes(properties[key], document, 0));
    return object;
  };
  const readings: Array<Record<string, unknown>> = [];
  if (parts.every((part) => part.includes('='))) {
    readings.push(build(parts.map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()])));
  }
  if (parts.length % 2 === 0) {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < parts.length; i += 2) pairs.push([parts[i] as string, parts[i + 1] as string]);
    readings.push(build(pairs));
  }
  return readings;
}

/** Property schemas of an object schema, through `$ref` and `allOf`/`anyOf`/`oneOf` branches. */
function propertiesOf(schema: unknown, document: Record<string, unknown>, depth: number): Record<string, unknown> {
  const s = resolve(schema, document, depth);
  const found: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (!s) return found;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[key];
    if (Array.isArray(list)) for (const branch of list) for (const [name, property] of Object.entries(propertiesOf(branch, document, depth + 1))) found[name] = property;
  }
  if (isRecord(s.properties)) for (const [name, property] of Object.entries(s.properties)) found[name] = property;
  return found;
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
  for (let hops = 0; isRecord(s) && typeof s.$ref === 'string' && hops < 20 && depth < 20; hops++) {
    const target = localRefToPointer(s.$ref);
    if (target === undefined) return undefined;
    s = getAtPointer(document, target);
  }
  return isRecord(s) ? s : undefined;
}
