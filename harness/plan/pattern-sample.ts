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
import { linearPatternTest } from '../schema/regexp-engine.js';

type RandExpClass = typeof import('randexp').default;
// randexp is CommonJS (module.exports = RandExp), while its typings describe `{default: RandExp}`.
const RandExp: RandExpClass = typeof randexpModule === 'function' ? (randexpModule as RandExpClass) : (randexpModule as unknown as { default: RandExpClass }).default;

/** Letters and digits: what `.` and a negated class (`[^/]`) are drawn from, so no value carries a space or a slash. */
const SAFE_CHARACTERS: ReadonlyArray<[number, number]> = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
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
  const test = linearPatternTest(pattern);
  if (!test) return undefined;
  // First the fewest repetitions; then a few more, for a minLength the shortest value does not reach.
  for (const stretch of [0, 8, 32]) {
    const value = generate(pattern, stretch);
    if (value === undefined || value.length > MAX_LENGTH) continue;
    const length = [...value].length;
    if (length >= minLength && length <= maxLength && test(value)) return value;
  }
  return undefined;
}

function generate(pattern: string, stretch: number): string | undefined {
  try {
    const generator = new RandExp(pattern);
    generator.max = 32;
    const range = generator.defaultRange;
    range.subtract(0, 0x10ffff);
    for (const [from, to] of SAFE_CHARACTERS) range.add(from, to);
    generator.randInt = (from: number, to: number) => Math.min(to, from + stretch);
    return generator.gen();
  } catch {
    return undefined;
  }
}
