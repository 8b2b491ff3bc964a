/**
 * Negative request bodies (`--negative` with `--allow-writes`): from a valid
 * create or update the run is about to send (or has sent) on its own record,
 * bodies the document says are invalid in exactly one way: not JSON at all,
 * a required property left out, a property of the wrong type, a property the
 * schema forbids (`additionalProperties: false`), and the valid body in a
 * media type the operation does not take. Pure: nothing is sent here, and
 * the valid body already points every URL at a host that never resolves.
 * When the schema makes a change doubtful (alternatives, `allOf`, a property
 * that may be null), no case is made from it.
 */
import { followLocalRef } from '../follow-local-ref.js';
import { mediaTypeEssence, takesJsonText } from '../media-type.js';
import { isRecord } from '../json-pointer.js';
import type { OperationSpec } from '../profile/profile-types.js';
import { chooseNegativeCases, type NegativeCase, type ReadyProbe } from './negative-cases.js';
import { createRandom, seedFor, shuffled } from './seeded-random.js';
import { withUnreachableUrls } from './unreachable-urls.js';

type Schema = Record<string, unknown>;

/** A property no document names: added where the schema forbids unknown properties. */
export const UNKNOWN_PROPERTY = 'interopHarnessUnknownProperty';

/** The media type the wrong-Content-Type case sends: plain text, which a JSON operation does not document. */
const WRONG_MEDIA_TYPE = 'text/plain';

/**
 * The body cases a run sends to one create or update of its own, chosen by
 * the seed within --max-negative: the run (its lifecycles) and --dry-run ask
 * the same function, so the dry run lists exactly what is sent.
 */
export function chosenBodyCases(operation: OperationSpec, valid: ReadyProbe, document: unknown, seed: number, maxPerOperation: number): NegativeCase[] {
  return chooseNegativeCases(negativeBodyCases(operation, valid, document, seed), maxPerOperation, seed, `${operation.operationId} body`);
}

/**
 * At most one case of each kind for one write, the property each changes
 * chosen by the seed (so a run with the same seed sends the same bodies).
 * PATCH leaves "missing property" out: a partial update may omit anything.
 *
 * @example
 *   negativeBodyCases(createIncident, validCreate, document, 42).map((c) => c.mutation.mutation)
 *   // ['malformed-json', 'missing-property', 'wrong-type', 'unknown-property', 'wrong-content-type']
 */
export function negativeBodyCases(operation: OperationSpec, valid: ReadyProbe, document: unknown, seed: number): NegativeCase[] {
  const request = valid.request;
  const sentType = request.headers['content-type'] ?? '';
  if (request.body === undefined || !takesJsonText(sentType)) return [];
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return [];
  }
  const random = createRandom(seedFor(seed, `${operation.operationId} body`));
  const pick = <T>(items: readonly T[]): T | undefined => shuffled(items, random)[0];
  const withBody = (text: string, contentType = sentType) => ({ ...request, headers: { ...request.headers, 'content-type': contentType }, body: text });
  const cases: NegativeCase[] = [];

  // Cut before the last character: an object or array left open is never JSON.
  const malformed = request.body.slice(0, -1);
  cases.push({
    check: 'negative-data-rejection',
    mutation: { location: 'body', name: 'JSON', mutation: 'malformed-json', value: excerpt(malformed), expect: 'reject', reason: 'the body is the valid one with its last character cut off, so it is not well-formed JSON' },
    request: withBody(malformed),
  });

  const schema = objectSchema(document, mediaSchema(operation, sentType));
  if (schema && isRecord(body) && !Array.isArray(body)) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    // A readOnly property is the server's to fill: never required of a request, ignored when sent. No case relies on it.
    const readOnly = (name: string) => Object.hasOwn(properties, name) && isReadOnly(document, properties[name]);
    body = Object.fromEntries(Object.entries(body).filter(([name]) => !readOnly(name)));
    if (!isRecord(body)) return cases;
    const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string' && !readOnly(name) && Object.hasOwn(body as Schema, name)) : [];
    const missing = operation.method === 'PATCH' ? undefined : pick(required);
    if (missing !== undefined) {
      const { [missing]: _left, ...rest } = body;
      cases.push({
        check: 'negative-data-rejection',
        mutation: { location: 'body', name: `/${missing}`, mutation: 'missing-property', expect: 'reject', reason: `the schema requires property ${missing}; the body leaves it out` },
        request: withBody(JSON.stringify(rest)),
      });
    }
    const typed = Object.keys(body).filter((name) => Object.hasOwn(properties, name) && singleType(document, properties[name]) !== undefined);
    const wrong = pick(typed);
    if (wrong !== undefined) {
      const type = singleType(document, properties[wrong])!;
      // An object where a scalar belongs, a string where an object or array does: no parser coerces those.
      const value = type === 'object' || type === 'array' ? 'interop-harness-wrong-type' : { interopHarness: 'wrong type' };
      cases.push({
        check: 'negative-data-rejection',
        mutation: { location: 'body', name: `/${wrong}`, mutation: 'wrong-type', value: JSON.stringify(value), expect: 'reject', reason: `the schema says ${wrong} is of type ${type}; the body sends ${type === 'object' || type === 'array' ? 'a string' : 'an object'}` },
        request: withBody(JSON.stringify({ ...body, [wrong]: value })),
      });
    }
    if (schema.additionalProperties === false && !Object.hasOwn(properties, UNKNOWN_PROPERTY)) {
      cases.push({
        check: 'negative-data-rejection',
        mutation: { location: 'body', name: `/${UNKNOWN_PROPERTY}`, mutation: 'unknown-property', value: '"x"', expect: 'reject', reason: 'the schema forbids properties it does not list (additionalProperties: false); the body adds one' },
        request: withBody(JSON.stringify(withUnreachableUrls({ ...body, [UNKNOWN_PROPERTY]: 'x' }))),
      });
    }
  }

  if (!takesMediaType(operation, WRONG_MEDIA_TYPE)) {
    cases.push({
      check: 'unsupported-media-type',
      mutation: { location: 'body', name: 'Content-Type', mutation: 'wrong-content-type', value: WRONG_MEDIA_TYPE, expect: 'reject', reason: `the operation documents its body as ${documentedTypes(operation)}; the valid body is sent as ${WRONG_MEDIA_TYPE}` },
      request: withBody(request.body, WRONG_MEDIA_TYPE),
    });
  }
  return cases;
}

function excerpt(text: string): string {
  return text.length <= 60 ? text : `…${text.slice(-59)}`;
}

/** The schema of the documented media type the valid body was sent as (or of the first JSON one). */
function mediaSchema(operation: OperationSpec, sentType: string): unknown {
  const content = operation.requestBody?.content ?? [];
  const essence = mediaTypeEssence(sentType);
  return (content.find((m) => mediaTypeEssence(m.mediaRange) === essence) ?? content.find((m) => takesJsonText(m.mediaRange)))?.schema;
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

/** Whether a documented request media range takes `mediaType` (exactly, `text/*` or `*\/*`). */
function takesMediaType(operation: OperationSpec, mediaType: string): boolean {
  const [type] = mediaType.split('/');
  return (operation.requestBody?.content ?? []).some((m) => {
    const range = mediaTypeEssence(m.mediaRange);
    return range === mediaType || range === `${type}/*` || range === '*/*';
  });
}

function documentedTypes(operation: OperationSpec): string {
  return (operation.requestBody?.content ?? []).map((m) => m.mediaRange).join(', ') || 'JSON';
}
