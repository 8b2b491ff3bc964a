import { fail, warn, type NegativeCheck } from './check.js';
import type { ResponseSpec } from '../profile/profile-types.js';
import { describeChange, judgeRejection } from './negative-judgement.js';
import { followLocalRef } from '../follow-local-ref.js';
import { getAtPointer, isRecord } from '../json-pointer.js';
import { isJsonMediaType } from '../media-type.js';

/**
 * An id of the right shape that the API does not have must be refused with a
 * documented 4xx (typically 404), never answered 200 with an empty body: a
 * client reads that as "the record exists and is empty".
 */
export const unknownId: NegativeCheck = {
  kind: 'negative',
  id: 'unknown-id',
  scope: 'generic',
  title: 'Unknown ids refused',
  description: 'With --negative, where the valid request got a 2xx: a path id of the right type and format that the API should not have gets a 4xx the document lists, typically 404. A 2xx with an empty body (no bytes, or JSON null) or a 5xx fails, unless the document gives that 2xx no body, media types without a schema, or a media type other than JSON whose schema is a string that may be empty, such as a binary file (then it warns: the answer cannot tell the ids apart); an undocumented 404 (or other 4xx) is a warning; a 2xx with content, an empty list included, is a warning (the id may exist after all, or it names the parent of an empty listing).',
  run(context) {
    const { response, responseSpec, negative } = context;
    if (response.status >= 200 && response.status < 300) {
      const change = describeChange(negative);
      const detail = { expected: 'a 4xx the document lists, typically 404', actual: `${response.status} with ${response.body.length === 0 ? 'an empty body' : `${response.body.length} bytes`}` };
      if (isEmptyBody(response.body)) {
        // Where the document gives this success no body, an empty one is its normal answer: it cannot tell an unknown id from a known one.
        if (documentsNoBody(responseSpec)) return warn(`answered ${response.status} with no body for ${change}, an id it was not seen to have; the document gives this ${response.status} no body, so the answer cannot say whether the id exists (a 4xx for unknown ids would)`, detail);
        if (describesNoBody(responseSpec)) return warn(`answered ${response.status} with no body for ${change}, an id it was not seen to have; the document gives this ${response.status} a media type but no schema, so nothing says a record's answer has content: it cannot say whether the id exists (a 4xx for unknown ids would)`, detail);
        const emptyAllowed = emptyContentMedia(responseSpec, context.document);
        if (emptyAllowed !== undefined) return warn(`answered ${response.status} with no body for ${change}, an id it was not seen to have; the document's ${emptyAllowed} schema for this ${response.status} takes zero bytes (a file may be empty), so the answer cannot say whether the id exists (a 4xx for unknown ids would)`, detail);
        return fail(`answered ${response.status} with an empty body for an id it does not have (${change}): a client reads that as a record that exists and is empty`, detail);
      }
      return warn(`answered ${response.status} with content for ${change}, an id it was not seen to have: either it exists after all, or the API answers unknown ids with content`, detail);
    }
    return judgeRejection(context, 'an unknown id');
  },
};

/**
 * No bytes, only white space, or a JSON `null`. An empty list (`[]`) is content:
 * a listing under an unknown parent may fairly be empty.
 */
function isEmptyBody(body: Uint8Array): boolean {
  const text = Buffer.from(body).toString('utf8').trim();
  return text === '' || text === 'null';
}

/** A documented success (its code or range, not `default`) with no content: the document promises no body. */
function documentsNoBody(spec: ResponseSpec | undefined): boolean {
  return spec !== undefined && spec.key.toLowerCase() !== 'default' && spec.content.length === 0;
}

/** A documented success whose media types give no schema (`application/json: {}`): what a record's answer holds is not said. */
function describesNoBody(spec: ResponseSpec | undefined): boolean {
  return spec !== undefined && spec.key.toLowerCase() !== 'default' && spec.content.length > 0 && spec.content.every((media) => media.schemaPointer === undefined && media.itemSchemaPointer === undefined);
}

/**
 * The first media type of a documented success, other than JSON, whose schema
 * is a string that may be empty (`type: string, format: binary`: a file of
 * zero bytes is a file). Found with Mockoon on download operations (appveyor's
 * artifacts, apideck's `filesDownload`): their empty answer failed as a record
 * "that exists and is empty", where the document allows exactly that.
 */
function emptyContentMedia(spec: ResponseSpec | undefined, document: Record<string, unknown>): string | undefined {
  if (spec === undefined || spec.key.toLowerCase() === 'default') return undefined;
  for (const media of spec.content) {
    if (media.schemaPointer === undefined || isJsonMediaType(media.mediaRange)) continue;
    const followed = followLocalRef(document, getAtPointer(document, media.schemaPointer), media.schemaPointer);
    const schema = followed.ok && isRecord(followed.value) ? followed.value : undefined;
    const minLength = typeof schema?.minLength === 'number' ? schema.minLength : 0;
    // `type: string`, or 3.1's `type: [string]` (with null or not).
    const types = Array.isArray(schema?.type) ? schema.type.filter((type) => type !== 'null') : [schema?.type];
    if (types.length === 1 && types[0] === 'string' && minLength === 0 && schema!.pattern === undefined && schema!.enum === undefined && schema!.const === undefined) return media.mediaRange;
  }
  return undefined;
}
