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
  escapePointerToken,
  getAtPointer,
  isRecord,
  joinPointer,
  localRefToPointer,
  parsePointer,
  pointerToFragment,
  setAtPointer,
  setOwnValue,
} from '../json-pointer.js';
import { ARRAY_SCHEMA_KEYWORDS, MAP_SCHEMA_KEYWORDS, SINGLE_SCHEMA_KEYWORDS, walkSchema, type SchemaDialect } from './schema-keywords.js';
import { allOfGroup, declaredNames, resolveSchema, type GroupMember } from './allof-group.js';
import { isLinearPattern, isUsablePattern, whyNotLinear } from './regexp-engine.js';
import { markBudgeted } from './validation-budget.js';
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
  /** Pointers (into the input) of `type` keywords that name no JSON type; left out. */
  invalidTypes: string[];
  /** Valid patterns that only a backtracking engine could run (backreferences, lookarounds, long repeats), and why; left out. */
  backtrackingPatterns: Array<{ location: string; reason: string }>;
  /** `additionalProperties: false` that forbade what sibling `allOf` branches declare, relaxed: where (input pointer) and why. */
  closedAllOfBranches: Array<{ location: string; message: string }>;
}

/**
 * Keywords with no validation meaning in a 3.0 Schema Object; dropped so draft-07 Ajv never sees them.
 * `id` and `$schema` are draft-04 leftovers pasted in from JSON Schema files: 3.0 does not
 * support them, and Ajv refuses the whole schema over `id` ("NOT SUPPORTED: keyword id")
 * or tries to fetch the draft-04 meta-schema named by `$schema`.
 */
const OAS30_ANNOTATIONS: ReadonlySet<string> = new Set([
  'example', 'examples', 'xml', 'externalDocs', 'discriminator', 'deprecated', 'nullable', 'id', '$schema',
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
  /** `type` keywords that name no JSON type (`type: {type: string}`): left out, so Ajv compiles the rest. */
  invalidTypes: string[];
  backtrackingPatterns: Array<{ location: string; reason: string }>;
  /** Keyed by the `additionalProperties` pointer: one note per closed schema, however often it is composed. */
  closedAllOfBranches: Map<string, string>;
  /** How many closed `$ref` branches are being copied inside one another (bounded: refs may loop). */
  copyDepth: number;
  /** Per base schema pointer, where its discriminator's rules are and its subtypes (`discriminatedReference`), or null: it has none. */
  discriminated: Map<string, { at: string; subtypes: Set<string> } | null>;
  /** Schemas the translation adds, and where in the translated document. */
  synthetic: Array<{ pointer: string; node: Record<string, unknown> }>;
  /** See `allOfChildren`. */
  allOfChildren?: Map<string, Array<[string, string]>>;
}

/** Closed `$ref` targets are copied (to be relaxed) at most this many levels inside one another. */
const MAX_COPY_DEPTH = 4;

function newState(source: Record<string, unknown>, dialect: SchemaDialect): TranslateState {
  return { source, dialect, origins: new WeakMap(), wrapped: new Set(), nullableIn31: [], unusablePatterns: [], invalidTypes: [], backtrackingPatterns: [], closedAllOfBranches: new Map(), copyDepth: 0, discriminated: new Map(), synthetic: [] };
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
  return translateNode(schema, '', newState(document, '3.0'), [], false);
}

/**
 * Shared by 3.0 and 3.1: find the schemas, translate each, then repoint `$ref`s
 * whose target moved because an ancestor was wrapped for `nullable`.
 * @example translateDocument(doc, '3.1', ['/paths/~1a/get/responses/200/content/application~1json/schema'])
 */
export function translateDocument(document: Record<string, unknown>, dialect: SchemaDialect, extraRoots: string[] = []): TranslatedDocument {
  const roots = findSchemaRoots(document, dialect, extraRoots);
  const state = newState(document, dialect);
  const output: Record<string, unknown> = {};
  for (const root of roots) {
    const translated = translateNode(getAtPointer(document, root), root, state, [], false);
    placeAt(output, document, root, translated);
  }
  for (const { pointer, node } of state.synthetic) placeAt(output, document, pointer, node);
  const mapPointer = (pointer: string): string => mapThroughWrappers(pointer, state.wrapped);
  if (state.wrapped.size > 0) {
    for (const root of roots) repointRefs(getAtPointer(output, mapPointer(root)), document, mapPointer);
    for (const { node } of state.synthetic) repointRefs(node, document, mapPointer);
  }
  const closedAllOfBranches = [...state.closedAllOfBranches].map(([location, message]) => ({ location, message }));
  return { document: output, origins: state.origins, roots, mapPointer, nullableIn31: state.nullableIn31, unusablePatterns: state.unusablePatterns, invalidTypes: state.invalidTypes, backtrackingPatterns: state.backtrackingPatterns, closedAllOfBranches };
}

/** Build the containers along `pointer` in `output` (arrays where the input has arrays) and set the value. */
function placeAt(output: Record<string, unknown>, source: unknown, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer) ?? [];
  let node: Record<string, unknown> | unknown[] = output;
  let sourceNode: unknown = source;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i] as string;
    sourceNode = (isRecord(sourceNode) || Array.isArray(sourceNode)) && Object.hasOwn(sourceNode, token) ? (sourceNode as Record<string, unknown>)[token] : undefined;
    const container = node as Record<string, unknown>;
    // Own properties only: a response or schema named `__proto__` must not lead into Object.prototype.
    if (!Object.hasOwn(container, token) || container[token] === undefined) {
      const next = tokens[i + 1] as string;
      setOwnValue(container, token, Array.isArray(sourceNode) ? [] : ARRAY_INDEX.test(next) ? sparseObject() : {});
    }
    node = container[token] as Record<string, unknown>;
  }
  setAtPointer(output, pointer, value);
}

