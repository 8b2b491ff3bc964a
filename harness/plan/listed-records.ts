import { identifierCandidates, listedResourceName, listItems, listsOfResource } from './value-harvest.js';

/**
 * The records the supplier's lists showed before the run wrote anything
 * (--allow-writes). A create whose answer names one of them named a record
 * that was already there: an "already exists" sent as 201, an upsert, a
 * supplier answering with the wrong record. The run must never update or
 * delete it, since it may be someone else's; a 201 alone cannot tell.
 *
 * Only what a list showed counts: a record no list reached (past the first
 * page, or in a collection the document cannot list) is not known. A list
 * longer than the run keeps is different: it did show the record, the run
 * just did not keep it, so an id it may have held is not taken as new.
 */
export interface ListedRecords {
  /** Remember the items of a list answered at this concrete path. Call only before the run's first write. */
  record(concretePath: string, body: unknown): void;
  /**
   * A list answered at this concrete path whose body was not read whole (cut
   * at --max-body, past --max-json-values, or cut short after its headers by
   * the deadline or a reset): it may have shown any record,
   * so its path counts as kept in part. Call only before the run's first write.
   */
  recordUnread(concretePath: string): void;
  /**
   * The list that showed an item named `id` by path parameter `name` (by the
   * keys a create's record id is read by: the parameter's own, `id`,
   * `<resource>Id`, `uuid`), or, when none of the lists asked shows it but
   * one of them held more items than the run keeps, that one (`keptInPart`),
   * else undefined. A collection under a parent (`/orgs/2/things`) asks only
   * its own list: children are often numbered per parent, so thing 1 of org 1
   * says nothing of thing 1 of org 2.
   */
  listedAt(collectionPath: string, name: string, id: string, underParent: boolean): Listing | undefined;
}

/** Where a list showed a record before the run wrote anything, or may have: see `ListedRecords.listedAt`. */
export interface Listing {
  /** The concrete path of the list (`/things`). */
  path: string;
  /**
   * The record is not among the items kept, but the list may have shown it:
   * it held more items than the run keeps (`items`), or its body was too
   * large to read whole (`body`: --max-body, --max-json-values).
   */
  keptInPart?: 'items' | 'body';
}

/** Items remembered per list path, and in all: bounded whatever the supplier sends. */
export const ITEMS_PER_LIST = 1000;
export const ITEMS_IN_ALL = 20_000;

/**
 * @example
 *   const listed = createListedRecords();
 *   listed.record('/things', { data: [{ id: 7, name: 'seed' }] });
 *   listed.listedAt('/things', 'thingId', '7', false); // { path: '/things' }
 *   listed.listedAt('/things', 'thingId', '8', false); // undefined
 */
export function createListedRecords(): ListedRecords {
  const lists = new Map<string, Array<Record<string, string | number>>>();
  /** Lists that held more items than were kept, and why. */
  const keptInPart = new Map<string, 'items' | 'body'>();
  let kept = 0;
  return {
    record(concretePath, body) {
      const list = lists.get(concretePath) ?? [];
      const room = Math.min(ITEMS_PER_LIST - list.length, ITEMS_IN_ALL - kept);
      // One more than there is room for: whether the list held more than is kept.
      const items = listItems(body, room + 1);
      if (!items) return;
      if (items.length > room) {
        keptInPart.set(concretePath, keptInPart.get(concretePath) ?? 'items');
        items.length = room;
      }
      // Top-level scalars only: what an id is read from, without keeping the whole body alive.
      for (const item of items) list.push(scalarFields(item));
      kept += items.length;
      lists.set(concretePath, list);
    },
    recordUnread(concretePath) {
      keptInPart.set(concretePath, 'body');
      if (!lists.has(concretePath)) lists.set(concretePath, []);
    },
    listedAt(collectionPath, name, id, underParent) {
      // The harvest's name: lists are picked by it, so the ids they hold are read by it too (`/users:list` lists users).
      const resource = listedResourceName(collectionPath);
      const own = lists.get(collectionPath);
      const candidates: Array<[string, Array<Record<string, string | number>>]> = underParent ? (own ? [[collectionPath, own]] : []) : [...listsOfResource(lists, collectionPath, name)];
      for (const [path, list] of candidates) {
        if (list.some((item) => identifierCandidates(item, name, resource, 'record-id').includes(id))) return { path };
      }
      const partial = candidates.find(([path]) => keptInPart.has(path));
      return partial && { path: partial[0], keptInPart: keptInPart.get(partial[0])! };
    },
  };
}

/** No id is this long; a longer string is a description, not worth keeping to the end of the run. */
const MAX_ID_LENGTH = 256;

function scalarFields(item: Record<string, unknown>): Record<string, string | number> {
  const scalars: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === 'number' || (typeof value === 'string' && value.length <= MAX_ID_LENGTH)) scalars[key] = value;
  }
  return scalars;
}
