import { followLocalRef } from '../follow-local-ref.js';
import { linearPatternTest } from '../schema/regexp-engine.js';
import { patternSample } from './pattern-sample.js';
import { schemaMismatch } from './fits-schema.js';

/** Where a value came from, so the report can say why a request looked as it did. */
/**
 * Where a request's value came from. `omitted`: a required parameter named
 * like a credential (`ev-api-key`) that no security scheme covers and nothing
 * gave a value: the run never invents one, so the request went without it.
 */
export type ValueSource = 'var' | 'example' | 'default' | 'const' | 'enum' | 'schema-example' | 'harvested' | 'created' | 'generated' | 'omitted';

/** How a value is generated. */
export interface GenerateOptions {
  /**
   * For a request body: `readOnly` properties are left out (OpenAPI: they are
   * not sent, even when required), and a boolean is false unless its schema
   * allows nothing else (`const`, `enum`): the least a write can grant (a
   * generated `admin: true` made an administrator). A body that is one of a
   * record or a list of records is one record (see `oneRecordBranch`); a
   * member that is a related record or its id is the id, and a list of them
   * empty where allowed (see `referenceBranch`).
   */
  request?: boolean;
}

export interface SampleValue {
  value: unknown;
  source: ValueSource;
}

type Schema = Record<string, unknown>;

/** The schema a value or `$ref` names; undefined for a dangling or cyclic ref. */
function derefSchema(document: unknown, schemaOrRef: unknown): unknown {
  const followed = followLocalRef(document, schemaOrRef, '');
  return followed.ok ? followed.value : undefined;
}

/** Depth bound for generated objects and arrays: recursive schemas must not loop. */
const MAX_DEPTH = 4;

/**
 * A value the schema states outright (`default`, `const`, `enum`, `example`,
 * `examples`), in the order the planner trusts them; undefined when it states none.
 *
 * @example
 *   declaredValue(doc, { type: 'integer', default: 20 }) // { value: 20, source: 'default' }
 */
export function declaredValue(document: unknown, schemaOrRef: unknown): SampleValue | undefined {
  const schema = asSchema(derefSchema(document, schemaOrRef));
  if (!schema) return undefined;
  if ('default' in schema) return { value: schema.default, source: 'default' };
  if ('const' in schema) return { value: schema.const, source: 'const' };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    // Neither null nor "": peertube's job state lists "" first, and a path of `/jobs/` asks nothing (the
    // planner passed over it, and made up `example`, which the enum refuses).
    const chosen = schema.enum.find((v) => v !== null && v !== '') ?? schema.enum.find((v) => v !== null);
    return { value: chosen === undefined ? schema.enum[0] : chosen, source: 'enum' };
  }
  if ('example' in schema) return { value: schema.example, source: 'schema-example' };
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return { value: schema.examples[0], source: 'schema-example' };
  // A scalar's may sit in a branch: `allOf: [{$ref: Condition}]`, as NSwag writes an enum property, got
  // `example` where it takes only `NotExists` or `Exists`. (An object's is not taken from a branch: a
  // branch's whole-object example may lack what the other branches require.)
  if (!Array.isArray(schema.allOf) && !Array.isArray(schema.oneOf) && !Array.isArray(schema.anyOf)) return undefined;
  const flattened = flatten(document, schema, 0);
  const type = schemaType(flattened);
  if (flattened === schema || type === 'object' || type === 'array') return undefined;
  // Only a value the whole schema takes: `allOf: [{$ref: PageSize}], maximum: 50` refuses PageSize's default 100.
  const found = declaredValue(document, flattened);
  return found !== undefined && schemaMismatch(document, schema, found.value, { json: true }) === undefined ? found : undefined;
}

/**
 * A parameter's generated value: `generateValue`, except that an object with
 * nothing required, which that leaves empty, gets its first described
 * property. An empty object serialises to nothing (`;object=` in a matrix
 * path, no pair at all in a deepObject query), which is no value for a
 * parameter the request must carry.
 *
 * @example
 *   generateParameterValue(doc, { type: 'object', properties: { name: { type: 'string' } } }) // { name: 'example' }
 */
export function generateParameterValue(document: unknown, schemaOrRef: unknown): unknown {
  const value = generateValue(document, schemaOrRef);
  if (!isRecordValue(value) || Object.keys(value).length > 0) return value;
  const schema = asSchema(derefSchema(document, schemaOrRef));
  const properties = schema ? asSchema(flatten(document, schema, 0).properties) : undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    const filled = generateValue(document, property, 1);
    if (filled !== undefined && filled !== '') return ownRecord(name, filled);
  }
  return value;
}

/** `{[name]: value}` as an own property, even for `__proto__` (see `setOwn`). */
function ownRecord(name: string, value: unknown): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  setOwn(record, name, value);
  return record;
}

function isRecordValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An update body the schema generates empty (`{}`: a PATCH requires
 * nothing), with the first of `names` the schema describes as a writable
 * string set: an empty update changes nothing, and reading the record back
 * can show nothing (LoopBack's PATCH /todos/{id} went out as `{}`). Any other
 * value is returned as it is.
 *
 * @example
 *   withObservableField(doc, {}, { type: 'object', properties: { title: { type: 'string' } } }, ['name', 'title']) // { title: 'example' }
 */
export function withObservableField(document: unknown, value: unknown, schemaOrRef: unknown, names: readonly string[]): unknown {
  if (!isRecordValue(value) || Object.keys(value).length > 0) return value;
  const raw = asSchema(derefSchema(document, schemaOrRef));
  const properties = raw ? asSchema(flatten(document, raw, 0).properties) : undefined;
  for (const name of names) {
    if (!properties || !Object.hasOwn(properties, name)) continue;
    const property = asSchema(derefSchema(document, properties[name]));
    if (!property || property.readOnly === true || schemaType(flatten(document, property, 1)) !== 'string') continue;
    const filled = generateValue(document, property, 1, { request: true });
    if (typeof filled === 'string' && filled !== '') return ownRecord(name, filled);
  }
  return value;
}

/**
 * Where a generated list's items come from, when the items' schema states a
 * value (`default`, `enum`, `example`...): Petstore's `status` is an array
 * whose items default to `available`, and a list of that one value is the
 * document's value, not one the harness made up. Undefined for anything else.
 *
 * @example
 *   listItemSource(doc, { type: 'array', items: { type: 'string', default: 'available' } }, ['available']) // 'default'
 */
export function listItemSource(document: unknown, schemaOrRef: unknown, list: unknown): ValueSource | undefined {
  const raw = asSchema(derefSchema(document, schemaOrRef));
  if (!raw || declaredValue(document, raw) !== undefined) return undefined;
  const schema = flatten(document, raw, 0);
  if (schemaType(schema) !== 'array') return undefined;
  const item = declaredValue(document, schema.items);
  // Only a list the array schema takes: `[available, available]`, padded to minItems 2 with uniqueItems, is the harness's.
  return item !== undefined && item.value !== '' && schemaMismatch(document, raw, list, { json: true }) === undefined ? item.source : undefined;
}

/**
 * A value built from the schema's type and constraints, for parameters the
 * document gives no value for. Undefined when nothing sensible can be built
 * (e.g. a `not` schema).
 *
 * @example
 *   generateValue(doc, { type: 'string', format: 'date' }) // '2024-01-01'
 */
export function generateValue(document: unknown, schemaOrRef: unknown, depth = 0, options: GenerateOptions = {}): unknown {
  const raw = asSchema(derefSchema(document, schemaOrRef));
  if (!raw || depth > MAX_DEPTH) return undefined;
  const declared = declaredValue(document, raw);
  // In a request body a boolean is false unless the schema allows nothing else: a declared
  // `example: true` on `admin` made an administrator as surely as a generated one.
  if (options.request === true && declared && typeof declared.value === 'boolean' && declared.source !== 'const' && declared.source !== 'enum') return false;
  // A declared list of other records' ids (`example: [{id: "2tUt…"}]`) names records that may exist: a request
  // sends none where the schema allows (minItems may sit in an allOf branch), unless a const or enum allows nothing else.
  if (options.request === true && declared?.source !== 'const' && declared?.source !== 'enum' && Array.isArray(declared?.value) && isReferenceList(declared.value, '') && mayBeEmpty(document, raw)) return [];
  // An empty declared string is no value: it would put `//` in a path or fail a minLength. Nor is
  // one the schema refuses (`enum: [asc, desc], default: up`): a supplier would be right to refuse it.
  if (declared && declared.value !== '') {
    const takes = (value: unknown) => value !== '' && schemaMismatch(document, raw, value, { json: true }) === undefined;
    if (takes(declared.value)) return declared.value;
    const listed = Array.isArray(raw.enum) ? raw.enum.find(takes) : undefined;
    if (listed !== undefined) return listed;
  }
  const record = depth === 0 && options.request === true ? oneRecordBranch(document, raw) : undefined;
  if (record !== undefined) return generateValue(document, record, depth, options);
  const reference = depth > 0 && options.request === true ? referenceBranch(document, raw) : undefined;
  if (reference !== undefined) return generateValue(document, reference, depth, options);
  const schema = flatten(document, raw, 0);
  switch (schemaType(schema)) {
    case 'string':
      return generateString(schema);
    case 'integer':
      return generateNumber(schema, true);
    case 'number':
      return generateNumber(schema, false);
    case 'boolean':
      return options.request !== true;
    case 'array': {
      // A list of related records or their ids (Directus's one-to-many `comments`): any id named would move
      // someone else's record under the run's, so a request sends none where the schema allows.
      // So is a list of bare references (`[{id}]`, n8n's tagIds): a generated `[{id: 1}]` names record 1.
      const itemSchema = asSchema(derefSchema(document, schema.items)) ?? {};
      const related = options.request === true && mayBeEmpty(document, schema) && (referenceBranch(document, itemSchema) !== undefined || isReferenceSchema(document, itemSchema));
      if (related) return [];
      const item = generateValue(document, schema.items, depth + 1, options);
      const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
      return item === undefined ? [] : Array.from({ length: Math.min(count, 3) }, () => item);
    }
    case 'object':
      return generateObject(document, schema, depth, options);
    case 'null':
      return null;
    default:
      return undefined;
  }
}

/**
 * Of a body that is only a `oneOf`/`anyOf` of a list of records and one
 * record (Directus's `POST /items/{collection}`), the one record's branch: a
 * list is a batch, and what a batch create answers (`{data: [{id: 5}]}`)
 * names its records in a list, where the run looks for one record's id.
 * Undefined for any other schema.
 */
function oneRecordBranch(document: unknown, schema: Schema): unknown {
  const choice = alternatives(document, schema);
  if (!choice?.types.includes('array')) return undefined;
  const object = choice.types.indexOf('object');
  return object < 0 ? undefined : choice.branches[object];
}

/**
 * A schema that is nothing but a `oneOf`/`anyOf` (words such as `description`
 * beside it): its branches, and the type each generates. Undefined for any other.
 */
function alternatives(document: unknown, schema: Schema): { branches: unknown[]; types: Array<string | undefined> } | undefined {
  if (Object.keys(schema).some((key) => !['oneOf', 'anyOf', 'description', 'title', 'nullable'].includes(key) && !key.startsWith('x-'))) return undefined;
  const branches = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (branches === undefined) return undefined;
  return { branches, types: branches.map((branch) => schemaType(flatten(document, asSchema(derefSchema(document, branch)) ?? {}, 0))) };
}

/**
 * Of a member of a request body that is only a `oneOf`/`anyOf` of a related
 * record and its id (Directus's relation fields: `oneOf: [{$ref: Incidents},
 * {type: integer}]`), the id's branch: a nested object would make a record
 * of another collection, which the run neither tracks nor deletes. Undefined
 * for any other schema.
 */
function referenceBranch(document: unknown, schema: Schema): unknown {
  const choice = alternatives(document, schema);
  if (!choice?.types.includes('object')) return undefined;
  const scalar = choice.types.findIndex((type) => type === 'string' || type === 'integer' || type === 'number');
  return scalar < 0 ? undefined : choice.branches[scalar];
}

/**
 * One schema from a schema and its `allOf` branches (every branch) or its
 * `oneOf`/`anyOf` (the first branch): properties merged, `required` joined,
 * so a property required in one branch and declared in another is generated.
 */
function flatten(document: unknown, schema: Schema, depth: number): Schema {
  if (depth > MAX_DEPTH) return schema;
  const parts: Schema[] = [schema];
  if (Array.isArray(schema.allOf)) for (const branch of schema.allOf) parts.push(flattenRef(document, branch, depth));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      // Prefer a branch that is not null-only: `oneOf: [{type: 'null'}, {...}]` means "or null".
      const chosen = branches.find((b) => schemaType(asSchema(derefSchema(document, b)) ?? {}) !== 'null') ?? branches[0];
      parts.push(flattenRef(document, chosen, depth));
      break;
    }
  }
  if (parts.length === 1) return schema;
  const merged: Schema = {};
  const properties: Schema = {};
  const required = new Set<string>();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'allOf' || key === 'oneOf' || key === 'anyOf' || key === 'properties' || key === 'required') continue;
      if (!Object.hasOwn(merged, key)) setOwn(merged, key, value);
    }
    for (const [key, value] of Object.entries(asSchema(part.properties) ?? {})) setOwn(properties, key, value);
    if (Array.isArray(part.required)) for (const name of part.required) if (typeof name === 'string') required.add(name);
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  if (merged.type === undefined && (merged.properties || merged.required)) merged.type = 'object';
  return merged;
}