const ARRAY_INDEX = /^(0|[1-9]\d{0,8})$/;

/**
 * An empty object for keys such as "200" or "404" (a Responses Object). V8 keeps
 * integer-like keys as array elements: set on a plain `{}`, "404" reserves 405
 * slots (5 KB, once per operation: 100 MB for a 20 MB profile). An index past
 * any real array's makes it keep them in a dictionary instead (200 bytes).
 */
function sparseObject(): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  object[SPARSE_INDEX] = undefined;
  delete object[SPARSE_INDEX];
  return object;
}

const SPARSE_INDEX = String(2 ** 32 - 2);

function translateNode(node: unknown, pointer: string, state: TranslateState, ancestors: string[], inIdScope: boolean): unknown {
  // Booleans (3.1) and malformed values pass through: Ajv judges those itself.
  if (!isRecord(node)) return node;
  const scoped = inIdScope || typeof node.$id === 'string';
  const nullable = node.nullable === true;
  if (nullable && state.dialect === '3.1') state.nullableIn31.push(pointer);

  // A reference to a base schema whose discriminator picks a subtype (see `discriminatedReference`).
  if (typeof node.$ref === 'string' && (state.dialect === '3.0' || referenceOnly(node))) {
    const subtypes = discriminatedReference(node.$ref, pointer, state, scoped);
    if (subtypes !== undefined) return nullable ? wrapNullable(subtypes, pointer, state) : subtypes;
  }
  // 3.0: "sibling elements of a $ref are ignored". Keeping them would validate
  // constraints the document does not impose; `nullable` beside `$ref` is the
  // exception, because authors write it meaning "this reference, or null".
  if (state.dialect === '3.0' && typeof node.$ref === 'string') {
    const out: Record<string, unknown> = { $ref: fixRef(node.$ref, state, ancestors, scoped) };
    state.origins.set(out, pointer);
    markBudgeted(out);
    return nullable ? wrapNullable(out, pointer, state) : out;
  }

  const out: Record<string, unknown> = {};
  const childAncestors = [...ancestors, pointer];
  const child = (value: unknown, childPointer: string): unknown => translateNode(value, childPointer, state, childAncestors, scoped);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key.startsWith('x-')) continue;
    if (state.dialect === '3.0' && OAS30_ANNOTATIONS.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = fixRef(value, state, ancestors, scoped);
    else if (key === 'pattern' && typeof value === 'string' && !patternRuns(value, joinPointer(pointer, key), state)) {
      // Ajv would refuse the whole schema for one bad pattern; lose only the pattern.
    }
    else if (key === 'type' && !namesJsonTypes(value)) {
      // As for a pattern: Ajv would refuse the whole schema (codat's `type: {type: string, enum: …}`); lose only the keyword.
      state.invalidTypes.push(joinPointer(pointer, key));
    }
    else if (SINGLE_SCHEMA_KEYWORDS.has(key)) out[key] = child(value, joinPointer(pointer, key));
    else if (key === 'items' && Array.isArray(value)) out[key] = value.map((v, i) => child(v, joinPointer(pointer, key, i)));
    else if (key === 'items') out[key] = child(value, joinPointer(pointer, key));
    else if (ARRAY_SCHEMA_KEYWORDS.has(key) && Array.isArray(value)) out[key] = value.map((v, i) => child(v, joinPointer(pointer, key, i)));
    else if ((MAP_SCHEMA_KEYWORDS.has(key) || key === 'dependencies') && isRecord(value)) {
      const map: Record<string, unknown> = {};
      // Property names are data, not keywords: an `x-foo` or `nullable` property stays.
      for (const [name, v] of Object.entries(value)) {
        if (key === 'patternProperties' && !patternRuns(name, joinPointer(pointer, key, name), state)) continue;
        setOwnValue(map, name, key === 'dependencies' && Array.isArray(v) ? v : child(v, joinPointer(pointer, key, name)));
      }
      out[key] = map;
    } else setOwnValue(out, key, value);
  }

  fixExclusiveBound(out, 'exclusiveMinimum', 'minimum');
  fixExclusiveBound(out, 'exclusiveMaximum', 'maximum');
  dropWriteOnlyFromRequired(out, node, pointer, ancestors, state);
  if (node.additionalProperties === false) relaxClosedSchema(out, node, pointer, ancestors, state);
  if (Array.isArray(node.allOf) && !scoped) relaxClosedRefBranches(out, node, pointer, ancestors, state);
  const tagRules = discriminatorTagRules(out, node, pointer, state);
  relaxDiscriminatedOneOf(out, node, state.source);
  if (tagRules.length > 0) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...tagRules];
  moveProtoProperty(out);
  state.origins.set(out, pointer);
  markBudgeted(out);
  return nullable ? allowNull(out, pointer, state) : out;
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/**
 * Whether a `type` keyword's value names JSON types: one name, or a list of
 * them (3.1's way; a 3.0 document that writes one is read as JSON Schema reads it).
 */
