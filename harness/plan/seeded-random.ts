/**
 * A small seeded pseudo-random generator (mulberry32), so a run with the same
 * `--seed` picks the same negative cases. Never `Math.random`: a finding that
 * cannot be repeated cannot be argued about.
 */

/** A generator of floats in [0, 1), fixed by its seed. */
export type Random = () => number;

/**
 * @example
 *   const random = createRandom(42); random(); // 0.6011… every time
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed for one key (an operationId) under the run's seed: FNV-1a over the
 * key, mixed with the seed, so adding an operation to a profile does not
 * change the cases chosen for the others.
 */
export function seedFor(seed: number, key: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A shuffled copy (Fisher-Yates), the same for the same generator state. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
