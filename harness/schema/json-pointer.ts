/**
 * JSON pointer (RFC 6901) helpers for the schema module. Kept local so this
 * module does not depend on files other stages are still changing.
 */

/**
 * Escape one reference token.
 * @example escapeToken('a/b~c') // 'a~1b~0c'
 */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Split a pointer into unescaped tokens; `undefined` when it is not a pointer.
 * @example parsePointer('/paths/~1persons/get') // ['paths', '/persons', 'get']
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  // Order matters: ~1 first would turn '~01' into '/' instead of '~1'.
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Append tokens to a pointer, escaping them.
 * @example appendPointer('/a', 'b/c', 0) // '/a/b~1c/0'
 */
export function appendPointer(pointer: string, ...tokens: Array<string | number>): string {
  return pointer + tokens.map((t) => '/' + escapeToken(String(t))).join('');
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
  const parent = getAtPointer(root, tokens.slice(0, -1).map((t) => '/' + escapeToken(t)).join(''));
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    parent[Number(last)] = value;
    return true;
  }
  if (parent !== null && typeof parent === 'object') {
    (parent as Record<string, unknown>)[last] = value;
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
