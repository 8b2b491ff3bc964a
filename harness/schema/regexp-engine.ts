/**
 * Regular expressions for `pattern` and `patternProperties`.
 *
 * A pattern comes from a profile and the value it tests from a supplier, so
 * neither is trusted. JavaScript's own engine backtracks: `^(a+)+$` against
 * thirty `a`s and a `b` takes minutes, and nothing can interrupt it. So
 * patterns run on RE2 (`re2js`, pure JavaScript, linear in the length of the
 * value whatever the pattern), except that values of at most NATIVE_MAX_LENGTH
 * characters use JavaScript's engine when the pattern's shape bounds its
 * backtracking (RE2JS costs some ten times more per test). JavaScript spellings RE2 does not know
 * (`\uXXXX`, `\cJ`, `[^]`, `(?<name>…)`) are translated first, `\s`, `\S`, `.` and
 * character classes are spelled as ECMA-262 reads them (`withEcmaClasses`), what RE2
 * would read otherwise (`\k<name>`, `\A` without `u`) is not run on it, and captureless
 * lookbehinds are allowed (RE2JS runs them in linear time too).
 *
 * Two shapes need a backtracking engine and are read differently:
 * - leading lookaheads, as in password rules (`^(?=.*\d)(?=.*[A-Z]).{8,}$`):
 *   each lookahead is tested on its own, anchored at the start, and must match
 *   (or, for `(?!…)`, must not), as must the rest: the same meaning, all linear;
 * - anything else RE2 refuses (backreferences, lookaheads elsewhere) is not
 *   run at all: the translation drops the pattern with a warning, as it does a
 *   pattern JavaScript itself cannot read. A check that a hostile value could
 *   stall for minutes is worse than one that says it was not made.
 *
 * Ajv compiles with the `u` flag, which rejects patterns profiles often contain
 * and JavaScript otherwise reads fine (`[\w-.]`, `\-` outside a class); such
 * patterns are usable when either JavaScript reading accepts them.
 */
import { RE2JS } from 're2js';
import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js';

/**
 * Whether JavaScript can compile the pattern in either reading.
 * @example isUsablePattern('^[\\w-.]+$') // true (non-Unicode reading)
 * @example isUsablePattern('(?<!x') // false
 */
export function isUsablePattern(pattern: string): boolean {
  return compilePattern(pattern, 'u') !== undefined;
}

/**
 * A test of text against a document's pattern in linear time, or undefined
 * when only a backtracking engine could run it (or it does not compile).
 * For every pattern a supplier wrote that the harness runs outside Ajv: a
 * pattern like `^(a+)+$` against a value from the same supplier would stall
 * JavaScript's engine for hours.
 * @example linearPatternTest('^R[0-9]+$')?.('R12') // true
 */
export function linearPatternTest(pattern: string): ((text: string) => boolean) | undefined {
  const tester = linearTester(pattern);
  return tester && ((text) => tester.test(text));
}

/**
 * Whether the pattern can be run in linear time (RE2, or leading lookaheads
 * split into RE2 parts). Patterns that cannot are not checked.
 * @example isLinearPattern('^(a+)+$') // true: RE2 runs it in linear time
 * @example isLinearPattern('^(\\w)\\1$') // false: a backreference
 */
export function isLinearPattern(pattern: string): boolean {
  return linearTester(pattern) !== undefined;
}

/**
 * Why a pattern cannot be run in linear time, for the warning that says it is
 * not checked: what in it the harness's RE2 cannot read.
 * @example whyNotLinear('^(\\w)\\1$') // 'a backreference (`\\1`)'
 * @example whyNotLinear('^[a-z]{1,2048}$') // 'a repeat count over 1,000 (`{1,2048}`), more than RE2 runs'
 */
