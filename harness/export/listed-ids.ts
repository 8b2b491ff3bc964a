/**
 * The ids a list endpoint returned, held compactly enough to walk a
 * collection of millions and match an export against it in flat memory: a
 * seeded fingerprint per id (see `id-fingerprints.ts`) with its position in
 * the listing, the first `MAX_KEPT_CHARS` characters of each id to name the
 * ones the export lacks, and, per id, the export line it was first seen on.
 * About 40 bytes per id for short ids (25 for the fingerprint, 8 for the
 * positions, the id's UTF-8 bytes), whatever the size of the records;
 * never the ids' whole text when a supplier sends enormous ones.
 */
import { createIdFingerprints, type IdFingerprints } from './id-fingerprints.js';

/** Characters of each listed id kept to name it in a message; the fingerprint covers the whole id. */
export const MAX_KEPT_CHARS = 64;

export interface ListedIds {
  /** Add an id in listing order; an id listed twice is kept once. */
  add(id: string): void;
  /** Distinct ids listed. */
  readonly size: number;
  /** The id at a listing position (cut to MAX_KEPT_CHARS). */
  at(index: number): string | undefined;
  /**
   * An exported id, on `line`: whether the listing has it, and the line it
   * was first exported on when this is not the first time.
   */
  see(id: string, line: number): { listed: boolean; firstLine?: number };
  /** Listed ids not seen in the export: how many, and the first `limit` of them. */
  unseen(limit: number): { count: number; samples: string[] };
}

/**
 * @example
 *   const listed = createListedIds();
 *   listed.add('PER-1'); listed.add('PER-2');
 *   listed.see('PER-1', 1); // { listed: true }
 *   listed.see('PER-1', 7); // { listed: true, firstLine: 1 }
 *   listed.unseen(5); // { count: 1, samples: ['PER-2'] }
 */
export function createListedIds(): ListedIds {
  // fingerprint -> 1 + position in the listing (0 is "absent" nowhere: lines start at 1).
  const positions: IdFingerprints = createIdFingerprints();
  // Kept text: every id's prefix as UTF-8, one after another (ids are mostly ASCII: a byte a character).
  let text = Buffer.alloc(4096);
  let textLength = 0;
  let starts = new Uint32Array(1024);
  // Per position: the export line the id was first seen on (0: not yet).
  let exportLines = new Uint32Array(1024);
  let size = 0;

  const grow = <T extends Buffer | Uint32Array>(array: T, needed: number, make: (length: number) => T): T => {
    if (needed <= array.length) return array;
    let length = array.length * 2;
    while (length < needed) length *= 2;
    const bigger = make(length);
    bigger.set(array);
    return bigger;
  };
  const words = (length: number) => new Uint32Array(length);

  return {
    add(id) {
      if (positions.add(id, size + 1) !== undefined) return;
      const kept = id.length > MAX_KEPT_CHARS ? id.slice(0, MAX_KEPT_CHARS) : id;
      starts = grow(starts, size + 2, words);
      exportLines = grow(exportLines, size + 1, words);
      // At most three UTF-8 bytes per UTF-16 code unit.
      text = grow(text, textLength + kept.length * 3, (length) => Buffer.alloc(length));
      textLength += text.write(kept, textLength, 'utf8');
      size += 1;
      starts[size] = textLength;
    },
    get size() {
      return size;
    },
    at(index) {
      if (index < 0 || index >= size) return undefined;
      return text.toString('utf8', starts[index], starts[index + 1]);
    },
    see(id, line) {
      const position = positions.get(id);
      if (position === undefined) return { listed: false };
      const first = exportLines[position - 1]!;
      if (first !== 0) return { listed: true, firstLine: first };
      exportLines[position - 1] = line;
      return { listed: true };
    },
    unseen(limit) {
      let count = 0;
      const samples: string[] = [];
      for (let i = 0; i < size; i++) {
        if (exportLines[i] !== 0) continue;
        count += 1;
        if (samples.length < limit) samples.push(this.at(i)!);
      }
      return { count, samples };
    },
  };
}