function namesJsonTypes(value: unknown): boolean {
  if (typeof value === 'string') return JSON_TYPES.has(value);
  return Array.isArray(value) && value.every((name) => typeof name === 'string' && JSON_TYPES.has(name));
}

/** Whether a pattern is kept; one that is not is listed, by why, for a profile warning. */
function patternRuns(pattern: string, at: string, state: TranslateState): boolean {
  if (!isUsablePattern(pattern)) state.unusablePatterns.push(at);
  else if (!isLinearPattern(pattern)) state.backtrackingPatterns.push({ location: at, reason: whyNotLinear(pattern) });
  else return true;
  return false;
}

/** The patternProperties key that matches exactly the property name `__proto__`. */
const PROTO_PATTERN = '^__proto__$';

/**
 * Ajv skips a property schema named `__proto__` (its `allSchemaProperties`
 * filters the name out), so the property's own schema would never be applied.
 * A pattern matching exactly that name is applied to the same data.
 */
function moveProtoProperty(out: Record<string, unknown>): void {
  const properties = out['properties'];
  if (!isRecord(properties) || !Object.hasOwn(properties, '__proto__')) return;
  const schema = properties['__proto__'];
  delete properties['__proto__'];
  const patterns = isRecord(out['patternProperties']) ? out['patternProperties'] : {};
  const existing = Object.hasOwn(patterns, PROTO_PATTERN) ? patterns[PROTO_PATTERN] : undefined;
  out['patternProperties'] = { ...patterns, [PROTO_PATTERN]: existing === undefined ? schema : { allOf: [existing, schema] } };
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
 * The property is often declared elsewhere than the `required` naming it: in a
 * `$ref`ed base of the node's own `allOf`, or in a sibling branch
 * (`allOf: [{$ref: User}, {required: [password]}]`), so the whole allOf group is searched.
 */
function dropWriteOnlyFromRequired(out: Record<string, unknown>, node: Record<string, unknown>, pointer: string, ancestors: string[], state: TranslateState): void {
  if (!Array.isArray(out.required) || out.required.length === 0) return;
  const group = allOfGroup(node, pointer, ancestors, state.source, state.dialect);
  const writeOnly = (name: unknown): boolean =>
    typeof name === 'string' &&
    group.some(({ schema }) => isRecord(schema.properties) && Object.hasOwn(schema.properties, name) && isWriteOnly(schema.properties[name], state.source));
  const kept = out.required.filter((name) => !writeOnly(name));
  if (kept.length === out.required.length) return;
  if (kept.length === 0) delete out.required;
  else out.required = kept;
}

/**
 * `additionalProperties: false` only knows its own schema's `properties`, so in
 * `allOf: [Base (closed), {properties: {extra}}]` it forbids `extra` while the
 * sibling declares it: no value with `extra` can pass, and the supplier cannot
 * comply with the document. Read as the author meant (closed over the whole
 * group), with a profile warning naming the contradiction.
 */
function relaxClosedSchema(out: Record<string, unknown>, node: Record<string, unknown>, pointer: string, ancestors: string[], state: TranslateState): void {
  const group = allOfGroup(node, pointer, ancestors, state.source, state.dialect);
  if (group.length > 1) openClosedSchema(out, node, pointer, group, pointer, state);
}

/**
 * A closed schema reached through a `$ref` branch is shared with every other use
 * of it, where it is rightly closed: this use gets its own translated copy, relaxed.
 */
function relaxClosedRefBranches(out: Record<string, unknown>, node: Record<string, unknown>, pointer: string, ancestors: string[], state: TranslateState): void {
  const branches = node.allOf as unknown[];
  const translatedBranches = out.allOf;
  if (!Array.isArray(translatedBranches) || state.copyDepth >= MAX_COPY_DEPTH) return;
  let group: GroupMember[] | undefined;
  branches.forEach((branch, i) => {
    if (!isRecord(branch) || typeof branch.$ref !== 'string') return;
    const branchPointer = joinPointer(pointer, 'allOf', i);
    const target = resolveSchema(branch, branchPointer, state.source);
    if (!target || target.schema.additionalProperties !== false) return;
    group ??= allOfGroup(node, pointer, ancestors, state.source, state.dialect);
    if (!contradictedNames(target.schema, group).contradicted) return;
    state.copyDepth++;
    const copy = translateNode(target.schema, target.pointer, state, [], false);
    state.copyDepth--;
    const closed = isRecord(copy) && state.wrapped.has(target.pointer) && Array.isArray(copy.anyOf) ? copy.anyOf[0] : copy;
    if (!isRecord(closed)) return;
    openClosedSchema(closed, target.schema, target.pointer, group, pointer, state);
    const translated = translatedBranches[i];
    if (!isRecord(translated)) return;
    if (typeof translated.$ref === 'string' && Object.keys(translated).length === 1) translatedBranches[i] = copy;
    else if (state.wrapped.has(branchPointer) && Array.isArray(translated.anyOf)) translated.anyOf[0] = copy;
    else {
      // 3.1: `$ref` with sibling keywords; the copy takes the reference's place beside them.
      delete translated.$ref;
      translated.allOf = [...(Array.isArray(translated.allOf) ? translated.allOf : []), copy];
    }
  });
}

/** Names the rest of the group declares that `closed` forbids; `patterned` when the rest admits names by pattern too. */
function contradictedNames(closed: Record<string, unknown>, group: readonly GroupMember[]): { names: string[]; patterned: boolean; contradicted: boolean } {
  const own = isRecord(closed.properties) ? closed.properties : {};
  const { names, patterned } = declaredNames(group.filter((member) => member.schema !== closed));
  const extra = [...names].filter((name) => !Object.hasOwn(own, name));
  return { names: extra, patterned, contradicted: extra.length > 0 || patterned };
}

/**
 * Let the translated closed schema `out` admit what the rest of its group declares:
 * the names are added to its `properties` (so anything else is still refused), or,
 * when the group admits names by pattern, `additionalProperties` is dropped.
 */
function openClosedSchema(out: Record<string, unknown>, closed: Record<string, unknown>, closedPointer: string, group: readonly GroupMember[], usePointer: string, state: TranslateState): void {
  const { names, patterned, contradicted } = contradictedNames(closed, group);
  if (!contradicted) return;
  if (patterned) delete out.additionalProperties;
  else {
    const properties: Record<string, unknown> = isRecord(out.properties) ? out.properties : {};
    for (const name of names) Object.defineProperty(properties, name, { value: {}, enumerable: true, writable: true, configurable: true });
    out.properties = properties;
  }
  const location = joinPointer(closedPointer, 'additionalProperties');
  if (state.closedAllOfBranches.has(location)) return;
  const listed = names.slice(0, 5).map((name) => JSON.stringify(name)).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
  const what = patterned ? 'properties that other allOf schemas admit by pattern' : `${listed}, which other allOf schemas declare for the same value`;
  const fix = state.dialect === '3.1' ? 'close the composition with unevaluatedProperties: false instead' : 'list every property in the closed schema, or do not close it';
  state.closedAllOfBranches.set(
    location,
    `additionalProperties: false forbids ${what} (composed at ${usePointer || '/'}), so no response could satisfy the document; ` +
      `read as also allowing ${patterned ? 'them (additionalProperties ignored there)' : 'them'}. To keep the object closed, ${fix}`,
  );
}

/** Whether a property schema is `writeOnly`, looking through `$ref` chains and `allOf` (bounded: refs may loop). */
function isWriteOnly(schema: unknown, source: Record<string, unknown>, depth = 0): boolean {
  if (!isRecord(schema) || depth > 20) return false;
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
function relaxDiscriminatedOneOf(out: Record<string, unknown>, node: Record<string, unknown>, source: Record<string, unknown>): void {
  if (!Array.isArray(out.oneOf)) return;
  if (!isRecord(node.discriminator) && !sharesInheritedDiscriminator(node.oneOf, source)) return;
  const branches = out.oneOf;
  delete out.oneOf;
  if (out.anyOf === undefined) out.anyOf = branches;
  else out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), { anyOf: branches }];
}