export function whyNotLinear(pattern: string): string {
  if (pattern.includes('\\k<')) return 'a named backreference (`\\k<…>`)';
  if (compilePattern(pattern, 'u')?.unicode !== true) {
    const letters = /\\[AzZQEapPC]|\\u\{/.exec(pattern);
    // Read without `u`, `\A` is the letter A; RE2 would read an anchor (or `\p{…}` a class): the two readings differ.
    if (letters) return `\`${letters[0]}\`, which JavaScript reads as a letter here (the pattern is not valid with the u flag) and RE2 as an anchor, a class or a quote`;
  }
  try {
    RE2JS.compile(RE2JS.translateRegExp(withEcmaClasses(pattern)), RE2JS.LOOKBEHINDS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const quoted = /`([^`]*)`/.exec(message)?.[1];
    const what = quoted === undefined ? '' : ` (\`${quoted}\`)`;
    if (/invalid repeat count/.test(message)) return `a repeat count over 1,000${what}, more than RE2 runs`;
    if (/invalid escape sequence: `\\[1-9]/.test(message)) return `a backreference${what}`;
    if (/Perl syntax: `\(\?[=!]/.test(message)) return `a lookahead other than leading ones${what}`;
    return `what RE2 does not read${what}`;
  }
  return 'a lookahead other than leading ones';
}

function compilePattern(pattern: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    try {
      return new RegExp(pattern, flags.replace('u', ''));
    } catch {
      return undefined;
    }
  }
}

/**
 * Values up to this long are tested with JavaScript's own engine when the
 * pattern's shape bounds its backtracking (see `boundedBacktracking`): it is
 * about ten times faster than RE2JS on the short ids and codes patterns
 * usually guard, and at this length its worst case is a few hundred thousand
 * steps. Longer values always go to RE2.
 */
export const NATIVE_MAX_LENGTH = 64;

/** A compiled pattern as Ajv uses it: `test` and a `toString` that keys Ajv's cache. */
class LinearPattern implements RegExpLike {
  constructor(
    private readonly source: string,
    private readonly parts: ReadonlyArray<{ re: RE2JS; negated: boolean }>,
    private readonly native: RegExp | undefined,
  ) {}

  test(value: string): boolean {
    if (this.native && value.length <= NATIVE_MAX_LENGTH) return this.native.test(value);
    for (const { re, negated } of this.parts) if (re.test(value) === negated) return false;
    return true;
  }

  toString(): string {
    return `re2:${this.source}`;
  }
}

const cache = new Map<string, LinearPattern | null>();

/** The linear-time tester for a pattern, or undefined when only a backtracking engine could run it. */
function linearTester(pattern: string): LinearPattern | undefined {
  let found = cache.get(pattern);
  if (found === undefined) {
    found = buildTester(pattern) ?? null;
    // Patterns are the profile's: a bounded set, but a huge profile should not pin them all.
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, found);
  }
  return found ?? undefined;
}

function buildTester(pattern: string): LinearPattern | undefined {
  const whole = re2(pattern);
  if (whole) return new LinearPattern(pattern, [{ re: whole, negated: false }], boundedBacktracking(pattern) ? compilePattern(pattern, 'u') : undefined);
  const split = splitLeadingLookaheads(pattern);
  if (!split) return undefined;
  const parts: Array<{ re: RE2JS; negated: boolean }> = [];
  for (const { body, negated } of split.lookaheads) {
    const re = re2(`^(?:${body})`);
    if (!re) return undefined;
    parts.push({ re, negated });
  }
  const rest = re2(`^(?:${split.rest})`);
  if (!rest) return undefined;
  parts.push({ re: rest, negated: false });
  return new LinearPattern(pattern, parts, undefined);
}

/**
 * Whether JavaScript's backtracking engine is bounded on this pattern to a
 * low power of the value's length: no quantifier applies to a group holding a
 * quantified group, a variable quantifier or an alternation (the `(a+)+`,
 * `(a{0,16}){8}` and `(a|a)*` shapes, exponential), at most three quantifiers
 * are variable (`?`, `*`, `+`, `{n,m}` with m > n, `{n,}`: eight `a{0,16}` in a
 * row take a minute on 64 characters) and at most two unbounded (`*`, `+`,
 * `{n,}`, or a range wider than 16), and no backreference or lookaround.
 * Conservative: it may refuse a safe pattern (which then runs on RE2), never
 * accept an unsafe one.
 * @example boundedBacktracking('^R[0-9]+-[0-9]+$') // true
 * @example boundedBacktracking('^(a+)+$') // false
 */
export function boundedBacktracking(pattern: string): boolean {
  // Per open group: does it hold a quantifier or an alternation?
  const groups: boolean[] = [];
  let unbounded = 0;
  let variable = 0;
  let lastGroupRisky = false;
  let afterGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    let quantifier: 'fixed' | 'bounded' | 'unbounded' | undefined;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9k]/.test(next)) return false;
      i++;
    } else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') {
      if (pattern[i + 1] === '?' && pattern[i + 2] !== ':') return false;
      // `(?:` opens a group; its `?` is no quantifier.
      if (pattern[i + 1] === '?') i += 2;
      groups.push(false);
      afterGroup = false;
      continue;
    } else if (c === ')') {
      lastGroupRisky = groups.pop() ?? false;
      afterGroup = true;
      continue;
    } else if (c === '|') {
      if (groups.length > 0) groups[groups.length - 1] = true;
    } else if (c === '*' || c === '+') {
      quantifier = 'unbounded';
    } else if (c === '?') {
      quantifier = 'bounded';
    } else if (c === '{') {
      const range = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (range) {
        i += range[0].length - 1;
        const wide = range[2] !== undefined && (range[3] === '' || Number(range[3]) - Number(range[1]) > 16);
        const fixed = range[2] === undefined || Number(range[3]) === Number(range[1]);
        quantifier = wide ? 'unbounded' : fixed ? 'fixed' : 'bounded';
      }
    }
    if (quantifier) {
      // A lazy or possessive mark after a quantifier is not a second quantifier.
      if (pattern[i + 1] === '?') i++;
      if (afterGroup && lastGroupRisky) return false;
      // Each variable quantifier is a choice the engine may revisit: their number is the power of the length.
      if (quantifier !== 'fixed' && ++variable > 3) return false;
      if (quantifier === 'unbounded' && ++unbounded > 2) return false;
      // A group holding a variable quantifier, or a quantified group, must not be quantified itself.
      if ((afterGroup || quantifier !== 'fixed') && groups.length > 0) groups.fill(true);
    }
    afterGroup = false;
  }
  return true;
}

