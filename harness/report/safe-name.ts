/**
 * File and folder names made from text the harness does not control: a
 * profile's `x-interop.id`, which a profile author (or whoever handed over
 * the profile) chooses. Such a name must stay one path segment inside the
 * output folder on every platform: no separator, no `..`, no control
 * character, no name Windows reserves, not too long.
 */

/** Longest slug, in characters: room for a suffix and a timestamp within common 255-byte name limits. */
export const MAX_SLUG_LENGTH = 64;

/** Device names Windows reserves in any folder, with or without an extension. */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)(?:\..*)?$/i;

/**
 * A safe single path segment for `text`: letters, digits, `.`, `_` and `-`
 * only (anything else becomes `-`), no leading or trailing dot or dash, at
 * most 64 characters, never `.`, `..`, empty or a reserved device name
 * (`fallback` is used when nothing is left; `_` is appended to a reserved name).
 *
 * @example
 *   safeSlug('pole-exchange'); // 'pole-exchange'
 *   safeSlug('../../etc/passwd'); // 'etc-passwd'
 *   safeSlug('con'); // 'con_'
 *   safeSlug('\u0000'); // 'profile'
 */
export function safeSlug(text: string, fallback = 'profile'): string {
  let slug = text
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  if (slug.length > MAX_SLUG_LENGTH) slug = slug.slice(0, MAX_SLUG_LENGTH).replace(/[.-]+$/, '');
  if (slug === '') return fallback;
  return WINDOWS_RESERVED.test(slug) ? `${slug}_` : slug;
}

/**
 * Hands out slugs that are unique within one run: the second profile with
 * the same id gets `-2`, the third `-3`. Compared case-insensitively, since
 * `Baseline` and `baseline` are one folder on macOS and Windows.
 *
 * @example
 *   const names = createUniqueSlugs();
 *   names.next('baseline'); // 'baseline'
 *   names.next('Baseline'); // 'Baseline-2'
 */
export function createUniqueSlugs(fallback = 'profile'): { next(text: string): string } {
  const used = new Set<string>();
  return {
    next(text: string): string {
      const base = safeSlug(text, fallback);
      let candidate = base;
      for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
      used.add(candidate.toLowerCase());
      return candidate;
    },
  };
}