/**
 * What the discriminator says, as JSON Schema: a record whose property names a
 * branch must match that branch, `{if: {petType: "dog"}, then: Dog}` for each
 * value the discriminator maps (its `mapping`, then each `$ref` branch's schema
 * name for a branch no mapping names, as OpenAPI's implicit mapping). Without
 * them `anyOf` (see `relaxDiscriminatedOneOf`) let a record tagged `dog` pass
 * as a Cat. A value the discriminator does not map, or a mapping to a schema
 * that is not a branch, adds nothing: the branches alone judge it. Only beside
 * a `oneOf` or `anyOf`: on a base schema that its subtypes `allOf`, the rule
 * would send the subtype's validation back to the base, and round again.
 */
function discriminatorTagRules(out: Record<string, unknown>, node: Record<string, unknown>, pointer: string, state: TranslateState): Array<Record<string, unknown>> {
  const key = Array.isArray(node.oneOf) ? 'oneOf' : Array.isArray(node.anyOf) ? 'anyOf' : undefined;
  if (key === undefined) return [];
  const branches = node[key] as unknown[];
  const translated = out[key] as unknown[];
  const discriminator = isRecord(node.discriminator) ? node.discriminator : sharesInheritedDiscriminator(branches, state.source) ? inheritedDiscriminator(branches[0], state.source, 0) : undefined;
  const property = discriminator?.propertyName;
  if (typeof property !== 'string') return [];
  // Each branch by the pointer it references: `#/components/schemas/Dog` is `/components/schemas/Dog`.
  const targets = branches.map((branch) => (isRecord(branch) && typeof branch.$ref === 'string' ? localRefToPointer(branch.$ref) : undefined));
  const mapping = isRecord(discriminator!.mapping) ? discriminator!.mapping : {};
  const tags = new Map<string, number>();
  const mapped = new Set<number>();
  for (const [tag, value] of Object.entries(mapping)) {
    if (typeof value !== 'string') continue;
    // A mapping value is a reference or a schema name: `#/components/schemas/Dog` or `Dog`.
    const target = value.startsWith('#') ? localRefToPointer(value) : joinPointer('/components/schemas', value);
    const branch = target === undefined ? -1 : targets.indexOf(target);
    if (branch < 0) continue;
    tags.set(tag, branch);
    mapped.add(branch);
  }
  targets.forEach((target, branch) => {
    const tokens = target === undefined ? undefined : parsePointer(target);
    const name = tokens?.length === 3 && tokens[0] === 'components' && tokens[1] === 'schemas' ? tokens[2]! : undefined;
    if (name !== undefined && !mapped.has(branch) && !tags.has(name)) tags.set(name, branch);
  });
  const rules: Array<Record<string, unknown>> = [];
  for (const [tag, branch] of tags) {
    const rule = { if: { type: 'object', required: [property], properties: { [property]: { const: tag } } }, then: translated[branch] };
    state.origins.set(rule, joinPointer(pointer, 'discriminator'));
    DISCRIMINATOR_RULES.add(rule);
    rules.push(rule);
  }
  return rules;
}

