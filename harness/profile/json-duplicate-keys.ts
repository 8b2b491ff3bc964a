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
