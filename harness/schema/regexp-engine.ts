/**
 * Regular expressions for `pattern` and `patternProperties`. Ajv compiles them
 * with the `u` flag, which rejects patterns profiles often contain and that
 * JavaScript otherwise reads fine (`[\w-.]`, `\-` outside a class). A refused
 * pattern would make the whole schema uncompilable, so such patterns fall back
 * to the non-Unicode reading; patterns no reading accepts are dropped by the
 * translation with a warning instead.
 */
import type { RegExpEngine } from 'ajv/dist/types/index.js';

/**
 * Whether JavaScript can compile the pattern in either reading.
 * @example isUsablePattern('^[\\w-.]+$') // true (non-Unicode reading)
 * @example isUsablePattern('(?<!x') // false
 */
export function isUsablePattern(pattern: string): boolean {
  return compilePattern(pattern, 'u') !== undefined;
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
 * Ajv `code.regExp` engine: the Unicode reading when valid, else the plain one.
 * @example new Ajv({code: {regExp: lenientRegExp}})
 */
export const lenientRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => {
    const re = compilePattern(pattern, flags);
    if (!re) throw new Error(`pattern ${JSON.stringify(pattern)} is not a valid regular expression`);
    return re;
  },
  { code: 'interopHarnessRegExp' },
);
