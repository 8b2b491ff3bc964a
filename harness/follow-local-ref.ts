/**
 * Following internal `$ref`s (`#/components/...`) in a bundled document: a tiny
 * resolver for the reference objects the loader reads (parameters, responses,
 * headers, request bodies, examples, path items). Schemas are left as written.
 */
import { isRecord, joinPointer, parsePointer, resolvePointer } from './json-pointer.js';

/** Reference chains longer than this are treated as broken (real ones are 1–3 long). */
export const MAX_REF_HOPS = 32;

export type Followed = { ok: true; value: unknown; pointer: string } | { ok: false; ref: string; reason: string };

/**
 * Follows `value` (found at `pointer`) through any chain of internal `$ref`s to
 * the object it finally names, and where that object lives. Cycle-safe and bounded.
 *
 * @example
 *   followLocalRef(doc, { $ref: '#/components/parameters/Limit' }, '/paths/~1x/get/parameters/0')
 *   // { ok: true, value: { name: 'limit', in: 'query' }, pointer: '/components/parameters/Limit' }
 */
export function followLocalRef(document: unknown, value: unknown, pointer: string): Followed {
  let current = value;
  let where = pointer;
  const seen = new Set<string>();
  for (let hop = 0; hop <= MAX_REF_HOPS; hop++) {
    if (!isRecord(current) || typeof current['$ref'] !== 'string') return { ok: true, value: current, pointer: where };
    const ref = current['$ref'];
    if (!ref.startsWith('#')) return { ok: false, ref, reason: 'it is not an internal reference' };
    if (seen.has(ref)) return { ok: false, ref, reason: 'it refers back to itself (a reference cycle)' };
    seen.add(ref);
    const target = resolvePointer(document, ref);
    if (!target.found) return { ok: false, ref, reason: 'its target does not exist' };
    current = target.value;
    // The fragment is a URI-encoded pointer; the location reported is the plain pointer.
    where = joinPointer('', ...(parsePointer(ref) ?? []));
  }
  return { ok: false, ref: String((current as Record<string, unknown>)['$ref']), reason: `the chain is longer than ${MAX_REF_HOPS} references` };
}
