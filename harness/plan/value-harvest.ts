/**
 * Identifiers seen in earlier responses of the same run, so `GET /persons/{personId}`
 * can be probed with an id that `GET /persons` returned. Only the first item of
 * each collection is kept: enough to probe with, bounded whatever the supplier sends.
 */
export interface ValueHarvest {
  /** Remember the first item of a collection answered at this concrete path. */
  recordCollection(concretePath: string, body: unknown): void;
  /** A value for path parameter `name` whose template begins with `collectionPath/{name}`. */
  lookup(collectionPath: string, name: string): string | undefined;
}

/** Property names that commonly wrap a list in a JSON object body. */
const LIST_PROPERTIES = ['data', 'items', 'results', 'records', 'content', 'entries', 'values'];

/**
 * @example
 *   const harvest = createValueHarvest();
 *   harvest.recordCollection('/v1/persons', { data: [{ id: 'PER-000001' }] });
 *   harvest.lookup('/v1/persons', 'personId'); // 'PER-000001'
 */
export function createValueHarvest(): ValueHarvest {
  const firstItems = new Map<string, Record<string, unknown>>();
  return {
    recordCollection(concretePath, body) {
      const item = firstItemOf(body);
      if (item && !firstItems.has(concretePath)) firstItems.set(concretePath, item);
    },
    lookup(collectionPath, name) {
      const item = firstItems.get(collectionPath);
      return item ? identifierFor(item, name) : undefined;
    },
  };
}

function firstItemOf(body: unknown): Record<string, unknown> | undefined {
  let list: unknown = body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const key = LIST_PROPERTIES.find((k) => Array.isArray(record[k])) ?? Object.keys(record).find((k) => Array.isArray(record[k]));
    list = key === undefined ? undefined : record[key];
  }
  if (!Array.isArray(list)) return undefined;
  const first: unknown = list[0];
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
}

/** `personId` matches `personId`, `person_id`, `PersonID`, then plain `id`. */
function identifierFor(item: Record<string, unknown>, name: string): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const wanted = squash(name);
  const keys = Object.keys(item);
  const key = keys.find((k) => squash(k) === wanted) ?? keys.find((k) => squash(k) === 'id');
  const value = key === undefined ? undefined : item[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
