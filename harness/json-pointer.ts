/**
 * RFC 6901 JSON pointers into a profile document: building them, following
 * them, and turning internal `#/...` refs into them. The one pointer module
 * every stage uses.
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
 * A record's own value for a key, never one inherited from Object.prototype:
 * the key may come from a profile or a supplier (`constructor`, `__proto__`).
 *
 * @example ownValue({}, 'constructor') // undefined
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Sets an own property, whatever the key: plain assignment to `__proto__` would
 * replace the object's prototype instead of storing data.
 *
 * @example setOwnValue(map, '__proto__', schema) // Object.keys(map) includes '__proto__'
 */
export function setOwnValue<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/**
 * True for a plain JSON object (not null, not an array).
 *
 * @example isRecord({}) // true; isRecord([]) // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value at a pointer, or `undefined` when the path does not exist.
 * @example getAtPointer({a: [1, 2]}, '/a/1') // 2
 */
export function getAtPointer(root: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return undefined;
  let node: unknown = root;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object') {
      // Own properties only: a pointer '/constructor' must not reach Object.prototype.
      if (!Object.hasOwn(node, token)) return undefined;
      node = (node as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * Replace the value at an existing pointer inside a tree this module owns (a clone).
 * Returns false when the parent does not exist.
 * @example setAtPointer(clone, '/components/schemas/A', translated)
 */
export function setAtPointer(root: unknown, pointer: string, value: unknown): boolean {
  const tokens = parsePointer(pointer);
  if (tokens === undefined || tokens.length === 0) return false;
  const parent = getAtPointer(root, joinPointer('', ...tokens.slice(0, -1)));
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    parent[Number(last)] = value;
    return true;
  }
  if (parent !== null && typeof parent === 'object') {
    setOwnValue(parent as Record<string, unknown>, last, value);
    return true;
  }
  return false;
}

/**
 * True when `pointer` is `ancestor` or lies beneath it.
 * @example isWithin('/a/b/c', '/a/b') // true; isWithin('/a/bc', '/a/b') // false
 */
export function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(ancestor + '/');
}

/**
 * A document-local `$ref` (`#/components/schemas/A`, possibly percent-encoded) as a pointer;
 * `undefined` for anything else (remote refs, anchors, `$id`-relative names).
 * @example localRefToPointer('#/components/schemas/A%20B') // '/components/schemas/A B'
 */
export function localRefToPointer(ref: string): string | undefined {
  if (ref === '#') return '';
  if (!ref.startsWith('#/')) return undefined;
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return ref.slice(1);
  }
}

/**
 * A pointer as a URI fragment Ajv can resolve: Ajv percent-decodes fragments before
 * reading them as pointers, so characters such as `{`, `%` or spaces must be encoded.
 * @example pointerToFragment('/paths/~1a~1{id}') // '/paths/~1a~1%7Bid%7D'
 */
export function pointerToFragment(pointer: string): string {
  return pointer.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}
