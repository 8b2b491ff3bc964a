/**
 * A set of record ids compact enough for a million-record export: each id is
 * kept as a 64-bit fingerprint (two 32-bit hashes of different construction)
 * with the line it was first seen on, in an open-addressing table over typed
 * arrays. 12 bytes a slot, at most 3/4 full: 16 to 32 bytes per id (25 at
 * 1,000,000 ids), against ~100 for a `Map<string, number>` of short strings.
 *
 * The price is that two different ids can share a fingerprint, and the second
 * is then reported as a duplicate of the first. With n ids and 64-bit
 * fingerprints the chance that any pair collides is at most n(n-1)/2 / 2^64
 * (the birthday bound): about 3e-8 for 1,000,000 ids, 3e-6 for 10,000,000.
 * It only ever errs that way: a real duplicate always has the same fingerprint,
 * so none is missed.
 *
 * The ids are the supplier's, so both hashes start from a seed drawn at random
 * for each table: a supplier cannot choose ids that all land in one slot (which
 * would make every add walk a chain as long as the table, quadratic in all),
 * nor ids that share a fingerprint. The slot mixes both hashes, so a collision
 * of one construction alone (MurmurHash3 has seed-independent ones) does not
 * make a chain either.
 */
import { randomInt } from 'node:crypto';

export interface IdFingerprints {
  /**
   * Record `id`, first seen on `line`. Returns the line of an earlier record
   * with the same fingerprint (a duplicate), or undefined when it is new; the
   * first line is kept either way.
   */
  add(id: string, line: number): number | undefined;
  has(id: string): boolean;
  /** The line `id` was first seen on (the value given to `add`), or undefined. */
  get(id: string): number | undefined;
  /** Distinct fingerprints held. */
  readonly size: number;
}

const INITIAL_SLOTS = 1024;
/** Grow past this fill: linear probing slows sharply beyond it. */
const MAX_LOAD = 0.75;

/**
 * An empty fingerprint set that grows (by doubling) as ids are added.
 *
 * @example
 *   const ids = createIdFingerprints();
 *   ids.add('PER-1', 1); // undefined: new
 *   ids.add('PER-2', 2); // undefined
 *   ids.add('PER-1', 3); // 1: a duplicate of line 1
 */
export function createIdFingerprints(): IdFingerprints {
  const murmurSeed = randomInt(2 ** 32) | 0;
  const fnvSeed = randomInt(2 ** 32) | 0;
  let mask = INITIAL_SLOTS - 1;
  // Slot i holds fingerprint (high[i], low[i]); (0, 0) marks an empty slot, so no id may hash to it.
  let high = new Uint32Array(INITIAL_SLOTS);
  let low = new Uint32Array(INITIAL_SLOTS);
  let lines = new Uint32Array(INITIAL_SLOTS);
  let size = 0;
  let growAt = Math.floor(INITIAL_SLOTS * MAX_LOAD);

  /** The slot holding the fingerprint, or the empty slot where it belongs. */
  function slotOf(h: number, l: number): number {
    let slot = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
    for (;;) {
      const sh = high[slot] as number;
      const sl = low[slot] as number;
      if ((sh === h && sl === l) || (sh === 0 && sl === 0)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  function grow(): void {
    const oldHigh = high;
    const oldLow = low;
    const oldLines = lines;
    const slots = oldHigh.length * 2;
    mask = slots - 1;
    high = new Uint32Array(slots);
    low = new Uint32Array(slots);
    lines = new Uint32Array(slots);
    growAt = Math.floor(slots * MAX_LOAD);
    for (let i = 0; i < oldHigh.length; i++) {
      const h = oldHigh[i] as number;
      const l = oldLow[i] as number;
      if (h === 0 && l === 0) continue;
      const slot = slotOf(h, l);
      high[slot] = h;
      low[slot] = l;
      lines[slot] = oldLines[i] as number;
    }
  }

  return {
    add(id, line) {
      fingerprint(id, murmurSeed, fnvSeed);
      let slot = slotOf(hashHigh, hashLow);
      if (high[slot] !== 0 || low[slot] !== 0) return lines[slot];
      if (size + 1 > growAt) {
        grow();
        slot = slotOf(hashHigh, hashLow);
      }
      high[slot] = hashHigh;
      low[slot] = hashLow;
      lines[slot] = line;
      size += 1;
      return undefined;
    },
    has(id) {
      fingerprint(id, murmurSeed, fnvSeed);
      const slot = slotOf(hashHigh, hashLow);
      return high[slot] !== 0 || low[slot] !== 0;
    },
    get(id) {
      fingerprint(id, murmurSeed, fnvSeed);
      const slot = slotOf(hashHigh, hashLow);
      return high[slot] !== 0 || low[slot] !== 0 ? lines[slot] : undefined;
    },
    get size() {
      return size;
    },
  };
}

// The last fingerprint computed: two numbers returned without allocating an array per id.
let hashHigh = 0;
let hashLow = 0;

/**
 * Two 32-bit hashes of the id's UTF-16 code units, each finished with
 * MurmurHash3's avalanche so every bit depends on every input bit: `hashLow`
 * is MurmurHash3's block step over pairs of code units, `hashHigh` is FNV-1a
 * over code units. Different constructions, so their collisions are unrelated.
 */
function fingerprint(id: string, murmurSeed: number, fnvSeed: number): void {
  const length = id.length;
  let murmur = murmurSeed;
  let fnv = 0x811c9dc5 ^ fnvSeed;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const a = id.charCodeAt(i);
    const b = id.charCodeAt(i + 1);
    murmur = murmurBlock(murmur, a | (b << 16));
    fnv = Math.imul(fnv ^ a, 0x01000193);
    fnv = Math.imul(fnv ^ b, 0x01000193);
  }
  if (i < length) {
    const a = id.charCodeAt(i);
    let k = Math.imul(a, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    murmur ^= Math.imul(k, 0x1b873593);
    fnv = Math.imul(fnv ^ a, 0x01000193);
  }
  hashLow = avalanche(murmur ^ length);
  hashHigh = avalanche(fnv ^ length);
  if (hashHigh === 0 && hashLow === 0) hashLow = 1; // (0, 0) marks an empty slot
}

function murmurBlock(h: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let next = h ^ k;
  next = (next << 13) | (next >>> 19);
  return (Math.imul(next, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's fmix32, as an unsigned 32-bit number. */
function avalanche(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
