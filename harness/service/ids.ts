/**
 * Record ids are UUIDs. Anything else is simply not found: it never reaches
 * SQL, where PostgreSQL would refuse it as a malformed uuid (a 500).
 *
 * @example
 *   isUuid('not-an-id'); // false
 */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
