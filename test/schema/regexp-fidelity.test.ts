// The third review round's cases: RE2 must read a document's pattern as JavaScript does, or not run it.
import t from 'tap';
import fc from 'fast-check';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { isLinearPattern, linearPatternTest, NATIVE_MAX_LENGTH } from '../../harness/schema/regexp-engine.js';
import { docWithSchema, makeProfile, THINGS } from '../schema/make-profile.js';

const compile = (schema: unknown) => compileValidators(makeProfile(docWithSchema(schema, {}, '3.1.0')), { timeoutMs: 2000 });
/** As the harness reads a pattern: with `u`, else without. */
const js = (pattern: string): RegExp => {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
};
/** The harness's verdict through Ajv (true = valid) against JavaScript's. */
const verdicts = (pattern: string, value: string) => ({ harness: compile({ type: 'string', pattern }).validate(THINGS, value).length === 0, javascript: js(pattern).test(value) });

t.test('a - beside \\w or \\d in a class is a literal on RE2 too (Annex B), as beside \\s', async (t) => {
  // JavaScript (non-u): [\w--9] is \w, "-", "-", "9"; [\w-.-~] is \w, "-", ".", "-", "~". RE2 reads --9 / .-~ as ranges.
  const long = 'a'.repeat(NATIVE_MAX_LENGTH + 1);
  t.same(verdicts('^[\\w--9]+$', `${long}.`), { harness: false, javascript: false }, '"." is not in [\\w--9] (JS)');
  t.same(verdicts('^[\\w-.-~]+$', `${long}@`), { harness: false, javascript: false }, '"@" is not in [\\w-.-~] (JS)');
  // The same class with \s added is parsed by ecmaClass and agrees:
  t.same(verdicts('^[\\w\\s--9]+$', `${long}.`), { harness: false, javascript: false }, 'with \\s the class is parsed and agrees');
});

t.test('every class RE2 runs agrees with JavaScript past NATIVE_MAX_LENGTH (property)', async (t) => {
  const atoms = ['a', 'z', '0', '9', '.', '%', '~', '@', '-', '-', '\\w', '\\d', '\\W', '\\D', '\\s', '\\-', '\\.'];
  const chars = ['a', 'z', '0', '5', '9', '.', '%', '~', '@', '-', '/', ' ', '\u00a0', '&', 'A', '_'];
  let failure: string | undefined;
  try {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 6 }), fc.constantFrom(...chars), (body, c) => {
        const pattern = `^[${body.join('')}]+$`;
        let re: RegExp;
        try {
          re = js(pattern);
        } catch {
          return true;
        }
        const test = linearPatternTest(pattern);
        if (!test || !re.test('a')) return true;
        const value = 'a'.repeat(NATIVE_MAX_LENGTH + 1) + c;
        return test(value) === re.test(value);
      }),
      { numRuns: 5000, seed: 1 },
    );
  } catch (e) {
    failure = (e as Error).message.split('\n').slice(0, 3).join(' | ');
  }
  t.equal(failure, undefined, 'no counterexample');
});

t.test('what RE2 would read otherwise than JavaScript is not run on it: named backreferences, and RE2-only escapes read without u', async (t) => {
  // Third review: \k<c> became the letters k<c>; \A, \z, \pL, \a and [[:alpha:]] flipped past 64 characters.
  for (const pattern of ['^(?<c>[a-z])\\k<c>$', '\\A[a-z]+\\z', '^\\pL+$', '^\\a+$']) t.equal(isLinearPattern(pattern), false, `${pattern} is not checked (a warning says so)`);
  const lower = 'abc'.repeat(30);
  t.same(verdicts('^[[:alpha:]]+$', lower), { harness: false, javascript: false }, 'JavaScript reads [[:alpha:] then a literal ]');
  t.same(verdicts('^[[:alpha:]]+$', `a${']'.repeat(70)}`), { harness: true, javascript: true }, 'one of [:alph, then ] repeated');
});

t.test('an escaped surrogate pair is one code point on RE2 too', async (t) => {
  const long = '\u{1F600}'.repeat(40);
  t.same(verdicts('^\\uD83D\\uDE00+$', long), { harness: true, javascript: true });
  t.same(verdicts('^[\\uD83D\\uDE00\\s]+$', long), { harness: true, javascript: true });
  t.same(verdicts('^[\\uD83D\\uDE00\\s]+$', '\uD83D'.repeat(70)), { harness: false, javascript: false }, 'a lone high surrogate is not 😀');
});