/** The rules `discriminatorTagRules` made: an error of theirs is told as the discriminator's (see schema-errors.ts). */
export const DISCRIMINATOR_RULES = new WeakSet<object>();

/** The rules by which `discriminatedReference` leaves an untagged value to the base: their `if` error only introduces the base's errors. */
export const DISCRIMINATOR_BASE_RULES = new WeakSet<object>();

/** Keys beside a 3.1 `$ref` that constrain nothing (and `x-*`): such a reference is read as the 3.0 one is. */
const REFERENCE_ONLY_KEYS = new Set(['$ref', 'description', 'summary', 'title', 'nullable', 'example', 'examples', 'readOnly', 'writeOnly', 'deprecated', '$comment', 'externalDocs', 'xml']);

/** Whether a 3.1 `$ref`'s siblings constrain nothing. */
function referenceOnly(node: Record<string, unknown>): boolean {
  return Object.keys(node).every((key) => REFERENCE_ONLY_KEYS.has(key) || key.startsWith('x-'));
}

/**
 * A reference to a base schema that carries a `discriminator` but no
 * `oneOf`/`anyOf`, where the value is one of its subtypes: OpenAPI 3.0.3's own
 * example (Pet with `discriminator: {propertyName: petType}`, Cat as
 * `allOf: [Pet, …]`, a response of `$ref: Pet`): `{"petType": "Cat", …}`
 * "will indicate that the Cat schema be used". Judged as the base alone, a
 * closed base (`additionalProperties: false`) refused Cat's own fields, and an
 * open one let them through unchecked. Each tag the discriminator maps (its
 * `mapping`, then every schema under `components/schemas` whose `allOf` names
 * the base, by its name) sends the value to that schema; a value with no such
 * tag is judged by the base. Not where the reference is an `allOf` member of
 * one of those subtypes: that is the subtype naming its base, which would send
 * it back to itself. An `allOf` that only wraps the reference (`{allOf: [Pet],
 * nullable: true}`, the 3.0 way to put siblings beside a `$ref`, and what a
 * Swagger 2.0 `x-nullable` beside one becomes) is a use of the base like any other.
 *
 * The rules are built once per base, in a schema of their own that every such
 * reference points to (`DISCRIMINATED_KEY`): Microsoft Graph's `entity` maps
 * 653 tags, and a copy per reference made compiling a third slower.
 * Undefined when the reference is no such base's.
 */
