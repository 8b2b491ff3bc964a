import { isUtf8 } from 'node:buffer';
import { countJsonValues, MAX_JSON_VALUES } from './json-value-count.js';

/**
 * Parse a response body as JSON the way a strict client must (RFC 8259): UTF-8,
 * no byte order mark, no NaN/Infinity. On failure, say where: a supplier needs
 * the byte offset to find the fault in a large body.
 */
export type JsonBodyOutcome =
  | { ok: true; value: unknown }
  /** `tooLarge`: not parsed at all, because parsing it would cost too much memory; says nothing about validity. */
  | { ok: false; byte: number; reason: string; tooLarge?: true };


/**
 * @example
 *   parseJsonBody(Buffer.from('{"a":}')) // { ok: false, byte: 5, reason: "unexpected '}'" }
 */
export function parseJsonBody(body: Buffer, maxValues: number = MAX_JSON_VALUES): JsonBodyOutcome {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    return { ok: false, byte: 0, reason: 'body starts with a byte order mark, which JSON sent over a network must not (RFC 8259 section 8.1)' };
  }
  // Validate first, then decode: toString() would silently replace bad bytes with U+FFFD.
  if (!isUtf8(body)) return { ok: false, byte: firstInvalidUtf8Byte(body), reason: 'invalid UTF-8' };
  // Before JSON.parse: 10 MB of `[{},{},…]` parses to about 350 MB of heap.
  // Every value takes at least one byte, so a body no longer than the bound
  // cannot exceed it: counting (a pass over every byte) is only needed beyond.
  if (body.length > maxValues && countJsonValues(body, maxValues) > maxValues) {
    return { ok: false, byte: 0, reason: `holds more than ${maxValues} JSON values, so it was not parsed (memory bound; raise --max-json-values)`, tooLarge: true };
  }
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    // JSON.parse's message quotes the input and often omits the position: locate it ourselves.
    return { ok: false, ...locateJsonSyntaxError(body) };
  }
}

/** Message used by checks: `not valid JSON at byte 5: unexpected '}'`. */
export function describeJsonFailure(outcome: { byte: number; reason: string }): string {
  return `not valid JSON at byte ${outcome.byte}: ${outcome.reason}`;
}

function firstInvalidUtf8Byte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}

/**
 * A byte-level JSON scanner, used only after JSON.parse has failed, to find the
 * first offending byte. Iterative with an explicit stack, so a hostile
 * `[[[[…` a million deep cannot overflow the call stack.
 */
function locateJsonSyntaxError(b: Buffer): { byte: number; reason: string } {
  let i = 0;
  const stack: Array<'{' | '['> = [];
  const ws = () => {
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  };
  const show = (at: number) => {
    const c = b[at]!;
    return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
  };
  const unexpected = (at: number) => ({ byte: at, reason: at >= b.length ? 'unexpected end of body (truncated JSON?)' : `unexpected ${show(at)}` });

  const scanString = (): { byte: number; reason: string } | null => {
    i++; // opening quote
    while (i < b.length) {
      const c = b[i]!;
      if (c === 0x22) { i++; return null; }
      if (c < 0x20) return { byte: i, reason: 'control character inside a string' };
      if (c === 0x5c) {
        const e = b[i + 1];
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            const h = b[i + k];
            if (h === undefined || !/[0-9a-fA-F]/.test(String.fromCharCode(h))) return { byte: i + k, reason: 'bad \\u escape' };
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(String.fromCharCode(e))) return { byte: i + 1, reason: 'bad escape in string' };
        i += 2;
        continue;
      }
      i++;
    }
    return { byte: i, reason: 'unterminated string (truncated JSON?)' };
  };

  const scanValue = (): { byte: number; reason: string } | 'open' | null => {
    ws();
    const c = b[i];
    if (c === undefined) return unexpected(i);
    if (c === 0x7b || c === 0x5b) { stack.push(c === 0x7b ? '{' : '['); i++; return 'open'; }
    if (c === 0x22) return scanString();
    for (const word of ['true', 'false', 'null']) {
      if (b.subarray(i, i + word.length).toString('latin1') === word) { i += word.length; return null; }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(b.subarray(i, i + 400).toString('latin1'));
    if (m && m[0].length > 0 && m[0] !== '-') { i += m[0].length; return null; }
    return unexpected(i);
  };

  const expected = (what: string) => ({ byte: i, reason: `${unexpected(i).reason}, expected ${what}` });
  const scanMemberName = (): { byte: number; reason: string } | null => {
    if (b[i] !== 0x22) return expected('a property name');
    const s = scanString();
    if (s) return s;
    ws();
    if (b[i] !== 0x3a) return expected("':'");
    i++;
    return null;
  };

  // State machine over containers: after a value, expect ',' or the closer.
  let outcome = scanValue();
  for (;;) {
    if (outcome !== null && outcome !== 'open') return outcome;
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < b.length) return { byte: i, reason: `unexpected ${show(i)} after the JSON value` };
      // The scanner accepts what JSON.parse refused: report the end rather than guess.
      return { byte: b.length, reason: 'rejected by the JSON parser' };
    }
    const closer = top === '{' ? 0x7d : 0x5d;
    if (b[i] === closer) {
      stack.pop();
      i++;
      outcome = null;
      continue;
    }
    if (outcome !== 'open') {
      if (b[i] !== 0x2c) return expected(`',' or '${String.fromCharCode(closer)}'`);
      i++;
      ws();
    }
    if (top === '{') {
      const nameError = scanMemberName();
      if (nameError) return nameError;
    }
    outcome = scanValue();
  }
}
