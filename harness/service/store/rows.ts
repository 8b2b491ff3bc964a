/** Both drivers return timestamptz as a Date; the records carry ISO 8601 strings. */
export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export function iso(value: unknown): string {
  return isoOrNull(value) ?? '';
}

/** jsonb comes back parsed from both drivers; a JSON text (a driver without a jsonb parser) is parsed here. */
export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
