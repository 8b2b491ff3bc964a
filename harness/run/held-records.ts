import { resourceName } from '../plan/value-harvest.js';

/**
 * The records the run's creates were given, for the whole run: a create
 * answered with one of them may not have made it. NocoDB answers two creates
 * sent together, to a table and to its grid view, with the second row's id;
 * taking it for both, the run deleted the row twice over, the second time
 * after someone else's new row had taken the freed id.
 */
export interface HeldRecord {
  collection: string;
  id: string;
  /** When the run removed it (`performance.now()`); absent while it holds it. */
  releasedAt?: number;
}

export class HeldRecords {
  private readonly records: HeldRecord[] = [];

  /**
   * The earlier record a create sent at `sentAt` to `collection` (a path
   * template) and answered with `id` may be: the same resource (a table and
   * its view, `/Books` and `/Books/views/Books`, share one; `/admin/keys` and
   * `/public/keys` do not), held still, or removed only after this create was
   * sent (an id freed later is no id this create could have been given).
   */
  clash(collection: string, id: string, sentAt: number): HeldRecord | undefined {
    return this.records.find((held) => held.id === id && sameResource(held.collection, collection) && (held.releasedAt === undefined || sentAt < held.releasedAt));
  }

  hold(collection: string, id: string): HeldRecord {
    const held: HeldRecord = { collection, id };
    this.records.push(held);
    return held;
  }

  release(held: HeldRecord): void {
    held.releasedAt ??= performance.now();
  }
}

/** One collection's template is the other's, or lies under it, and both name the same resource. */
function sameResource(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return resourceName(a) === resourceName(b) && (short === long || long.startsWith(`${short.replace(/\/+$/, '')}/`));
}
