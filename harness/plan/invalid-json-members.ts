/**
 * JSON made invalid in exactly one way: its text, so that it is no JSON
 * (`malformedJson`), or one member of an object against its schema
 * (`memberChanges`: a required one left out, one of the wrong type, one the
 * schema forbids). Shared by the negative cases of a request body
 * (negative-bodies.ts) and of a parameter written as JSON (LoopBack's
 * `filter={"limit":2}`, negative-cases.ts). Where the schema makes a change
 * doubtful (alternatives, `allOf`, a member that may be null), no change is
 * made from it.
 */
import { followLocalRef } from '../follow-local-ref.js';
import { isRecord } from '../json-pointer.js';

type Schema = Record<string, unknown>;

/** A member no document names: added where the schema forbids unknown members. */
export const UNKNOWN_PROPERTY = 'interopHarnessUnknownProperty';

export interface MemberChange {
  mutation: 'missing-property' | 'wrong-type' | 'unknown-property';
  /** The member changed, as a name. */
  member: string;
  /** The whole object after the change. */
  changed: Record<string, unknown>;
  /** The member's new value as JSON text; absent when it was left out. */
  shown?: string;
  /** Why the schema refuses it, of `what` (`the body`, `filter`). */
  reason: string;
}

/**
 * At most one change of each kind, the member each changes chosen by `pick`
 * (seeded by the caller, so a rerun makes the same changes). `partial`
 * (a PATCH) makes no "missing" change: a partial update may omit anything.
 * A readOnly member is the server's to fill, never required of a request and
 * ignored when sent: no change relies on it, and it is left out of the object.
 *
 * @example
 *   memberChanges(doc, { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, { name: 'x' }, (names) => names[0], { what: 'the body' });
 *   // [{ mutation: 'missing-property', member: 'name', changed: {}, ... }, { mutation: 'wrong-type', member: 'name', changed: { name: { interopHarness: 'wrong type' } }, ... }]
 */
export function memberChanges(
  document: unknown,
  schemaOrRef: unknown,
  value: unknown,
  pick: (names: readonly string[]) => string | undefined,
  options: { what: string; partial?: boolean },
): MemberChange[] {
  const schema = objectSchema(document, schemaOrRef);
  if (!schema || !isRecord(value) || Array.isArray(value)) return [];
  const { what } = options;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const readOnly = (name: string) => Object.hasOwn(properties, name) && isReadOnly(document, properties[name]);
  const object = Object.fromEntries(Object.entries(value).filter(([name]) => !readOnly(name)));
  const changes: MemberChange[] = [];
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string' && !readOnly(name) && Object.hasOwn(object, name)) : [];
  const missing = options.partial ? undefined : pick(required);
  if (missing !== undefined) {
    const { [missing]: _left, ...rest } = object;
    changes.push({ mutation: 'missing-property', member: missing, changed: rest, reason: `the schema requires property ${missing}; ${what} leaves it out` });
  }
  const wrong = pick(Object.keys(object).filter((name) => Object.hasOwn(properties, name) && singleType(document, properties[name]) !== undefined));
  if (wrong !== undefined) {
    const type = singleType(document, properties[wrong])!;
    // An object where a scalar belongs, a string where an object or array does: no parser coerces those.
    const replaced = type === 'object' || type === 'array' ? 'interop-harness-wrong-type' : { interopHarness: 'wrong type' };
    changes.push({ mutation: 'wrong-type', member: wrong, changed: { ...object, [wrong]: replaced }, shown: JSON.stringify(replaced), reason: `the schema says ${wrong} is of type ${type}; ${what} sends ${type === 'object' || type === 'array' ? 'a string' : 'an object'}` });
  }
  // Only where nothing else lets a member in: a patternProperties pattern or propertyNames may take the name (review).
  if (schema.additionalProperties === false && !Object.hasOwn(properties, UNKNOWN_PROPERTY) && schema.patternProperties === undefined && schema.propertyNames === undefined) {
    changes.push({ mutation: 'unknown-property', member: UNKNOWN_PROPERTY, changed: { ...object, [UNKNOWN_PROPERTY]: 'x' }, shown: '"x"', reason: `the schema forbids properties it does not list (additionalProperties: false); ${what} adds one` });
  }
  return changes;
}

/** A plain object schema ($ref followed); undefined when alternatives or composition make "invalid" doubtful. */
function objectSchema(document: unknown, schemaOrRef: unknown): Schema | undefined {
  const followed = followLocalRef(document, schemaOrRef, '');
  if (!followed.ok || !isRecord(followed.value)) return undefined;
  const schema = followed.value;
  if (['allOf', 'oneOf', 'anyOf', 'not', 'if', '$ref', 'discriminator'].some((key) => Object.hasOwn(schema, key))) return undefined;
  if (schema.type !== 'object' && !(schema.type === undefined && isRecord(schema.properties))) return undefined;
  return schema;
}

/** Whether a property's schema (its `$ref` followed) says readOnly. */
function isReadOnly(document: unknown, schemaOrRef: unknown): boolean {
  if (isRecord(schemaOrRef) && schemaOrRef.readOnly === true) return true;
  const followed = followLocalRef(document, schemaOrRef, '');
  return followed.ok && isRecord(followed.value) && followed.value.readOnly === true;
}

/** The one JSON type a property's schema allows, when that is beyond doubt (no null, no alternatives). */
function singleType(document: unknown, schemaOrRef: unknown): string | undefined {
  const followed = followLocalRef(document, schemaOrRef, '');
  if (!followed.ok || !isRecord(followed.value)) return undefined;
  const schema = followed.value;
  if (schema.nullable === true || ['allOf', 'oneOf', 'anyOf', 'not', '$ref', 'const', 'enum'].some((key) => Object.hasOwn(schema, key))) return undefined;
  const type = schema.type;
  return typeof type === 'string' && ['string', 'integer', 'number', 'boolean', 'object', 'array'].includes(type) ? type : undefined;
}

/**
 * JSON text made not JSON: the valid text with its last character cut off,
 * which leaves an object or array open; where that is still JSON (`25`
 * becomes `2`, a trailing space goes), a stray `}` after it instead.
 *
 * @example malformedJson('{"a":1}') // { text: '{"a":1', how: 'with its last character cut off' }
 * @example malformedJson('25') // { text: '25}', how: 'with a stray } after it' }
 */
export function malformedJson(text: string): { text: string; how: string } {
  const cut = text.slice(0, -1);
  return parses(cut) ? { text: `${text}}`, how: 'with a stray } after it' } : { text: cut, how: 'with its last character cut off' };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A value as a negative case names it: up to 60 characters, the end kept (where a body cut short shows its cut). */
export function excerpt(text: string): string {
  return text.length <= 60 ? text : `…${text.slice(-59)}`;
}
