/**
 * Turn OpenAPI Schema Objects into JSON Schema that Ajv runs without false
 * positives when validating *responses*.
 *
 * OpenAPI 3.0 schemas are a dialect of draft-04/05: `nullable`, boolean
 * `exclusiveMinimum`, ignored `$ref` siblings, `discriminator`, `writeOnly`
 * meaning "not in responses". Fed to Ajv as they are, each of those either makes
 * Ajv throw or makes it reject a conformant response. This file rewrites them
 * into draft-07 (3.0) and applies the same response semantics to 3.1 documents
 * (see `oas31-schema.ts`), always into new objects: the input is shared with
 * other stages and never mutated.
 */
import {
  joinPointer, escapePointerToken, getAtPointer, localRefToPointer, parsePointer, pointerToFragment, setAtPointer,
} from '../json-pointer.js';
import {
  ARRAY_SCHEMA_KEYWORDS, MAP_SCHEMA_KEYWORDS, SINGLE_SCHEMA_KEYWORDS, isPlainObject, walkSchema, type SchemaDialect,
} from './schema-keywords.js';
import { isUsablePattern } from './regexp-engine.js';
import { findSchemaRoots } from './schema-locations.js';

/** A translated document, ready for `ajv.addSchema`. */
export interface TranslatedDocument {
  /**
   * Only the schemas of the input, at the same pointers, translated. Non-schema
   * parts (examples, descriptions, path items) are left out so that nothing Ajv
   * scans for `$id`s comes from instance data.
   */
  document: Record<string, unknown>;
  /** For each translated schema object: the pointer of the input schema it came from. */
  origins: WeakMap<object, string>;
  /** Pointers (into the input) of the schemas that were translated, outermost only. */
  roots: string[];
  /** Map a pointer into the input to the pointer of the same schema in `document`. */
  mapPointer(pointer: string): string;
  /** Pointers (into the input) of 3.1 schemas that used the 3.0-only `nullable` keyword. */
  nullableIn31: string[];
  /** Pointers (into the input) of `pattern`s / `patternProperties` keys no JavaScript reading accepts; left out. */
  unusablePatterns: string[];
}

/** Keywords with no validation meaning that 3.0 allows on a Schema Object; dropped so draft-07 Ajv never sees them. */
const OAS30_ANNOTATIONS: ReadonlySet<string> = new Set([
  'example', 'examples', 'xml', 'externalDocs', 'discriminator', 'deprecated', 'nullable',
]);

/** Keywords whose presence means `null` must be allowed by wrapping, not by widening `type`/`enum`. */
const NULL_BLOCKING_KEYWORDS = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'const', 'if'];

interface TranslateState {
  source: Record<string, unknown>;
  dialect: SchemaDialect;
  origins: WeakMap<object, string>;
  /** Input pointers whose translated content moved to `<pointer>/anyOf/0` (nullable wrapping). */
  wrapped: Set<string>;
  nullableIn31: string[];
  unusablePatterns: string[];
}

/**
 * Translate every schema of an OpenAPI 3.0 document into draft-07.
 * `extraRoots` are pointers that must be translated even if they are in no usual
 * place (the loader's schema pointers).
 * @example
 *   const t = translateOas30Document(profile.document);
 *   ajv.addSchema(t.document, 'interop-harness:profile');
 */
export function translateOas30Document(document: Record<string, unknown>, extraRoots: string[] = []): TranslatedDocument {
  return translateDocument(document, '3.0', extraRoots);
}

/**
 * Translate one 3.0 Schema Object on its own (its `$ref`s are left pointing into `document`).
 * @example translateOas30Schema({type: 'string', nullable: true}) // {type: ['string', 'null']}
 */
export function translateOas30Schema(schema: unknown, document: Record<string, unknown> = {}): unknown {
  const state: TranslateState = { source: document, dialect: '3.0', origins: new WeakMap(), wrapped: new Set(), nullableIn31: [], unusablePatterns: [] };
  return translateNode(schema, '', state, [], false);
}

/**
 * Shared by 3.0 and 3.1: find the schemas, translate each, then repoint `$ref`s
 * whose target moved because an ancestor was wrapped for `nullable`.
 * @example translateDocument(doc, '3.1', ['/paths/~1a/get/responses/200/content/application~1json/schema'])
 */
export function translateDocument(document: Record<string, unknown>, dialect: SchemaDialect, extraRoots: string[] = []): TranslatedDocument {
  const roots = findSchemaRoots(document, dialect, extraRoots);
  const state: TranslateState = { source: document, dialect, origins: new WeakMap(), wrapped: new Set(), nullableIn31: [], unusablePatterns: [] };
  const output: Record<string, unknown> = {};
  for (const root of roots) {
    const translated = translateNode(getAtPointer(document, root), root, state, [], false);
    placeAt(output, document, root, translated);
  }
  const mapPointer = (pointer: string): string => mapThroughWrappers(pointer, state.wrapped);
  if (state.wrapped.size > 0) {
    for (const root of roots) repointRefs(getAtPointer(output, mapPointer(root)), document, mapPointer);
  }
  return { document: output, origins: state.origins, roots, mapPointer, nullableIn31: state.nullableIn31, unusablePatterns: state.unusablePatterns };
}

