/**
 * A string that matches a schema's `pattern`, for a value the harness has to
 * invent. Without one, `^sha256:[a-f0-9]{64}$` got `example` and the supplier
 * a 422 for the harness's own mistake (seen on GitHub's API description): a
 * warning, and an operation never judged.
 *
 * randexp walks the pattern's syntax tree; its choices are fixed here (the
 * fewest repetitions, the lowest character of each class) so the same document
 * always gets the same value, and a dry run shows what the run sends. Every
 * value is checked against the pattern on the linear engine before use: one
 * randexp reads differently from JavaScript is never sent.
 */
import randexpModule from 'randexp';
import retModule, { types, type Tokens } from 'ret';
import { commonjsDefault } from '../commonjs-default.js';
import { linearPatternTest } from '../schema/regexp-engine.js';

const RandExp = commonjsDefault<typeof import('randexp').default>(randexpModule);
const tokenize = commonjsDefault<(pattern: string) => Tokens>(retModule);

/** Repetitions an unbounded quantifier (`+`, `*`, `{n,}`) may add: randexp's `max`. */
const UNBOUNDED_EXTRA = 32;

/**
 * What `.`, a negated class (`[^/]`) and any class are drawn from: letters and
 * digits first, so no value carries a space or a slash where the pattern lets
 * it choose; then the printable ASCII characters, for a class with neither
 * (`[-_]`, `[+]`).
 */
const CHARACTER_RANGES: ReadonlyArray<ReadonlyArray<[number, number]>> = [
  [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  [[0x21, 0x7e]],
];

/** No generated id needs more: a longer value is a pattern's repetition run away. */
const MAX_LENGTH = 256;

/**
 * A value matching `pattern` within the length bounds, or undefined when none
 * could be made (a pattern randexp or the linear engine cannot read, a
 * backreference, bounds the pattern cannot meet).
 *
 * @example patternSample('^R[0-9]+-[0-9]+$', 0, Infinity) // 'R0-0'
 * @example patternSample('^[A-Z]{2}[0-9]{4}$', 0, Infinity) // 'AA0000'
 */
export function patternSample(pattern: string, minLength: number, maxLength: number): string | undefined {
  // An operation is planned again and again (each wave, each negative case, each lifecycle step): make each value once.
  const key = `${minLength}:${maxLength}:${pattern}`;
  if (made.has(key)) return made.get(key);
  const value = makeSample(pattern, minLength, maxLength);
  // The patterns are the document's: a bounded set, but a huge document should not pin them all.
  if (made.size > 10_000) made.clear();
  made.set(key, value);
  return value;
}

const made = new Map<string, string | undefined>();

function makeSample(pattern: string, minLength: number, maxLength: number): string | undefined {
  const test = linearPatternTest(pattern);
  if (!test) return undefined;
  let tokens: Tokens;
  try {
    tokens = tokenize(pattern);
  } catch {
    return undefined;
  }
  // First the fewest repetitions; then a few more, for a minLength the shortest value does not reach.
  for (const characters of CHARACTER_RANGES) {
    for (const stretch of [0, 8, 32]) {
      // Measured before anything is made: the document is the supplier's, and `^(a{9999}){9999}$` would be 100 million characters.
      if (lengthOf(tokens, stretch, 0) > MAX_LENGTH) continue;
      const value = generate(pattern, stretch, characters);
      if (value === undefined || value.length > MAX_LENGTH) continue;
      const length = [...value].length;
      if (length >= minLength && length <= maxLength && test(value)) return value;
    }
  }
  return undefined;
}

/**
 * The length of the value `generate` makes from the tokens at this stretch:
 * each repetition taken `min + stretch` times (at most its max), the
 * alternative it picks.
 * Infinity for a backreference (its length is its group's) and past a depth
 * no real pattern reaches.
 */
function lengthOf(token: Tokens, stretch: number, depth: number): number {
  if (depth > 64) return Infinity;
  switch (token.type) {
    case types.ROOT:
    case types.GROUP: {
      // The alternative `generate` takes: randInt(0, n - 1), pinned to the stretch.
      const stack = token.options ? token.options[Math.min(token.options.length - 1, stretch)]! : (token.stack ?? []);
      let length = 0;
      for (const inner of stack) length += lengthOf(inner, stretch, depth + 1);
      return length;
    }
    case types.REPETITION: {
      const count = Math.min(token.max === Infinity ? token.min + UNBOUNDED_EXTRA : token.max, token.min + stretch);
      return count === 0 ? 0 : count * lengthOf(token.value, stretch, depth + 1);
    }
    case types.REFERENCE:
      return Infinity;
    case types.POSITION:
      return 0;
    default:
      return 1;
  }
}

function generate(pattern: string, stretch: number, characters: ReadonlyArray<[number, number]>): string | undefined {
  try {
    const generator = new RandExp(pattern);
    generator.max = UNBOUNDED_EXTRA;
    const range = generator.defaultRange;
    range.subtract(0, 0x10ffff);
    for (const [from, to] of characters) range.add(from, to);
    generator.randInt = (from: number, to: number) => Math.min(to, from + stretch);
    return generator.gen();
  } catch {
    return undefined;
  }
}
