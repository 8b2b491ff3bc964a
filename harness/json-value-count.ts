/**
 * A cheap upper bound on how many values a JSON text would become when
 * parsed. Parsing costs far more memory than the text: 10 MB of `[{},{},…]`
 * becomes 3.5 million objects and about 350 MB of heap. Counting first keeps a
 * hostile body inside the body limit from exhausting memory anyway.
 */

/**
 * Most values (objects, arrays, strings, numbers, literals) the harness parses
 * from one body: about 100 MB of heap at worst (empty objects), far more than
 * any real API response needs.
 */
export const MAX_JSON_VALUES = 1_000_000;

/**
 * Counts values by their separators and openers, outside strings, stopping as
 * soon as the count passes `limit`. Exact for valid JSON; for invalid text it
 * is only an estimate, which is all a memory bound needs.
 *
 * @example
 *   countJsonValues(Buffer.from('{"a":[1,2,{}]}'), 100); // 5: the object, the array, 1, 2, {}
 */
export function countJsonValues(body: Uint8Array, limit: number = MAX_JSON_VALUES): number {
  let count = 0;
  let inString = false;
  let sawValue = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c) i++; // skip the escaped character, whatever it is
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      // A string (or an object key: the ':' after it resets nothing, the value after it overwrites).
      inString = true;
      sawValue = true;
    } else if (c === 0x7b || c === 0x5b) {
      // `{` and `[` are values themselves; their members are counted by the commas between them.
      count++;
      sawValue = false;
    } else if (c === 0x2c || c === 0x7d || c === 0x5d) {
      // A scalar ends at the next ',' or closer (containers were counted when they opened).
      if (sawValue) count++;
      sawValue = false;
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x3a) {
      sawValue = true;
    }
    if (count > limit) return count;
  }
  return sawValue ? count + 1 : count;
}