function flattenRef(document: unknown, schemaOrRef: unknown, depth: number): Schema {
  const schema = asSchema(derefSchema(document, schemaOrRef));
  return schema ? flatten(document, schema, depth + 1) : {};
}

function asSchema(value: unknown): Schema | undefined {
  if (value === true) return {};
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : undefined;
}

/** OpenAPI 3.1 allows `type: [string, 'null']`: probe with the non-null type. */
function schemaType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') ?? type[0];
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

const FORMAT_SAMPLES: Record<string, string> = {
  date: '2024-01-01',
  'date-time': '2024-01-01T00:00:00Z',
  time: '00:00:00Z',
  uuid: '00000000-0000-4000-8000-000000000000',
  email: 'probe@example.org',
  uri: 'https://example.org/',
  'uri-reference': '/',
  hostname: 'example.org',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'AA==',
};

function generateString(schema: Schema): string {
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  let value = (format && FORMAT_SAMPLES[format]) ?? 'example';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (value.length < min) value = value.padEnd(min, 'x');
  if (value.length > max) value = value.slice(0, max);
  // A pattern the plain value breaks gets a value made from the pattern, when one can be made.
  if (typeof schema.pattern === 'string' && linearPatternTest(schema.pattern)?.(value) !== true) {
    return patternSample(schema.pattern, min, max) ?? value;
  }
  return value;
}

