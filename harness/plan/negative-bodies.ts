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
import { mediaTypeEssence, takesJsonText } from '../media-type.js';
import type { OperationSpec } from '../profile/profile-types.js';
import { chooseNegativeCases, type NegativeCase, type ReadyProbe } from './negative-cases.js';
import { createRandom, seedFor, shuffled } from './seeded-random.js';
import { withUnreachableUrls } from './unreachable-urls.js';
import { excerpt, malformedJson, memberChanges } from './invalid-json-members.js';

export { UNKNOWN_PROPERTY } from './invalid-json-members.js';

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
    body = JSON.parse(request.body) as unknown;
  } catch {
    return [];
  }
  const random = createRandom(seedFor(seed, `${operation.operationId} body`));
  const pick = <T>(items: readonly T[]): T | undefined => shuffled(items, random)[0];
  const withBody = (text: string, contentType = sentType) => ({ ...request, headers: { ...request.headers, 'content-type': contentType }, body: text });
  const cases: NegativeCase[] = [];

  const malformed = malformedJson(request.body);
  cases.push({
    check: 'negative-data-rejection',
    mutation: { location: 'body', name: 'JSON', mutation: 'malformed-json', value: excerpt(malformed.text), expect: 'reject', reason: `the body is the valid one ${malformed.how}, so it is not well-formed JSON` },
    request: withBody(malformed.text),
  });

  for (const change of memberChanges(document, mediaSchema(operation, sentType), body, pick, { what: 'the body', partial: operation.method === 'PATCH' })) {
    cases.push({
      check: 'negative-data-rejection',
      mutation: { location: 'body', name: `/${change.member}`, mutation: change.mutation, ...(change.shown !== undefined ? { value: change.shown } : {}), expect: 'reject', reason: change.reason },
      request: withBody(JSON.stringify(withUnreachableUrls(change.changed))),
    });
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

/** The schema of the documented media type the valid body was sent as (or of the first JSON one). */
function mediaSchema(operation: OperationSpec, sentType: string): unknown {
  const content = operation.requestBody?.content ?? [];
  const essence = mediaTypeEssence(sentType);
  return (content.find((m) => mediaTypeEssence(m.mediaRange) === essence) ?? content.find((m) => takesJsonText(m.mediaRange)))?.schema;
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