function re2(pattern: string): RE2JS | undefined {
  // A named backreference, which RE2 would read as the letters `k<name>` (third review: a false fail).
  if (pattern.includes('\\k<')) return undefined;
  // Read without `u` (the Unicode reading refuses it), `\A`, `\z`, `\pL`, `\u{41}`... are letters; RE2 reads anchors and classes.
  if (compilePattern(pattern, 'u')?.unicode !== true && /\\[AzZQEapPC]|\\u\{/.test(pattern)) return undefined;
  try {
    return RE2JS.compile(RE2JS.translateRegExp(withEcmaClasses(pattern)), RE2JS.LOOKBEHINDS);
  } catch {
    return undefined;
  }
}

/** What ECMA-262's `\s` matches (WhiteSpace and LineTerminator): RE2's is `[\t\n\f\r ]` alone. */
const ECMA_SPACE = '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** Every code point `ECMA_SPACE` leaves out, as ranges for inside a class (`[\S-]`). */
const ECMA_NOT_SPACE =
  '\\u0000-\\u0008\\u000e-\\u001f\\u0021-\\u009f\\u00a1-\\u167f\\u1681-\\u1fff\\u200b-\\u2027\\u202a-\\u202e\\u2030-\\u205e\\u2060-\\u2fff\\u3001-\\ufefe\\uff00-\\u{10ffff}';
/** What ECMA-262's `.` matches without the `s` flag: anything but a LineTerminator (RE2's leaves out `\n` alone). */
const ECMA_DOT = '[^\\n\\r\\u2028\\u2029]';

/**
 * The pattern with `\s`, `\S` and `.` spelled out as ECMA-262 reads them, for
 * RE2: a `pattern` is an ECMA-262 regular expression (OpenAPI 3.0 Schema
 * Object, JSON Schema 2020-12 6.3.3), and RE2's `\s` misses U+00A0 and the
 * other Unicode spaces, its `.` matches `\r`. Values up to NATIVE_MAX_LENGTH
 * run on JavaScript's engine, so without this a note with a no-break space
 * passed at 27 characters and failed `^[\w\s.,'-]+$` at 77.
 *
 * @example withEcmaClasses('^\\s*$') // '^[\\t\\n\\u000b…\\ufeff]*$'
 */
export function withEcmaClasses(written: string): string {
  // An escaped surrogate pair is one code point (`\uD83D\uDE00` is 😀): RE2 would read two halves.
  const pattern = written.replace(/\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})/gi, (_pair, high: string, low: string) => {
    const codePoint = (Number.parseInt(high, 16) - 0xd800) * 0x400 + (Number.parseInt(low, 16) - 0xdc00) + 0x10000;
    return `\\u{${codePoint.toString(16)}}`;
  });
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      i++;
      out += next === 's' ? `[${ECMA_SPACE}]` : next === 'S' ? `[^${ECMA_SPACE}]` : c + next;
    } else if (c === '[') {
      const end = classEnd(pattern, i);
      out += end === undefined ? pattern.slice(i) : ecmaClass(pattern.slice(i, end + 1));
      i = end ?? pattern.length;
    } else out += c === '.' ? ECMA_DOT : c;
  }
  return out;
}

/** The index of the `]` closing the class opened at `open`; a `]` first (`[]`, `[^]`) closes it, as ECMA-262 reads it. */
function classEnd(pattern: string, open: number): number | undefined {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return undefined;
}

/** One atom of a class: a class escape (`\s`, `\w`), a character as RE2 may read it, or an unescaped `-`. */
type ClassAtom = { kind: 'set' | 'char' | 'dash'; text: string };

