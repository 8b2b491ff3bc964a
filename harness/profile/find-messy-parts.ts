/**
 * Problems the OpenAPI schema does not catch but that change what a probe means:
 * path templates a server cannot tell apart, and tool-specific keys written
 * without the `x-` prefix (springfox's `originalRef`, swagger-core's `exampleSetFlag`), and
 * `required` names a schema cannot mean.
 */
import { isRecord, joinPointer } from '../json-pointer.js';
import type { ProfileWarning } from './profile-types.js';
import { hasOas32Operations, pathItemOperations } from './path-item-operations.js';

const MAX_DEPTH = 128;
const MAX_NODES = 500_000;

/** Every keyword a Schema object may carry in OpenAPI 3.0 or 3.1 (JSON Schema 2020-12 plus OpenAPI's own). */
const SCHEMA_KEYWORDS = new Set([
  '$ref', '$id', '$schema', '$anchor', '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', '$defs',
  '$comment', '$vocabulary', 'definitions', 'title', 'description', 'default', 'examples', 'example', 'type', 'enum',
  'const', 'format', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'contains',
  'prefixItems', 'items', 'additionalItems', 'maxProperties', 'minProperties', 'required', 'properties',
  'patternProperties', 'additionalProperties', 'propertyNames', 'dependentRequired', 'dependentSchemas',
  'dependencies', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'unevaluatedItems',
  'unevaluatedProperties', 'contentEncoding', 'contentMediaType', 'contentSchema', 'deprecated', 'readOnly',
  'writeOnly', 'nullable', 'discriminator', 'xml', 'externalDocs',
]);
/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
/** Keywords whose value is a schema, or a list of schemas. */
const SCHEMA_CHILDREN = [
  'items', 'prefixItems', 'additionalItems', 'additionalProperties', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then',
  'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema',
];
/** Values that are data, not OpenAPI structure: never searched for schemas. */
export const DATA_KEYS: ReadonlySet<string> = new Set(['example', 'examples', 'default', 'enum', 'const', 'value', 'dataValue']);

/**
 * Path templates that differ only in parameter names (`/countries/{country}` and
 * `/countries/{countries}`): one request matches both. Warned at the later path.
 *
 * @example findDuplicatePathTemplates(doc) // [{ code: 'duplicate-path-template', location: '/paths/~1countries~1{countries}', ... }]
 */
export function findDuplicatePathTemplates(document: Record<string, unknown>): ProfileWarning[] {
  const paths = document['paths'];
  if (!isRecord(paths)) return [];
  const firstByShape = new Map<string, string>();
  const warnings: ProfileWarning[] = [];
  for (const path of Object.keys(paths)) {
    if (path.startsWith('x-')) continue;
    const shape = path.replace(/\{[^}]*\}/g, '{}');
    const earlier = firstByShape.get(shape);
    if (earlier === undefined) {
      firstByShape.set(shape, path);
      continue;
    }
    // Strapi's roles: GET on `{id}`, PUT and DELETE on `{role}`: no request is ambiguous, but the document is still invalid.
    const methodsOf = (item: unknown) => (isRecord(item) ? pathItemOperations(item, '', hasOas32Operations(document)).map((o) => o.method) : []);
    const [mine, theirs] = [methodsOf(paths[path]), methodsOf(paths[earlier])];
    const shared = mine.filter((m) => theirs.includes(m));
    // A Path Item by $ref lists no methods here: then whether they overlap is not known.
    const known = mine.length > 0 && theirs.length > 0;
    const consequence =
      shared.length > 0 || !known
        ? `${shared.length > 0 ? `a ${shared.join(' or ')}` : 'a'} request ${known ? 'matches' : 'may match'} both, so which one a server applies is undefined`
        : 'their methods do not overlap, but OpenAPI forbids such paths (they are identical), and tools may merge them or drop one';
    warnings.push({
      code: 'duplicate-path-template',
      message: `path "${path}" is the same template as "${earlier}" (only parameter names differ): ${consequence}`,
      location: joinPointer('/paths', path),
    });
  }
  return warnings;
}

/**
 * Faults inside Schema objects: keys that are neither schema keywords nor `x-`
 * extensions, and `required` names the schema cannot mean (see `undescribedRequired`).
 *
 * @example findSchemaFaults(doc) // [{ code: 'non-standard-key', location: '/components/schemas/Person/properties/address/originalRef', ... }]
 */