/** Build the containers along `pointer` in `output` (arrays where the input has arrays) and set the value. */
function placeAt(output: Record<string, unknown>, source: unknown, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer) ?? [];
  let node: Record<string, unknown> | unknown[] = output;
  let sourceNode: unknown = source;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i] as string;
    sourceNode = isPlainObject(sourceNode) || Array.isArray(sourceNode) ? (sourceNode as Record<string, unknown>)[token] : undefined;
    const container = node as Record<string, unknown>;
    if (container[token] === undefined) container[token] = Array.isArray(sourceNode) ? [] : {};
    node = container[token] as Record<string, unknown>;
  }
  setAtPointer(output, pointer, value);
}

function translateNode(node: unknown, pointer: string, state: TranslateState, ancestors: string[], inIdScope: boolean): unknown {
  // Booleans (3.1) and malformed values pass through: Ajv judges those itself.
  if (!isPlainObject(node)) return node;
  const scoped = inIdScope || typeof node.$id === 'string';
  const nullable = node.nullable === true;
  if (nullable && state.dialect === '3.1') state.nullableIn31.push(pointer);

  // 3.0: "sibling elements of a $ref are ignored". Keeping them would validate
  // constraints the document does not impose; `nullable` beside `$ref` is the
  // exception, because authors write it meaning "this reference, or null".
  if (state.dialect === '3.0' && typeof node.$ref === 'string') {
    const out: Record<string, unknown> = { $ref: fixRef(node.$ref, state, ancestors, scoped) };
    state.origins.set(out, pointer);
    return nullable ? wrapNullable(out, pointer, state) : out;
  }

  const out: Record<string, unknown> = {};
  const childAncestors = [...ancestors, pointer];
  const child = (value: unknown, childPointer: string): unknown => translateNode(value, childPointer, state, childAncestors, scoped);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key.startsWith('x-')) continue;
    if (state.dialect === '3.0' && OAS30_ANNOTATIONS.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = fixRef(value, state, ancestors, scoped);
    else if (key === 'pattern' && typeof value === 'string' && !isUsablePattern(value)) {
      // Ajv would refuse the whole schema for one bad pattern; lose only the pattern.
      state.unusablePatterns.push(joinPointer(pointer, key));
    }
    else if (SINGLE_SCHEMA_KEYWORDS.has(key)) out[key] = child(value, joinPointer(pointer, key));
    else if (key === 'items' && Array.isArray(value)) out[key] = value.map((v, i) => child(v, joinPointer(pointer, key, i)));
    else if (key === 'items') out[key] = child(value, joinPointer(pointer, key));
    else if (ARRAY_SCHEMA_KEYWORDS.has(key) && Array.isArray(value)) out[key] = value.map((v, i) => child(v, joinPointer(pointer, key, i)));
    else if ((MAP_SCHEMA_KEYWORDS.has(key) || key === 'dependencies') && isPlainObject(value)) {
      const map: Record<string, unknown> = {};
      // Property names are data, not keywords: an `x-foo` or `nullable` property stays.
      for (const [name, v] of Object.entries(value)) {
        if (key === 'patternProperties' && !isUsablePattern(name)) {
          state.unusablePatterns.push(joinPointer(pointer, key, name));
          continue;
        }
        map[name] = key === 'dependencies' && Array.isArray(v) ? v : child(v, joinPointer(pointer, key, name));
      }
      out[key] = map;
    } else out[key] = value;
  }

  fixExclusiveBound(out, 'exclusiveMinimum', 'minimum');
  fixExclusiveBound(out, 'exclusiveMaximum', 'maximum');
  dropWriteOnlyFromRequired(out, node, state);
  relaxDiscriminatedOneOf(out, node);
  state.origins.set(out, pointer);
  return nullable ? allowNull(out, pointer, state) : out;
}

/**
 * Draft-04 style `exclusiveMinimum: true` + `minimum: 5` becomes `exclusiveMinimum: 5`;
 * `false` just means "use minimum". Draft-07 Ajv throws on the boolean form.
 */
function fixExclusiveBound(out: Record<string, unknown>, exclusive: string, inclusive: string): void {
  const flag = out[exclusive];
  if (typeof flag !== 'boolean') return;
  delete out[exclusive];
  if (flag && typeof out[inclusive] === 'number') {
    out[exclusive] = out[inclusive];
    delete out[inclusive];
  }
}