/**
 * A whole class (`[...]`) with `\s` and `\S` spelled out, read as ECMA-262's
 * Annex B reads it: `X-Y` is a range, but where X or Y is a class escape the
 * `-` is a literal (`[\w\s-.]`, `[\s-a-z]` is whitespace, `-`, `a`, `-`, `z`;
 * RE2 would read ranges). Every literal `-` and `[` is written escaped, so that
 * spelling `\s` out cannot make a range, nor `[[:alpha:]]` a POSIX class. A
 * class with no class escape and no `[` is left as it is.
 */
function ecmaClass(whole: string): string {
  const negated = whole[1] === '^';
  const body = whole.slice(negated ? 2 : 1, -1);
  const atoms: ClassAtom[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      i++;
      atoms.push({ kind: 'dDsSwW'.includes(next) && next !== '' ? 'set' : 'char', text: `\\${next}` });
      // `\uXXXX`, `\u{…}`, `\xXX`, `\cX`: the rest of the escape belongs to the same atom.
      const rest = next === 'u' ? /^(\{[0-9A-Fa-f]+\}|[0-9A-Fa-f]{4})/.exec(body.slice(i + 1)) : next === 'x' ? /^[0-9A-Fa-f]{2}/.exec(body.slice(i + 1)) : next === 'c' ? /^[A-Za-z]/.exec(body.slice(i + 1)) : null;
      if (rest) {
        atoms[atoms.length - 1]!.text += rest[0];
        i += rest[0].length;
      }
    } else if (c === '-') atoms.push({ kind: 'dash', text: '-' });
    else if (/[\uD800-\uDBFF]/.test(c) && /[\uDC00-\uDFFF]/.test(body[i + 1] ?? '')) atoms.push({ kind: 'char', text: c + body[++i]! });
    else atoms.push({ kind: 'char', text: '[^'.includes(c) ? `\\${c}` : c });
  }
  // Only a class with a class escape (whose `-` neighbours are literals) or a `[` (RE2 reads `[[:alpha:]]` as POSIX) needs it.
  if (!atoms.some((atom) => atom.kind === 'set' || atom.text === '\\[')) return whole;
  const write = (atom: ClassAtom) => (atom.kind === 'dash' ? '\\-' : atom.text === '\\s' ? ECMA_SPACE : atom.text === '\\S' ? ECMA_NOT_SPACE : atom.text);
  let out = '';
  for (let i = 0; i < atoms.length; i++) {
    const from = atoms[i]!;
    const to = atoms[i + 2];
    if (atoms[i + 1]?.kind === 'dash' && to !== undefined) {
      // A range, but for a class escape at either end (Annex B): then each of the three is itself.
      out += from.kind === 'set' || to.kind === 'set' ? `${write(from)}\\-${write(to)}` : `${write(from)}-${write(to)}`;
      i += 2;
    } else out += write(from);
  }
  return `[${negated ? '^' : ''}${out}]`;
}

/**
 * `^(?=A)(?!B)C` -> lookaheads [A, !B] and rest `C`: only for lookaheads right
 * after a leading `^`, where "matches at the start" is all they can mean.
 * Undefined for any other shape.
 */
export function splitLeadingLookaheads(pattern: string): { lookaheads: Array<{ body: string; negated: boolean }>; rest: string } | undefined {
  if (!pattern.startsWith('^')) return undefined;
  let at = 1;
  const lookaheads: Array<{ body: string; negated: boolean }> = [];
  while (pattern.startsWith('(?=', at) || pattern.startsWith('(?!', at)) {
    const end = closingParen(pattern, at);
    if (end === undefined) return undefined;
    lookaheads.push({ body: pattern.slice(at + 3, end), negated: pattern[at + 2] === '!' });
    at = end + 1;
  }
  return lookaheads.length > 0 ? { lookaheads, rest: pattern.slice(at) } : undefined;
}

/** Index of the `)` closing the group opened at `open`, skipping escapes and character classes. */
function closingParen(pattern: string, open: number): number | undefined {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return undefined;
}

/**
 * Ajv `code.regExp` engine: linear-time testers. The translation has already
 * dropped every pattern that has none, so reaching the throw means a pattern
 * arrived by another road (e.g. a `$data` pattern, which profiles never use).
 * @example new Ajv({code: {regExp: linearRegExp}})
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, _flags: string): RegExpLike => {
    const tester = linearTester(pattern);
    if (!tester) {
      throw new Error(
        compilePattern(pattern, 'u')
          ? `pattern ${JSON.stringify(pattern)} needs a backtracking regular expression engine, which a hostile value could stall`
          : `pattern ${JSON.stringify(pattern)} is not a valid regular expression`,
      );
    }
    return tester;
  },
  { code: 'interopHarnessRegExp' },
);
