/**
 * `JSON.parse` keeps the last of two equal keys and says nothing; another
 * reader may keep the first, so a document with a duplicate key means two
 * different things. This scan finds the first duplicate in one pass (one set of
 * names per object: linear in the text, whatever the number of keys).
 */

export interface DuplicateJsonKey {
  key: string;
  /** Offset of the second occurrence's opening quote. */
  offset: number;
}

/**
 * The first key that appears twice in one object of a *valid* JSON text (call
 * it after `JSON.parse` succeeded), or undefined.
 *
 * @example findDuplicateJsonKey('{"a": 1, "b": {"a": 2}, "a": 3}') // { key: 'a', offset: 24 }
 */
export function findDuplicateJsonKey(text: string): DuplicateJsonKey | undefined {
  // One entry per open container: the object's names so far, or null for an array.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.has(key)) return { key, offset: i };
        top.add(key);
        expectKey = false;
      }
      i = end;
    } else if (ch === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (ch === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (ch === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}

/**
 * Whether a valid JSON text held a duplicate key, given what `JSON.parse`
 * made of it, decided by counting rather than by comparing names: each
 * duplicate leaves the parsed tree one member short of the keys the text
 * writes. Both counts are cheap (a native search from quote to quote, a walk
 * of the tree without a key array per object): on a 20 MB document, about
 * 55 ms in a fresh process against 180 to 250 ms for `findDuplicateJsonKey`,
 * which is then needed only to name the duplicate when there is one.
 *
 * @example
 *   const text = '{"a": 1, "a": 2}';
 *   hasDuplicateJsonKey(text, JSON.parse(text)); // true
 */
export function hasDuplicateJsonKey(text: string, parsed: unknown): boolean {
  // An enumerable key on Object.prototype would be walked as a member of every object and could
  // cancel a duplicate out: then only the scan can tell.
  for (const _inherited in Object.prototype) return findDuplicateJsonKey(text) !== undefined;
  return keysWritten(text) !== membersParsed(parsed);
}

/**
 * Object members the text writes: the strings followed by a colon. From
 * outside any string the next quote opens the next string (outside strings,
 * JSON has no other quote), and `stringEnd` finds where it closes with
 * `indexOf`, in a loop: no regular expression, whose backtracking stack a
 * string of millions of escapes overflows.
 */
function keysWritten(text: string): number {
  let count = 0;
  let open = text.indexOf('"');
  while (open !== -1) {
    let next = stringEnd(text, open) + 1;
    let code = text.charCodeAt(next);
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = text.charCodeAt(++next);
    if (code === 0x3a /* : */) count++;
    open = text.indexOf('"', next);
  }
  return count;
}

/**
 * Members of every object in a parsed value, walked without recursion
 * (JSON.parse accepts any depth). `for...in` allocates no key array per
 * object; with nothing enumerable on Object.prototype (checked by the
 * caller) it visits exactly an object's own keys.
 */
function membersParsed(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) pending.push(node[i]);
      continue;
    }
    for (const key in node) {
      count++;
      pending.push((node as Record<string, unknown>)[key]);
    }
  }
  return count;
}

/** Index of the quote closing the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    for (let j = quote - 1; j > start && text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}