function discriminatedReference(ref: string, pointer: string, state: TranslateState, scoped: boolean): Record<string, unknown> | undefined {
  if (scoped) return undefined;
  const base = localRefToPointer(ref);
  if (base === undefined) return undefined;
  let found = state.discriminated.get(base);
  if (found === undefined) {
    const built = discriminatorRules(base, state);
    found = built === undefined ? null : { at: joinPointer('', DISCRIMINATED_KEY, String(state.synthetic.length)), subtypes: built.subtypes };
    if (built !== undefined && found !== null) state.synthetic.push({ pointer: found.at, node: built.rules });
    state.discriminated.set(base, found);
  }
  if (found === null) return undefined;
  if (isSubtypeBaseMember(pointer, found.subtypes)) return undefined;
  const at = found.at;
  const out: Record<string, unknown> = { $ref: `#${pointerToFragment(at)}` };
  state.origins.set(out, pointer);
  markBudgeted(out);
  return out;
}

/** Where the translated document keeps the schemas `discriminatedReference` builds: a key no OpenAPI document has at its root. */
const DISCRIMINATED_KEY = 'x-interop-harness-discriminated';

/**
 * The rules of `discriminatedReference` for one base, and the pointers of the
 * subtypes they send values to; undefined when it is not a discriminated base
 * with subtypes.
 */
