/**
 * Whether a 2xx answer to a record's read holds no record: an empty body,
 * `null`, `{}`, `[]`, or an object whose members are all null or empty.
 * NocoBase answers `{"data": null}` with 200 for an id it no longer has, as
 * it does for one it never had. Such an answer serves no record; only its
 * status should have been 404.
 *
 * @example
 *   holdsNoRecord(Buffer.from('{"data":null}'), { data: null }); // true
 *   holdsNoRecord(Buffer.from('{"data":{"id":7}}'), { data: { id: 7 } }); // false
 *
 * @param parsed the body parsed as JSON; undefined where it was not (not JSON, cut short)
 */
export function holdsNoRecord(body: Uint8Array, parsed: unknown): boolean {
  if (body.length === 0) return true;
  if (parsed === undefined) return false;
  return isEmpty(parsed) || (isObject(parsed) && Object.values(parsed).every(isEmpty));
}

function isEmpty(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
