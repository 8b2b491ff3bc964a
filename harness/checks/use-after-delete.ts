import { followLocalRef } from '../follow-local-ref.js';
import { getAtPointer } from '../json-pointer.js';
import type { ResponseSpec } from '../profile/profile-types.js';
import { fail, pass, skip, warn, type LifecycleCheck } from './check.js';
import { holdsNoRecord } from './no-record.js';

/**
 * A deleted record is gone: the read right after a successful DELETE answers
 * 404 or 410, documented or not (the status-code check says whether the
 * document lists it). A 2xx is a record still served after the supplier said
 * it removed it; after a 202 (deletion accepted, done later) only a warning.
 */
export const useAfterDelete: LifecycleCheck = {
  kind: 'lifecycle',
  step: 'read-deleted',
  id: 'use-after-delete',
  scope: 'generic',
  title: 'Deleted resource is gone',
  description: 'With --allow-writes: after the DELETE of a record the run created answered 2xx, reading that record answers 404 or 410 (documented or not). A 2xx is a failure (a 202 delete, a soft delete the document describes, answering `"deleted": true`, or a 2xx holding no record, such as `{"data": null}`, only a warning); a 5xx is server-error\'s.',
  run({ response, lifecycle, operation, responseSpec, document, json }) {
    const { after } = lifecycle;
    const deleted = `${after.method} ${after.url} answered ${after.status}`;
    const expected = '404 or 410 for the deleted record';
    const actual = String(response.status);
    if (response.status === 404 || response.status === 410) return pass(`the deleted record is gone: ${deleted}, then ${operation.method} answered ${response.status}`);
    if (response.status >= 200 && response.status < 300) {
      // A documented soft delete (Stripe's `{"id": …, "deleted": true}`): the record is marked deleted, as the document says it may be.
      const body = json();
      if (body.ok && isObject(body.value) && body.value.deleted === true && describesDeleted(document, responseSpec)) {
        return warn(`${deleted}, and the record still reads (${response.status}) marked "deleted": true, a soft delete the document describes; a client must check the flag`, { expected, actual: `${actual} {"deleted": true}` });
      }
      if (after.status === 202) return warn(`${deleted} (accepted, not yet done) and the record still reads (${response.status}): it may be removed later`, { expected, actual });
      // NocoBase's `{"data": null}`: no record is served, but a client cannot tell a deleted record from an empty answer.
      if (holdsNoRecord(response.body, body.ok ? body.value : undefined)) {
        if (lifecycle.heldRecordBefore) {
          return warn(`${deleted}, then ${operation.method} answered ${response.status} with no record in its body: the record is gone, but the status should say so (404 or 410)`, { expected, actual: `${actual} with no record` });
        }
        // The read before the DELETE was as empty (or not made): the answer cannot tell a deleted record from a kept one.
        return warn(`${deleted}, then ${operation.method} answered ${response.status} with no record in its body, as the read before the DELETE did (or none was made): whether the record is gone cannot be told, so it is listed as left behind`, { expected, actual: `${actual} with no record` });
      }
      return fail(`${deleted}, but the record still reads (${response.status}): a deleted record is still served`, { expected, actual });
    }
    // A 5xx is server-error's; a 401/403 says nothing about the record.
    return skip(`the read after the delete answered ${response.status}, which says nothing about whether the record is gone (judged by status-code or server-error)`);
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether a schema of the documented response has a `deleted` property ($refs and allOf/oneOf/anyOf followed). */
function describesDeleted(document: unknown, spec: ResponseSpec | undefined): boolean {
  const seen = new Set<unknown>();
  const has = (schemaOrRef: unknown, depth: number): boolean => {
    if (depth > 16) return false;
    const followed = followLocalRef(document, schemaOrRef, '');
    if (!followed.ok || !isObject(followed.value) || seen.has(followed.value)) return false;
    const schema = followed.value;
    seen.add(schema);
    if (isObject(schema.properties) && Object.hasOwn(schema.properties, 'deleted')) return true;
    return ['allOf', 'oneOf', 'anyOf'].some((key) => Array.isArray(schema[key]) && (schema[key] as unknown[]).some((part) => has(part, depth + 1)));
  };
  return (spec?.content ?? []).some((media) => {
    if (media.schemaPointer === undefined) return false;
    return has(getAtPointer(document, media.schemaPointer), 0);
  });
}
