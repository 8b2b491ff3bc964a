/**
 * RFC 6901 JSON pointers: building them from keys, and following them (or an
 * internal `#/...` `$ref`) inside a plain JSON document.
 */

/**
 * Escapes one reference token: `~` first (to `~0`), then `/` (to `~1`), so the
 * two escapes never collide.
 *
 * @example escapePointerToken('/persons/{id}') // '~1persons~1{id}'
 */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Joins raw (unescaped) keys onto a pointer.
 *
 * @example joinPointer('/paths', '/persons', 'get') // '/paths/~1persons/get'
 */
export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((token) => '/' + escapePointerToken(String(token))).join('');
}

/**
 * Splits a pointer (`/a/b`, or a `#/a/b` URI fragment whose tokens may be
 * percent-encoded) into raw keys; `undefined` when it is not a pointer.
 *
 * @example parsePointer('#/components/schemas/A~1B') // ['components', 'schemas', 'A/B']
 */
export function parsePointer(pointer: string): string[] | undefined {
  let text = pointer;
  let fragment = false;
  if (text.startsWith('#')) {
    text = text.slice(1);
    fragment = true;
  }
  if (text === '') return [];
  if (!text.startsWith('/')) return undefined;
  const tokens: string[] = [];
  for (const raw of text.slice(1).split('/')) {
    let token = raw;
    if (fragment) {
      // Fragments are URI-encoded (`#/components/schemas/A%20B`); a stray `%` is kept as written.
      try {
        token = decodeURIComponent(token);
      } catch {
        /* keep as written */
      }
    }
    tokens.push(token.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return tokens;
}

/** A value found by a pointer; `found: false` when a token is missing. */
export type PointerLookup = { found: true; value: unknown } | { found: false };

/**
 * Follows a pointer into a document, using own properties only (so `__proto__`
 * or `constructor` in a pointer never reaches the prototype chain).
 *
 * @example resolvePointer(doc, '/components/schemas/Person') // { found: true, value: {...} }
 */
export function resolvePointer(document: unknown, pointer: string): PointerLookup {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return { found: false };
  let current: unknown = document;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return { found: false };
      const index = Number(token);
      if (index >= current.length) return { found: false };
      current = current[index];
    } else if (isRecord(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return { found: false };
      current = current[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/**
 * True for a plain JSON object (not null, not an array).
 *
 * @example isRecord({}) // true; isRecord([]) // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