export function findSchemaFaults(document: Record<string, unknown>): ProfileWarning[] {
  const warnings: ProfileWarning[] = [];
  const seen = new Set<unknown>();
  let budget = MAX_NODES;

  // The pointer is kept as a stack of keys and written out only for a warning: joining one per node took most of the walk.
  const keys: string[] = [];
  const at = (...more: string[]): string => joinPointer('', ...keys, ...more);
  const visitSchema = (schema: unknown, depth: number): void => {
    if (!isRecord(schema) || depth > MAX_DEPTH || seen.has(schema) || budget-- <= 0) return;
    seen.add(schema);
    for (const key of Object.keys(schema)) {
      if (!SCHEMA_KEYWORDS.has(key) && !key.startsWith('x-')) {
        warnings.push({
          code: 'non-standard-key',
          message: `"${key}" is not a schema keyword; vendor extensions must start with "x-" (ignored)`,
          location: at(key),
        });
      }
    }
    // A branch of allOf/anyOf/oneOf may require what a sibling branch describes.
    if (!COMBINATORS.has(keys[keys.length - 2] ?? '')) {
      for (const message of undescribedRequired(schema)) warnings.push({ code: 'required-undescribed', message, location: at('required') });
    }
    for (const key of SCHEMA_MAPS) {
      const map = schema[key];
      if (!isRecord(map)) continue;
      for (const name of Object.keys(map)) {
        keys.push(key, name);
        visitSchema(map[name], depth + 1);
        keys.length -= 2;
      }
    }
    for (const key of SCHEMA_CHILDREN) {
      const child = schema[key];
      keys.push(key);
      if (Array.isArray(child)) {
        child.forEach((item, index) => {
          keys.push(String(index));
          visitSchema(item, depth + 1);
          keys.pop();
        });
      } else visitSchema(child, depth + 1);
      keys.pop();
    }
  };

  // Walks the OpenAPI structure (not data) looking for the places schemas sit.
  const visitDocument = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || budget-- <= 0) return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        keys.push(String(index));
        visitDocument(item, depth + 1);
        keys.pop();
      });
      return;
    }
    if (!isRecord(node)) return;
    const inComponents = keys.length === 1 && keys[0] === 'components';
    for (const key of Object.keys(node)) {
      if (key.startsWith('x-') || DATA_KEYS.has(key)) continue;
      const value = node[key];
      keys.push(key);
      if (key === 'schema') visitSchema(value, 0);
      else if (inComponents && key === 'schemas' && isRecord(value)) {
        for (const name of Object.keys(value)) {
          keys.push(name);
          visitSchema(value[name], 0);
          keys.pop();
        }
      } else visitDocument(value, depth + 1);
      keys.pop();
    }
  };

  visitDocument(document, 0);
  return warnings;
}

const COMBINATORS = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * `required` names that a schema describing its properties cannot mean: one
 * that `additionalProperties: false` refuses (no value matches the schema),
 * or one a described property differs from by case, a separator or one
 * letter (codat's `required: [datatype]` beside `dataType`, microcks'
 * `elapsedTome` beside `elapsedTime`): a body with the described property
 * fails for lacking the required one. Any other undescribed name is legal
 * (any value) and not named. A schema that composes others (`allOf`, `$ref`,
 * patterns) may take the name from them: not judged.
 *
 * @example undescribedRequired({ required: ['datatype'], properties: { dataType: {} } })
 *   // ['requires datatype, which its properties do not describe; they describe dataType, which a body may then carry without datatype and fail']
 */
export function undescribedRequired(schema: Record<string, unknown>): string[] {
  const { required, properties } = schema;
  if (!Array.isArray(required) || !isRecord(properties)) return [];
  if (['allOf', 'anyOf', 'oneOf', '$ref', 'patternProperties', 'dependentSchemas', 'if', 'unevaluatedProperties'].some((key) => key in schema)) return [];
  const described = Object.keys(properties);
  const found: string[] = [];
  for (const name of required) {
    if (typeof name !== 'string' || Object.hasOwn(properties, name)) continue;
    const near = described.find((other) => nearName(name, other));
    if (schema.additionalProperties === false) found.push(`requires ${name}, which its properties do not describe and additionalProperties: false refuses, so no value matches this schema${near ? ` (did you mean ${near}?)` : ''}`);
    else if (near) found.push(`requires ${name}, which its properties do not describe; they describe ${near}, which a body may then carry without ${name} and fail`);
  }
  return found;
}

/** The same name but for case and separators, or (for names of five letters or more) one letter changed, added or lost. */
function nearName(a: string, b: string): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  if (squash(a) === squash(b)) return true;
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rest = (x: string, from: number) => x.slice(from);
  return rest(a, i + 1) === rest(b, i + 1) || rest(a, i + 1) === rest(b, i) || rest(a, i) === rest(b, i + 1);
}
