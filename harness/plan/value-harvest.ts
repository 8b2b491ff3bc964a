import { readsAsAction } from './named-change.js';

/**
 * Identifiers seen in earlier responses of the same run, so `GET /persons/{personId}`
 * can be probed with an id that `GET /persons` returned. The first few items of
 * each collection are kept: enough to find one that fits the parameter's
 * schema, bounded whatever the supplier sends. Harvested values are for reads
 * only: the run never changes a record it did not create.
 */
export interface ValueHarvest {
  /** Remember the first items of a collection answered at this concrete path. */
  recordCollection(concretePath: string, body: unknown): void;
  /**
   * A value for path parameter `name` whose template begins with
   * `collectionPath/{name}`: the first item key that names it (see
   * `identifierFor`) and whose value `accept` takes. When no list was
   * answered at `collectionPath`, a list of the same resource elsewhere
   * (`/admin/projects` for `/projects/{projectId}`) is used.
   */
  lookup(collectionPath: string, name: string, accept?: (value: string) => boolean): string | undefined;
  /**
   * Lists about to be sent, by concrete path: while a collection's own list
   * is among them, `lookup` gives nothing for it rather than a value from a
   * list of the same resource elsewhere (Unleash's `/archive/features`, whose
   * archived flags answer 404 where a live flag would have shown a failure).
   */
  pending?: ReadonlySet<string>;
}

/** Property names that commonly wrap a list in a JSON object body, tried first. */
const LIST_PROPERTIES = ['data', 'items', 'results', 'records', 'content', 'entries', 'values'];
/** Items kept per collection. */
const KEPT_ITEMS = 5;
/** How deep a list may be nested in a body: `{data: {items: [...]}}` is depth 2. */
const MAX_LIST_DEPTH = 3;

/**
 * @example
 *   const harvest = createValueHarvest();
 *   harvest.recordCollection('/v1/features', { features: [{ name: 'dark-mode' }] });
 *   harvest.lookup('/v1/features', 'featureName'); // 'dark-mode'
 */
