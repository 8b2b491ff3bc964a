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
  if (!isUtf8(body)) {
    const byte = firstInvalidUtf8Byte(body);
    return { ok: false, byte, reason: invalidUtf8Reason(body, byte) };
  }
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

/**
 * The offending byte: the excerpt shows it as U+FFFD, so the message is the
 * only place a reader sees which byte came. No text around it: a message is
 * not masked as an excerpt is, and the text before may be a secret field's
 * value. A lone byte from 0xA0 up amid ASCII is how ISO-8859-1 and
 * Windows-1252 write `é`.
 *
 * @example
 *   invalidUtf8Reason(Buffer.from([0x7b, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]), 5)
 *   // 'invalid UTF-8: byte 0xe9 (a lone byte like this is how ISO-8859-1 or Windows-1252 writes a letter, not UTF-8)'
 */
function invalidUtf8Reason(bytes: Buffer, at: number): string {
  const value = bytes[at];
  if (value === undefined) return 'invalid UTF-8';
  const next = bytes[at + 1];
  const hex = `byte 0x${value.toString(16).padStart(2, '0')}`;
  // A lead byte whose continuation bytes run to the end: the body was cut inside a character.
  // Only where a later byte could have completed it: not an overlong form, a surrogate or past U+10FFFF.
  const [low, high] = SECOND_BYTE_RANGE[value] ?? [0x80, 0xbf];
  const cut = sequenceLength(value) > bytes.length - at && bytes.subarray(at + 1).every((b) => (b & 0xc0) === 0x80) && (next === undefined || (next >= low && next <= high));
  const lone = !cut && value >= 0xa0 && (next === undefined || next < 0x80);
  if (cut) return `invalid UTF-8: the body ends inside a character (${hex} starts it)`;
  return `invalid UTF-8: ${hex}${lone ? ' (a lone byte like this is how ISO-8859-1 or Windows-1252 writes a letter, not UTF-8)' : ''}`;
}

const SECOND_BYTE_RANGE: Record<number, [number, number]> = { 0xe0: [0xa0, 0xbf], 0xed: [0x80, 0x9f], 0xf0: [0x90, 0xbf], 0xf4: [0x80, 0x8f] };

/** Bytes in the UTF-8 sequence a byte starts (1 for ASCII), or 0 for a byte that starts none. */
function sequenceLength(b: number): number {
  return b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
}

function firstInvalidUtf8Byte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const need = sequenceLength(bytes[i]!) - 1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // The second byte's narrower ranges (RFC 3629): no overlong form, no surrogate, nothing past U+10FFFF.
    const [low, high] = SECOND_BYTE_RANGE[bytes[i]!] ?? [0x80, 0xbf];
    if (need > 0 && (bytes[i + 1]! < low || bytes[i + 1]! > high)) return i;
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
