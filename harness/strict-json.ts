/**
 * A strict JSON reader for files whose meaning must not depend on which
 * parser reads them: report.json and its signature, read by `verify` and
 * `compare`.
 *
 * `JSON.parse` keeps the last of two equal keys, other readers the first, so
 * `{"verdict":"non-conformant","verdict":"conformant"}` reads differently in
 * different tools; a number such as `12345678901234567891` reads as another
 * number in a double than in a big-number reader. This reader refuses both,
 * and what it accepts means the same thing to every conforming reader:
 *
 * - UTF-8 only (invalid bytes are an error, not U+FFFD), no byte order mark;
 * - a duplicate key at any depth is an error naming its JSON pointer
 *   (found with one hash lookup per key, so linear in the input);
 * - a number must be exactly the value a double holds (`1`, `1.0`, `1e0` and
 *   `10e-1` are the same number; `0.1000000000000000000001` is refused
 *   rather than silently rounded), and finite;
 * - objects have a null prototype, so a `__proto__` key is an ordinary key;
 * - nesting is bounded (default 512 levels) and the parser does not recurse,
 *   so a deep input is an error, not a stack overflow.
 */

/** Deepest nesting accepted by default: a report is about ten levels deep. */
export const STRICT_JSON_MAX_DEPTH = 512;

export interface StrictJsonOptions {
  /** Most arrays and objects open at once. Default 512. */
  maxDepth?: number;
}

/** Why a text is not strict JSON, with where: `pointer` is the JSON pointer of the value being read. */
export class StrictJsonError extends Error {
  /** JSON pointer (RFC 6901) of the value or key at fault: `/results/3/status`, or `` for the root. */
  readonly pointer: string;
  /** Offset in the text (UTF-16 code units) where the fault was found. */
  readonly offset: number;

  constructor(reason: string, pointer: string, offset: number, text: string | undefined) {
    const where = text === undefined ? '' : ` at ${pointer === '' ? 'the root' : truncatePointer(pointer)} (${describeOffset(text, offset)})`;
    super(`${reason}${where}`);
    this.name = 'StrictJsonError';
    this.pointer = pointer;
    this.offset = offset;
  }
}

type Container = { kind: 'object'; value: Record<string, unknown>; key: string | undefined; members: number } | { kind: 'array'; value: unknown[] };

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
const NEEDS_CARE = /[\\\u0000-\u001f]/;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Parses strict JSON from text or UTF-8 bytes. Throws a StrictJsonError
 * saying what is wrong and where (JSON pointer, line and column).
 *
 * @example
 *   parseStrictJson('{"a": [1, 2.0]}'); // { a: [1, 2] } (a null-prototype object)
 *   parseStrictJson('{"a": {"b": 1, "b": 2}}'); // throws: duplicate key "b" at /a/b (line 1, column 16)
 */
