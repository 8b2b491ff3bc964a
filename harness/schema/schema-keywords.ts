/**
 * Which keywords of a Schema Object hold subschemas, and a walker over them.
 * The walker is what keeps property *names* (`properties: {nullable: ...}`) and
 * instance data (`example`, `enum`, `default`) from being mistaken for keywords.
 */
import { joinPointer, isRecord } from '../json-pointer.js';

/** `3.0`: OpenAPI 3.0 Schema Objects (siblings of `$ref` are ignored). `3.1`: JSON Schema 2020-12. */
export type SchemaDialect = '3.0' | '3.1';

/**
 * The dialect of a document by its `openapi` version: 3.1 and later are JSON
 * Schema 2020-12; 3.0 (and converted Swagger 2.0, or no version) the OpenAPI dialect.
 *
 * @example dialectOfVersion('3.1.0') // '3.1'
 */
export function dialectOfVersion(version: unknown): SchemaDialect {
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!match) return '3.0';
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 3 || (major === 3 && minor >= 1) ? '3.1' : '3.0';
}

/**
 * Whether `format` only annotates in this dialect: in JSON Schema 2020-12
 * (OpenAPI 3.1 and later) it is an annotation unless a schema asks for the
 * format-assertion vocabulary (2020-12 Validation 7.2; OpenAPI 3.1.1 4.4
 * says the same). A value that breaks only its format breaks no schema there.
 */
export function formatIsAnnotation(dialect: SchemaDialect): boolean {
  return dialect === '3.1';
}

/** Keywords whose value is one subschema. */
export const SINGLE_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  'additionalProperties', 'additionalItems', 'contains', 'propertyNames', 'not',
  'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema',
]);

/** Keywords whose value is an array of subschemas. */
export const ARRAY_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** Keywords whose value maps names to subschemas. */
export const MAP_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  'properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas',
]);

/** Called with each subschema object, its pointer, and whether an enclosing schema set `$id`. */
export type SchemaVisitor = (node: Record<string, unknown>, pointer: string, inIdScope: boolean) => void;


/**
 * Call `visit` on every object subschema under `schema` (itself included), with its pointer.
 * In 3.0, a `$ref` object's siblings are not schemas, so they are not visited.
 * `inIdScope` tells whether an enclosing subschema declared `$id` (refs there are not document-relative).
 * @example walkSchema(doc.components.schemas.Person, '/components/schemas/Person', '3.0', (s, p) => ...)
 */
export function walkSchema(schema: unknown, pointer: string, dialect: SchemaDialect, visit: SchemaVisitor, inIdScope = false): void {
  if (!isRecord(schema)) return;
  const scoped = inIdScope || typeof schema.$id === 'string';
  visit(schema, pointer, scoped);
  if (dialect === '3.0' && typeof schema.$ref === 'string') return;
  forEachChildSchema(schema, pointer, (child, childPointer) => walkSchema(child, childPointer, dialect, visit, scoped));
}

/**
 * Call `fn` on each direct subschema of `schema` (objects and booleans alike), with its pointer.
 * @example forEachChildSchema({items: {type: 'string'}}, '/s', (c, p) => p) // '/s/items'
 */
export function forEachChildSchema(schema: Record<string, unknown>, pointer: string, fn: (child: unknown, pointer: string) => void): void {
  for (const [key, value] of Object.entries(schema)) {
    if (SINGLE_SCHEMA_KEYWORDS.has(key)) fn(value, joinPointer(pointer, key));
    else if (key === 'items') {
      // `items` is one schema, or (draft-07 tuple form) an array of them.
      if (Array.isArray(value)) value.forEach((v, i) => fn(v, joinPointer(pointer, key, i)));
      else fn(value, joinPointer(pointer, key));
    } else if (ARRAY_SCHEMA_KEYWORDS.has(key) && Array.isArray(value)) {
      value.forEach((v, i) => fn(v, joinPointer(pointer, key, i)));
    } else if ((MAP_SCHEMA_KEYWORDS.has(key) || key === 'dependencies') && isRecord(value)) {
      // `dependencies` values may be arrays of names (not schemas): skip those.
      for (const [name, v] of Object.entries(value)) {
        if (key !== 'dependencies' || !Array.isArray(v)) fn(v, joinPointer(pointer, key, name));
      }
    }
  }
}