function discriminatorRules(base: string, state: TranslateState): { rules: Record<string, unknown>; subtypes: Set<string> } | undefined {
  const schema = getAtPointer(state.source, base);
  if (!isRecord(schema) || !isRecord(schema.discriminator) || Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) return undefined;
  const property = schema.discriminator.propertyName;
  if (typeof property !== 'string') return undefined;
  const tags = discriminatorSubtypes(base, schema.discriminator, state);
  if (tags.size === 0) return undefined;
  const where = joinPointer(base, 'discriminator');
  const tagged = (tag: string): Record<string, unknown> => ({ type: 'object', required: [property], properties: { [property]: { const: tag } } });
  const subtypes = new Set(tags.values());
  for (const [tag, subtype] of tags) if (reachesBaseInPlace(subtype, base, subtypes, state.source)) tags.delete(tag);
  if (tags.size === 0) return undefined;
  const rules: Array<Record<string, unknown>> = [];
  for (const [tag, subtype] of tags) {
    const rule = { if: tagged(tag), then: { $ref: `#${pointerToFragment(subtype)}` } };
    state.origins.set(rule, where);
    DISCRIMINATOR_RULES.add(rule);
    rules.push(rule);
  }
  // No tag the discriminator maps: the base judges the value, as it did before.
  const otherwise = { if: { not: { anyOf: [...tags.keys()].map(tagged) } }, then: { $ref: `#${pointerToFragment(base)}` } };
  state.origins.set(otherwise, base);
  DISCRIMINATOR_BASE_RULES.add(otherwise);
  const out: Record<string, unknown> = { allOf: [...rules, otherwise] };
  state.origins.set(out, base);
  markBudgeted(out);
  return { rules: out, subtypes };
}

/** Each tag a base schema's discriminator maps to a subtype's pointer: its `mapping`, then each schema whose `allOf` names the base. */
function discriminatorSubtypes(base: string, discriminator: Record<string, unknown>, state: TranslateState): Map<string, string> {
  const tags = new Map<string, string>();
  const mapping = isRecord(discriminator.mapping) ? discriminator.mapping : {};
  for (const [tag, value] of Object.entries(mapping)) {
    if (typeof value !== 'string') continue;
    const target = value.startsWith('#') ? localRefToPointer(value) : joinPointer('/components/schemas', value);
    // A target that is only a reference to the base (an alias) would send the value back to the base's rules.
    if (target !== undefined && getAtPointer(state.source, target) !== undefined && referenceChainEnd(target, state.source) !== base) tags.set(tag, target);
  }
  const mapped = new Set(tags.values());
  for (const [name, at] of allOfChildren(state).get(base) ?? []) if (!tags.has(name) && !mapped.has(at)) tags.set(name, at);
  return tags;
}

/** Whether a pointer is an `allOf` member (at any depth of `allOf`s) of one of the subtypes: `/components/schemas/Cat/allOf/0`. */
function isSubtypeBaseMember(pointer: string, subtypes: ReadonlySet<string>): boolean {
  let at = pointer;
  for (let member = /^(.*)\/allOf\/\d+$/.exec(at); member; member = /^(.*)\/allOf\/\d+$/.exec(at)) {
    at = member[1]!;
    if (subtypes.has(at)) return true;
  }
  return false;
}

/**
 * Whether judging a value by the subtype would meet a reference to the base,
 * other than as the subtype's own `allOf` member, before moving into any part
 * of the value (through `$ref`, `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/
 * `else`): that reference would send the value to the base's rules again, and
 * round for ever. Such a subtype is left out of the rules.
 */