export function parseStrictJson(input: string | Uint8Array, options: StrictJsonOptions = {}): unknown {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  const maxDepth = options.maxDepth ?? STRICT_JSON_MAX_DEPTH;
  const stack: Container[] = [];
  let position = 0;
  const fail = (reason: string, at = position): never => {
    throw new StrictJsonError(reason, pointerOf(stack), at, text);
  };
  const skipWhitespace = () => {
    const code = text.charCodeAt(position);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
    WHITESPACE.lastIndex = position;
    WHITESPACE.test(text);
    position = WHITESPACE.lastIndex;
  };
  const readString = (): string => {
    // position is at the opening quote.
    const start = position;
    position += 1;
    // Fast path: most strings hold no escape, so the closing quote ends them.
    const close = text.indexOf('"', position);
    if (close !== -1) {
      const content = text.slice(position, close);
      if (!NEEDS_CARE.test(content)) {
        position = close + 1;
        return content;
      }
    }
    let out = '';
    for (;;) {
      PLAIN_RUN.lastIndex = position;
      PLAIN_RUN.test(text);
      out += text.slice(position, PLAIN_RUN.lastIndex);
      position = PLAIN_RUN.lastIndex;
      if (position >= text.length) fail('unterminated string', start);
      const char = text[position]!;
      if (char === '"') {
        position += 1;
        return out;
      }
      if (char !== '\\') fail(`unescaped control character U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} in a string`);
      const escape = text[position + 1];
      if (escape === 'u') {
        const hex = text.slice(position + 2, position + 6);
        if (!HEX4.test(hex)) fail('invalid \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        position += 6;
      } else if (escape !== undefined && SIMPLE_ESCAPES[escape] !== undefined) {
        out += SIMPLE_ESCAPES[escape];
        position += 2;
      } else {
        fail('invalid escape in a string');
      }
    }
  };
  const readNumber = (): number => {
    NUMBER.lastIndex = position;
    const match = NUMBER.exec(text);
    if (!match) return fail('not a JSON value');
    const literal = match[0];
    const value = Number(literal);
    if (!Number.isFinite(value)) fail(`number ${literal.slice(0, 40)} is out of range`);
    // Most literals are already the shortest form (JSON.stringify wrote them); only others need the exact comparison.
    if (value !== 0 && literal !== String(value) && decimalKey(literal) !== decimalKey(String(value))) {
      fail(`number ${literal.slice(0, 40)} has more precision than a JSON number can hold (it would read as ${String(value)})`);
    }
    position += literal.length;
    return value;
  };
  const readLiteral = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, position)) fail('not a JSON value');
    position += word.length;
    return value;
  };

  let root: unknown;
  let haveRoot = false;
  /** Attaches a finished value to the container on top of the stack, or makes it the root. */
  const attach = (value: unknown) => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      root = value;
      haveRoot = true;
    } else if (top.kind === 'array') {
      top.value.push(value);
    } else {
      top.value[top.key!] = value;
      top.key = undefined;
      top.members += 1;
    }
  };

  if (text.charCodeAt(0) === 0xfeff) fail('a byte order mark is not allowed before JSON', 0);
  skipWhitespace();
  while (!haveRoot) {
    const top = stack[stack.length - 1];
    // Inside an object, between members: read a key and its colon first.
    if (top?.kind === 'object' && top.key === undefined) {
      if (text[position] === '}') {
        position += 1;
        stack.pop();
        attach(top.value);
        skipWhitespace();
        continue;
      }
      if (top.members > 0) {
        if (text[position] !== ',') fail("expected ',' or '}' after an object member");
        position += 1;
        skipWhitespace();
      }
      if (text[position] !== '"') fail('expected a quoted key');
      const keyStart = position;
      const key = readString();
      if (Object.hasOwn(top.value, key)) {
        top.key = key;
        fail(`duplicate key ${JSON.stringify(key.slice(0, 80))}`, keyStart);
      }
      top.key = key;
      skipWhitespace();
      if (text[position] !== ':') fail("expected ':' after a key");
      position += 1;
      skipWhitespace();
    } else if (top?.kind === 'array') {
      if (text[position] === ']') {
        position += 1;
        stack.pop();
        attach(top.value);
        skipWhitespace();
        continue;
      }
      if (top.value.length > 0) {
        if (text[position] !== ',') fail("expected ',' or ']' after an array item");
        position += 1;
        skipWhitespace();
      }
    }
    const char = text[position];
    if (char === '{' || char === '[') {
      if (stack.length >= maxDepth) fail(`nested more than ${maxDepth} levels deep`);
      position += 1;
      stack.push(char === '{' ? { kind: 'object', value: Object.create(null) as Record<string, unknown>, key: undefined, members: 0 } : { kind: 'array', value: [] });
      skipWhitespace();
      continue;
    }
    let value: unknown;
    if (char === '"') value = readString();
    else if (char === 't') value = readLiteral('true', true);
    else if (char === 'f') value = readLiteral('false', false);
    else if (char === 'n') value = readLiteral('null', null);
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) value = readNumber();
    else fail(position >= text.length ? 'unexpected end of input' : 'not a JSON value');
    attach(value);
    skipWhitespace();
  }
  if (position < text.length) fail('unexpected text after the JSON value');
  return root;
}

/**
 * Decodes UTF-8, refusing invalid byte sequences: two different invalid
 * sequences would both read as U+FFFD, so an edit could go unseen.
 */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new StrictJsonError('not valid UTF-8', '', 0, undefined);
  }
}

/**
 * The exact decimal value of a JSON number literal, as sign, significant
 * digits and exponent: `1.50e1` and `15` both give `+15e0`. Two literals have
 * the same key exactly when they are the same number.
 */
function decimalKey(literal: string): string {
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(literal);
  if (!match) return literal;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let power = Number(exponent) - fraction.length;
  const leading = /^0*/.exec(digits)![0].length;
  digits = digits.slice(leading);
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  power += trailing;
  return `${sign}${digits}e${power}`;
}

function pointerOf(stack: readonly Container[]): string {
  let pointer = '';
  for (const container of stack) {
    if (container.kind === 'array') pointer += `/${container.value.length}`;
    else if (container.key !== undefined) pointer += `/${container.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  return pointer;
}

/** A pointer in a message: a hostile key may be megabytes long. */
function truncatePointer(pointer: string): string {
  return pointer.length <= 200 ? pointer : `${pointer.slice(0, 199)}…`;
}

function describeOffset(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}
