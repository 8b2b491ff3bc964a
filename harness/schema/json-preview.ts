/**
 * The start of a value's JSON text, for showing an offending value in a schema
 * error. `JSON.stringify` would serialise all of it (and throw a RangeError on
 * a body nested 100,000 levels deep) just to keep 200 characters; this walks
 * the value with an explicit stack and stops once it has enough.
 */

type Frame =
  | { kind: 'array'; items: readonly unknown[]; index: number }
  | { kind: 'object'; entries: Array<[string, unknown]>; index: number };

/**
 * JSON text of `value`, identical to `JSON.stringify(value)` for parsed JSON
 * whenever that is at most `maxChars` long; otherwise its first `maxChars + 1`
 * or more characters, so the caller can tell it was cut.
 *
 * @example
 *   previewJson({ a: [1, 'x'] }, 200);            // '{"a":[1,"x"]}'
 *   previewJson(new Array(1e6).fill(0), 10).length; // 11 or a little more, never 2 MB
 */
export function previewJson(value: unknown, maxChars: number): string {
  let out = '';
  const stack: Frame[] = [];
  let next: { value: unknown } | undefined = { value };
  while (out.length <= maxChars) {
    if (next !== undefined) {
      const current: unknown = next.value;
      next = undefined;
      if (Array.isArray(current)) {
        out += '[';
        stack.push({ kind: 'array', items: current, index: 0 });
      } else if (current !== null && typeof current === 'object') {
        out += '{';
        stack.push({ kind: 'object', entries: Object.entries(current).filter(([, v]) => v !== undefined), index: 0 });
      } else {
        out += JSON.stringify(current) ?? 'null';
      }
      continue;
    }
    const frame = stack[stack.length - 1];
    if (frame === undefined) break;
    const length = frame.kind === 'array' ? frame.items.length : frame.entries.length;
    if (frame.index >= length) {
      out += frame.kind === 'array' ? ']' : '}';
      stack.pop();
      continue;
    }
    if (frame.index > 0) out += ',';
    if (frame.kind === 'array') {
      next = { value: frame.items[frame.index] ?? null };
    } else {
      const [key, item] = frame.entries[frame.index]!;
      out += `${JSON.stringify(key)}:`;
      next = { value: item };
    }
    frame.index += 1;
  }
  return out;
}