function reachesBaseInPlace(subtype: string, base: string, subtypes: ReadonlySet<string>, source: Record<string, unknown>): boolean {
  const seen = new Set<string>();
  const pending = [subtype];
  while (pending.length > 0) {
    const at = pending.pop()!;
    if (seen.has(at) || seen.size > 1000) continue;
    seen.add(at);
    const schema = getAtPointer(source, at);
    if (!isRecord(schema)) continue;
    if (typeof schema.$ref === 'string') {
      const target = localRefToPointer(schema.$ref);
      if (target === base && !isSubtypeBaseMember(at, subtypes)) return true;
      if (target !== undefined && target !== base) pending.push(target);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list)) list.forEach((_, i) => pending.push(joinPointer(at, key, i)));
    }
    for (const key of ['not', 'if', 'then', 'else'] as const) if (isRecord(schema[key])) pending.push(joinPointer(at, key));
  }
  return false;
}

/** Where a chain of schemas that are only `$ref`s ends (bounded: refs may loop). */
function referenceChainEnd(pointer: string, source: Record<string, unknown>): string {
  let at = pointer;
  for (let hops = 0; hops < 20; hops++) {
    const schema = getAtPointer(source, at);
    const next = isRecord(schema) && typeof schema.$ref === 'string' ? localRefToPointer(schema.$ref) : undefined;
    if (next === undefined) return at;
    at = next;
  }
  return at;
}

/** Each component schema's direct `allOf` children, by the child's name and pointer; built once per document. */
function allOfChildren(state: TranslateState): Map<string, Array<[string, string]>> {
  if (state.allOfChildren !== undefined) return state.allOfChildren;
  const children = new Map<string, Array<[string, string]>>();
  const schemas = isRecord(state.source.components) && isRecord(state.source.components.schemas) ? state.source.components.schemas : {};
  for (const [name, candidate] of Object.entries(schemas)) {
    if (!isRecord(candidate) || !Array.isArray(candidate.allOf)) continue;
    for (const part of candidate.allOf) {
      const parent = isRecord(part) && typeof part.$ref === 'string' ? localRefToPointer(part.$ref) : undefined;
      if (parent === undefined) continue;
      const known = children.get(parent);
      if (known) known.push([name, joinPointer('/components/schemas', name)]);
      else children.set(parent, [[name, joinPointer('/components/schemas', name)]]);
    }
  }
  state.allOfChildren = children;
  return children;
}

/**
 * Whether every branch of a `oneOf` inherits one discriminator through
 * `allOf`: OpenAPI's inheritance pattern, where `Cat` is `allOf: [Pet, {...}]`
 * and `Pet` carries `discriminator: {propertyName: pet_type}`. The
 * discriminator then picks the branch as surely as one beside the `oneOf`
 * (readme's embedded-discriminator example; a Cat with an optional Dog field
 * matched both branches and failed).
 */
function sharesInheritedDiscriminator(branches: unknown, source: Record<string, unknown>): boolean {
  if (!Array.isArray(branches) || branches.length < 2) return false;
  const names = branches.map((branch) => inheritedDiscriminatorName(branch, source, 0));
  return names[0] !== undefined && names.every((name) => name === names[0]);
}

/** The `propertyName` of a discriminator a schema carries or inherits through `$ref` and `allOf`. */
function inheritedDiscriminatorName(schema: unknown, source: Record<string, unknown>, depth: number): string | undefined {
  const name = inheritedDiscriminator(schema, source, depth)?.propertyName;
  return typeof name === 'string' ? name : undefined;
}

/** The discriminator a schema carries or inherits through `$ref` and `allOf` (bounded: refs may loop). */
function inheritedDiscriminator(schema: unknown, source: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
  if (!isRecord(schema) || depth > 20) return undefined;
  if (isRecord(schema.discriminator) && typeof schema.discriminator.propertyName === 'string') return schema.discriminator;
  if (typeof schema.$ref === 'string') {
    const target = localRefToPointer(schema.$ref);
    return target === undefined ? undefined : inheritedDiscriminator(getAtPointer(source, target), source, depth + 1);
  }
  if (!Array.isArray(schema.allOf)) return undefined;
  for (const part of schema.allOf) {
    const found = inheritedDiscriminator(part, source, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
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
