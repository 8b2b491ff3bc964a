/**
 * The operations a Path Item object holds. OpenAPI 3.0 and 3.1 have one
 * field per method (`get` … `trace`); 3.2 adds `query` (the QUERY method) and
 * `additionalOperations`, a map from any other method, spelled as it is sent,
 * to its operation. Every stage that walks operations (extraction, schema
 * roots, documentation checks) lists them here, so none misses one.
 */
import { isRecord, joinPointer } from '../json-pointer.js';

/** The fixed method fields of OpenAPI 3.0 and 3.1, in the order operations are listed. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** OpenAPI 3.2's fixed method fields: those of 3.0 and 3.1, and `query`. */
const FIXED_FIELDS_32: readonly string[] = [...HTTP_METHODS, 'query'];

/** An HTTP method name (RFC 9110 section 9.1: a token). */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface PathItemOperation {
  /** The method as sent: upper-case for the fixed fields, as written for an additional operation. */
  method: string;
  /** The Operation object as written (not checked here). */
  operation: unknown;
  /** JSON pointer to it. */
  pointer: string;
}

/** Whether a document's `openapi` version has the 3.2 fields (`query`, `additionalOperations`). */
export function hasOas32Operations(document: Record<string, unknown>): boolean {
  const version = document['openapi'];
  if (typeof version !== 'string') return false;
  const match = /^3\.(\d+)\./.exec(version);
  return match !== null && Number(match[1]) >= 2;
}

/**
 * The operations of `item` (at `pointer`), fixed fields first. In a 3.2
 * document also `query` and each `additionalOperations` entry whose key is a
 * method name that no fixed field already covers; `onInvalid` hears of the rest.
 *
 * @example
 *   pathItemOperations({ get: {…}, query: {…}, additionalOperations: { LINK: {…} } }, '/paths/~1things', true)
 *   // [{ method: 'GET', … }, { method: 'QUERY', pointer: '/paths/~1things/query', … }, { method: 'LINK', pointer: '/paths/~1things/additionalOperations/LINK', … }]
 */
export function pathItemOperations(
  item: Record<string, unknown>,
  pointer: string,
  oas32: boolean,
  onInvalid: (pointer: string, message: string) => void = () => undefined,
): PathItemOperation[] {
  const found: PathItemOperation[] = [];
  for (const field of oas32 ? FIXED_FIELDS_32 : HTTP_METHODS) {
    if (field in item) found.push({ method: field.toUpperCase(), operation: item[field], pointer: joinPointer(pointer, field) });
  }
  const additional = oas32 ? item['additionalOperations'] : undefined;
  if (isRecord(additional)) {
    for (const [method, operation] of Object.entries(additional)) {
      const at = joinPointer(pointer, 'additionalOperations', method);
      if (!METHOD_TOKEN.test(method)) onInvalid(at, `"${method}" is not an HTTP method name; skipped`);
      // The specification forbids them: the fixed field is where such an operation belongs.
      else if (FIXED_FIELDS_32.includes(method.toLowerCase())) onInvalid(at, `${method} has its own field in a Path Item (${method.toLowerCase()}), so it must not be an additional operation; skipped`);
      else found.push({ method, operation, pointer: at });
    }
  } else if (additional !== undefined) {
    onInvalid(joinPointer(pointer, 'additionalOperations'), 'additionalOperations is not an object; ignored');
  }
  return found;
}
