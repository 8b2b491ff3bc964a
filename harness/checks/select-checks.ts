import { HarnessError } from '../errors.js';
import type { Check } from './check.js';

/**
 * Narrow a check list by `--checks` and `--skip-checks`, each a list of IDs or
 * globs (`*` any run of characters, `?` one). A pattern that matches no known
 * check is a usage error: a typo must not silently run nothing.
 *
 * @example
 *   selectChecks(CHECKS, { include: ['response-*'], exclude: ['response-headers'] }) // [responseSchema]
 */
export function selectChecks<C extends Check>(
  available: readonly C[],
  patterns: { include?: string[]; exclude?: string[] },
): C[] {
  const ids = available.map((c) => c.id);
  const compile = (flag: string, list: string[] | undefined) =>
    (list ?? []).map((pattern) => {
      const regex = globToRegExp(pattern);
      if (!ids.some((id) => regex.test(id))) {
        throw new HarnessError('USAGE', `${flag} ${pattern} matches no check; known checks: ${ids.join(', ')}`);
      }
      return regex;
    });
  const include = compile('--checks', patterns.include);
  const exclude = compile('--skip-checks', patterns.exclude);
  return available.filter(
    (c) => (include.length === 0 || include.some((r) => r.test(c.id))) && !exclude.some((r) => r.test(c.id)),
  );
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