export function createValueHarvest(): ValueHarvest {
  const items = new Map<string, Array<Record<string, unknown>>>();
  const harvest: ValueHarvest = {
    recordCollection(concretePath, body) {
      if (items.has(concretePath)) return;
      const found = listItems(body, KEPT_ITEMS);
      if (found) items.set(concretePath, found);
    },
    lookup(collectionPath, name, accept = () => true) {
      const resource = listedResourceName(collectionPath);
      const fromItems = (list: Array<Record<string, unknown>>) => {
        for (const item of list) for (const value of identifierCandidates(item, name, resource)) if (accept(value)) return value;
        return undefined;
      };
      const own = items.get(collectionPath);
      if (own) return fromItems(own);
      if (harvest.pending?.has(collectionPath)) return undefined;
      for (const [, list] of listsOfResource(items, collectionPath, name)) {
        const found = fromItems(list);
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
  return harvest;
}

/**
 * The lists, of those kept by path, that may hold what parameter `name` of
 * `collectionPath` names: the one answered at that path, then any list of the
 * same resource elsewhere (`/admin/projects` lists what `/projects/{projectId}` reads).
 */
export function* listsOfResource<T>(lists: ReadonlyMap<string, T>, collectionPath: string, name: string): Generator<[string, T]> {
  const own = lists.get(collectionPath);
  if (own !== undefined) yield [collectionPath, own];
  const resource = listedResourceName(collectionPath);
  const stem = squash(name).replace(/(id|name|key|slug|code|uuid)$/, '');
  for (const [path, list] of lists) {
    if (path === collectionPath) continue;
    const other = listedResourceName(path);
    if (other !== '' && (other === resource || other === stem)) yield [path, list];
  }
}

/**
 * The first `limit` objects of the first array of objects in a body: the body
 * itself, a list property, or one nested in an object. Bounded: a list may hold a million.
 */
export function listItems(body: unknown, limit: number): Array<Record<string, unknown>> | undefined {
  return itemsOf(body, 0, limit);
}

function itemsOf(body: unknown, depth: number, limit: number): Array<Record<string, unknown>> | undefined {
  if (Array.isArray(body)) {
    const objects: Array<Record<string, unknown>> = [];
    for (let i = 0; i < body.length && objects.length < limit; i++) if (isObject(body[i])) objects.push(body[i] as Record<string, unknown>);
    return objects.length > 0 ? objects : undefined;
  }
  if (!isObject(body) || depth >= MAX_LIST_DEPTH) return undefined;
  const keys = Object.keys(body);
  const ordered = [...LIST_PROPERTIES.filter((k) => keys.includes(k)), ...keys.filter((k) => !LIST_PROPERTIES.includes(k))];
  for (const key of ordered) {
    const found = Array.isArray(body[key]) ? itemsOf(body[key], depth + 1, limit) : undefined;
    if (found) return found;
  }
  for (const key of ordered) {
    const found = isObject(body[key]) ? itemsOf(body[key], depth + 1, limit) : undefined;
    if (found) return found;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `/v1/features` -> `feature`; `/projects/{projectId}/environments` -> `environment`;
 * `/admin:users` -> `adminuser`. The name a record's own id goes by (`<resource>Id`): every
 * character of the segment counts, so a namespace (`admin:`) never becomes the resource and its
 * `adminId` the record's own id (third review).
 */
export function resourceName(collectionPath: string): string {
  return singular(lastFixedSegment(collectionPath));
}

/**
 * `resourceName`, less an action after `:` (`/users:list` -> `user`), as NocoBase and Google AIP
 * name them: which list may name the records a path parameter reads. For harvested values only,
 * which go to reads: a wrong guess costs a read's value, never a write's target.
 */
export function listedResourceName(collectionPath: string): string {
  const segment = lastFixedSegment(collectionPath);
  const colon = segment.lastIndexOf(':');
  return singular(colon > 0 && readsAsAction(segment.slice(colon + 1)) ? segment.slice(0, colon) : segment);
}

function lastFixedSegment(path: string): string {
  return path.split('/').filter((s) => s !== '' && !s.includes('{')).pop() ?? '';
}

/**
 * Whether a member or field is named for a resource (as `resourceName` gives it), in any case and
 * with any separators: `User` and `user_` for `user`. Empty names nothing.
 *
 * @example namesResource('Collection', 'collection') // true
 */
export function namesResource(name: string, resource: string): boolean {
  return resource !== '' && letters(name) === resource;
}

/** A name's letters and digits, lower-cased: how names are compared whatever their style. */
export function letters(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function singular(last: string): string {
  const lower = letters(last);
  if (lower.endsWith('ies')) return lower.slice(0, -3) + 'y';
  if (/(ss|x|ch|sh)es$/.test(lower)) return lower.slice(0, -2);
  if (lower.endsWith('s') && !lower.endsWith('ss')) return lower.slice(0, -1);
  return lower;
}

const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, '');

/**
 * Item keys that may name path parameter `name`, best first: the parameter's
 * own name (`personId` matches `person_id`, `PersonID`), then by its suffix
 * (`featureName` -> `name`), then `id`, `<resource>Id`, `name`,
 * `<resource>Name`, `key`, `slug`, `code`, `uuid`.
 */
function candidateKeys(name: string, resource: string, strict: Strictness = false): string[] {
  const wanted = squash(name);
  const keys = [wanted];
  for (const suffix of ['id', 'name', 'key', 'slug', 'code', 'uuid']) if (wanted.endsWith(suffix)) keys.push(suffix, resource + suffix);
  if (strict === 'record-id') keys.push('id', `${resource}id`, 'uuid');
  else if (!strict) keys.push('id', `${resource}id`, 'name', `${resource}name`, 'key', 'slug', 'code', 'uuid');
  return [...new Set(keys)];
}

/**
 * How far from the parameter's own name a key may be: any of the usual
 * identifier keys (`false`); only the keys its name points to (`true`, for a
 * body the run sent); or those and the keys that name an id and nothing else
 * (`'record-id'`, for the record a create made, which the run will delete: an
 * envelope's `code` or an echoed `name` must not be taken for it).
 */
export type Strictness = boolean | 'record-id';

/** Scalar values of `item` that may name parameter `name`, best first. */
export function identifierCandidates(item: Record<string, unknown>, name: string, resource: string, strict: Strictness = false): string[] {
  const byKey = new Map(Object.keys(item).map((k) => [squash(k), k]));
  const values: string[] = [];
  for (const wanted of candidateKeys(name, resource, strict)) {
    const key = byKey.get(wanted);
    const value = key === undefined ? undefined : item[key];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') values.push(String(value));
  }
  return [...new Set(values)];
}

/** Keys (squashed) a record's own id goes by, besides `<resource>Id`: never a foreign key (`ownerId`) or `key`. */
const OWN_ID_KEYS: ReadonlySet<string> = new Set(['id', 'uuid', 'guid', 'slug', 'documentid', 'publicid', 'externalid']);

/**
 * Whether `key` is one a record's own id goes by, for path parameter `name`
 * of `resource`: the parameter's own name, `<resource>Id`, `id`, `uuid` and
 * the like (OWN_ID_KEYS); never a foreign key such as `parentId` or `ownerId`.
 *
 * @example
 *   isOwnIdKey('regionId', 'id', 'region'); // true
 *   isOwnIdKey('parentId', 'id', 'region'); // false
 */
export function isOwnIdKey(key: string, name: string, resource: string): boolean {
  const wanted = squash(key);
  return OWN_ID_KEYS.has(wanted) || wanted === squash(name) || wanted === `${resource}id` || wanted === `${resource}uuid`;
}

/**
 * The other keys of a create's answer that may be the record's own id, when
 * the run took `taken` for path parameter `name`: `{"id": 9, "documentId":
 * "oe6x…"}` (Strapi routes by `documentId`). Only keys an own id goes by
 * (`id`, `uuid`, `guid`, `slug`, `documentId`, `publicId`, `externalId`,
 * `<resource>Id`), so a foreign key such as `ownerId` does not make a broken
 * read-back a mere doubt; none when the answer holds the parameter's own name
 * (other than the generic `id`) with the value taken: the document pointed to it.
 *
 * @example
 *   otherIdentifierKeys({ id: 9, documentId: 'oe6x', ownerId: 4 }, '9', 'id', 'incident'); // ['documentId']
 *   otherIdentifierKeys({ id: 9, documentId: 'oe6x' }, 'oe6x', 'documentId', 'incident'); // []
 */
export function otherIdentifierKeys(item: unknown, taken: string, name: string, resource: string): string[] {
  if (!isObject(item)) return [];
  const scalar = (value: unknown) => (typeof value === 'string' && value !== '') || typeof value === 'number';
  // `{documentId}` filled from `documentId` is the document's own pointer; `{id}` from `id` is not (Strapi's is `{id}`).
  if (squash(name) !== 'id' && Object.keys(item).some((key) => squash(key) === squash(name) && scalar(item[key]) && String(item[key]) === taken)) return [];
  const own = new Set([...OWN_ID_KEYS, `${resource}id`, `${resource}uuid`]);
  return Object.keys(item).filter((key) => own.has(squash(key)) && scalar(item[key]) && String(item[key]) !== taken);
}

/**
 * The value in `item` that names path parameter `name` of a `resource`, or
 * undefined. `strict`: only keys the parameter's own name points to
 * (`featureName` -> `featureName`, `name`, `featureName`), not the generic
 * `id`/`name`/`key` fallbacks; for a body the run sent, where a `name` is
 * rarely the id.
 *
 * @example
 *   identifierFor({ name: 'dark-mode', description: '…' }, 'featureName', 'feature'); // 'dark-mode'
 */
export function identifierFor(item: unknown, name: string, resource = '', strict: Strictness = false): string | undefined {
  if (!isObject(item)) return undefined;
  return identifierCandidates(item, name, resource, strict)[0];
}