/**
 * A `writeOnly` property is never sent in a response ("required ... will take
 * effect on the request only"), so demanding it there would flag every conformant supplier.
 */
function dropWriteOnlyFromRequired(out: Record<string, unknown>, node: Record<string, unknown>, state: TranslateState): void {
  if (!Array.isArray(out.required) || !isPlainObject(node.properties)) return;
  const properties = node.properties;
  const kept = out.required.filter((name) => !(typeof name === 'string' && isWriteOnly(properties[name], state.source)));
  if (kept.length === out.required.length) return;
  if (kept.length === 0) delete out.required;
  else out.required = kept;
}

/** Whether a property schema is `writeOnly`, looking through `$ref` chains and `allOf` (bounded: refs may loop). */
function isWriteOnly(schema: unknown, source: Record<string, unknown>, depth = 0): boolean {
  if (!isPlainObject(schema) || depth > 20) return false;
  if (schema.writeOnly === true) return true;
  if (typeof schema.$ref === 'string') {
    const target = localRefToPointer(schema.$ref);
    if (target !== undefined && isWriteOnly(getAtPointer(source, target), source, depth + 1)) return true;
  }
  return Array.isArray(schema.allOf) && schema.allOf.some((s) => isWriteOnly(s, source, depth + 1));
}

/**
 * With a `discriminator`, OpenAPI picks the `oneOf` branch by the property's value,
 * so a value that also happens to satisfy a sibling branch is still conformant.
 * JSON Schema `oneOf` would reject it ("must match exactly one"), the classic false
 * positive with open object schemas; `anyOf` keeps "matches some branch" and drops
 * the exclusivity the discriminator already provides.
 */
function relaxDiscriminatedOneOf(out: Record<string, unknown>, node: Record<string, unknown>): void {
  if (!isPlainObject(node.discriminator) || !Array.isArray(out.oneOf)) return;
  const branches = out.oneOf;
  delete out.oneOf;
  if (out.anyOf === undefined) out.anyOf = branches;
  else out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), { anyOf: branches }];
}

/**
 * `nullable: true`: widen `type` and `enum` when they are the only keywords that
 * could reject null (type-specific keywords ignore null anyway); otherwise wrap,
 * because `allOf`/`$ref`/`oneOf`... would still reject it.
 */
function allowNull(out: Record<string, unknown>, pointer: string, state: TranslateState): Record<string, unknown> {
  if (NULL_BLOCKING_KEYWORDS.some((k) => k in out)) return wrapNullable(out, pointer, state);
  if (typeof out.type === 'string' && out.type !== 'null') out.type = [out.type, 'null'];
  else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

function wrapNullable(out: Record<string, unknown>, pointer: string, state: TranslateState): Record<string, unknown> {
  const nullBranch = { type: 'null' };
  const wrapper = { anyOf: [out, nullBranch] };
  state.origins.set(nullBranch, pointer);
  state.origins.set(wrapper, pointer);
  state.wrapped.add(pointer);
  return wrapper;
}

/**
 * A `#/$defs/x` (or `#/definitions/x`) that does not exist at the document root
 * was written relative to its own schema (typically a file the bundler inlined):
 * point it at the nearest enclosing schema that has it. Inside an `$id` scope the
 * ref is relative to that `$id`, which Ajv resolves itself.
 */
function fixRef(ref: string, state: TranslateState, ancestors: string[], inIdScope: boolean): string {
  if (inIdScope) return ref;
  const target = localRefToPointer(ref);
  if (target === undefined || getAtPointer(state.source, target) !== undefined) return ref;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const candidate = (ancestors[i] as string) + target;
    if (getAtPointer(state.source, candidate) !== undefined) return '#' + pointerToFragment(candidate);
  }
  return ref;
}

/** Insert `/anyOf/0` after every wrapped ancestor, so the pointer lands on the moved content. */
function mapThroughWrappers(pointer: string, wrapped: Set<string>): string {
  const tokens = parsePointer(pointer);
  if (tokens === undefined || wrapped.size === 0) return pointer;
  let original = '';
  let mapped = '';
  for (const token of tokens) {
    if (original !== '' && wrapped.has(original)) mapped += '/anyOf/0';
    original += '/' + escapePointerToken(token);
    mapped += '/' + escapePointerToken(token);
  }
  return mapped;
}

/** Rewrite local `$ref`s in freshly translated objects (ours to mutate) through `mapPointer`. */
function repointRefs(schema: unknown, source: Record<string, unknown>, mapPointer: (p: string) => string): void {
  walkSchema(schema, '', '3.1', (node, _pointer, inIdScope) => {
    if (inIdScope || typeof node.$ref !== 'string') return;
    const target = localRefToPointer(node.$ref);
    if (target === undefined || getAtPointer(source, target) === undefined) return;
    const mapped = mapPointer(target);
    if (mapped !== target) node.$ref = '#' + pointerToFragment(mapped);
  });
}