function generateNumber(schema: Schema, integer: boolean): number {
  const step = integer ? 1 : 0.5;
  let min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  let max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  // 3.1 (numeric) and 3.0 (boolean beside minimum/maximum) forms of exclusive bounds.
  if (typeof schema.exclusiveMinimum === 'number') min = schema.exclusiveMinimum + step;
  else if (schema.exclusiveMinimum === true && min !== undefined) min += step;
  if (typeof schema.exclusiveMaximum === 'number') max = schema.exclusiveMaximum - step;
  else if (schema.exclusiveMaximum === true && max !== undefined) max -= step;
  let value = min ?? (max !== undefined && max < 1 ? max : 1);
  if (integer) value = Math.ceil(value);
  const multipleOf = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  if (multipleOf) value = Math.ceil(value / multipleOf) * multipleOf;
  return value;
}

function generateObject(document: unknown, schema: Schema, depth: number, options: GenerateOptions): Record<string, unknown> {
  const properties = asSchema(schema.properties) ?? {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const result: Record<string, unknown> = {};
  for (const name of required) {
    const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (options.request && asSchema(derefSchema(document, property))?.readOnly === true) continue;
    // A required property the schema never describes still has to be there: any value is allowed.
    let value = property === undefined ? 'example' : generateValue(document, property, depth + 1, options);
    // A list of other records' ids by its name (`tagIds`): empty where the schema allows, as any id in it is someone else's record.
    if (options.request && Array.isArray(value) && isReferenceListName(name) && mayBeEmpty(document, property)) value = [];
    if (value !== undefined) setOwn(result, name, value);
  }
  return result;
}

/**
 * A key that names a record by its id: `id`, `uuid`, `_id`, or one ending in
 * `Id`, `_id` or `Uuid` (`tagId`, `owner_id`).
 *
 * @example isIdentifierKey('tagId') // true
 * @example isIdentifierKey('valid') // false
 */
export function isIdentifierKey(name: string): boolean {
  return /^(id|uuid|_id)$/i.test(name) || /[a-z0-9](Id|ID|_id|_ID|Uuid|_uuid)$/.test(name);
}

/** A list named as ids of other records: `tagIds`, `member_ids`. */
export function isReferenceListName(name: string): boolean {
  return /[a-z0-9](Ids|IDs|_ids|_IDs)$/.test(name) || /^ids$/i.test(name);
}

/** Whether an array schema takes an empty list: no `minItems` above 0, its own or an `allOf` branch's. */
export function mayBeEmpty(document: unknown, schemaOrRef: unknown): boolean {
  const schema = asSchema(derefSchema(document, schemaOrRef));
  const minItems = schema === undefined ? undefined : flatten(document, schema, 0).minItems;
  return !(typeof minItems === 'number' && minItems > 0);
}

/**
 * A list of references to other records: every item an object of
 * identifiers only (`{id}`, `{tagId}`), or ids in a list named as ids
 * (`tagIds`, given as `field`).
 *
 * @example isReferenceList([{ id: 't1' }], 'tags') // true
 * @example isReferenceList([{ id: 't1', name: 'one' }], 'tags') // false: records, not references
 */
export function isReferenceList(list: readonly unknown[], field: string): boolean {
  if (list.length === 0) return false;
  const references = list.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0 && Object.keys(item).every(isIdentifierKey));
  return references || (isReferenceListName(field) && list.every((item) => typeof item === 'string' || typeof item === 'number'));
}

/** An object schema whose every described property is an identifier (`{id}`, `{tagId}`): a reference to another record. */
function isReferenceSchema(document: unknown, schema: Schema): boolean {
  const flattened = flatten(document, schema, 0);
  const names = Object.keys(asSchema(flattened.properties) ?? {});
  return schemaType(flattened) === 'object' && names.length > 0 && names.every(isIdentifierKey);
}

/** An own property, even for `__proto__`: names in a document are data. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
