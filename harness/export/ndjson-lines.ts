/**
 * Splits a byte stream into NDJSON lines as it arrives, with memory bounded by
 * the longest line allowed: a complete line inside a chunk is handed on as a
 * view of that chunk, and only a line cut by a chunk boundary is copied. A line
 * longer than the limit is never held: it is skipped to its newline and reported.
 */

export interface LineSplitter {
  /** Feed the next chunk; complete lines in it are handed on before this returns. */
  write(chunk: Buffer): void;
  /** The stream ended: hand on a last line that had no newline. */
  end(): void;
  /** Lines handed on so far, oversized ones included. */
  readonly lines: number;
}

export interface LineSplitterOptions {
  /** Longest line kept, in bytes, without its line ending. */
  maxLineBytes: number;
  /** A line longer than `maxLineBytes` was skipped; `bytes` is its full length without its line ending. */
  onOversizedLine(lineNumber: number, bytes: number): void;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Whether a line holds JSON white space only (space, tab, carriage return):
 * NDJSON readers skip such lines, so they are neither items nor errors. The
 * one definition for an export's records and a response stream's items.
 *
 * @example
 *   isBlankLine(Buffer.from(' \t')); // true
 *   isBlankLine(Buffer.from('{}')); // false
 */
export function isBlankLine(line: Uint8Array): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== CR) return false;
  return true;
}

/**
 * A line splitter for NDJSON: splits on `\n`, drops a `\r` before it, numbers
 * lines from 1. Blank lines in the middle are handed on (empty buffers: the
 * caller decides what they mean); the empty "line" after a final newline is not
 * a line. `line` is only valid during the call (it may view the caller's
 * chunk): copy it, or what is parsed from it, to keep it.
 *
 * @example
 *   const splitter = createLineSplitter((line, n) => records.push(JSON.parse(line.toString('utf8'))), {
 *     maxLineBytes: 1024 * 1024,
 *     onOversizedLine: (n, bytes) => console.log(`line ${n} is ${bytes} bytes`),
 *   });
 *   splitter.write(Buffer.from('{"a":1}\n{"a"'));
 *   splitter.write(Buffer.from(':2}\r\n'));
 *   splitter.end(); // two lines: {"a":1} and {"a":2}
 */
export function createLineSplitter(
  onLine: (line: Buffer, lineNumber: number) => void,
  options: LineSplitterOptions,
): LineSplitter {
  const { maxLineBytes, onOversizedLine } = options;
  let lineNumber = 0;
  // The start of a line cut by a chunk boundary, copied (the caller may reuse its chunks).
  let carried: Buffer[] = [];
  let carriedBytes = 0;
  // Skipping an oversized line: how many bytes of it have gone by, and the last one (a `\r` is not counted).
  let skipping = false;
  let skippedBytes = 0;
  let lastByte = -1;

  /** A line that ended at `end` (exclusive) of `chunk`: it began at `start`, or earlier in the carried bytes. */
  function finishLine(chunk: Buffer, start: number, end: number): void {
    lineNumber += 1;
    const tail = end - start;
    if (skipping || carriedBytes + tail > maxLineBytes + 1) {
      // Oversized whatever its last byte is: report its length without joining its pieces.
      const bytes = (skipping ? skippedBytes : carriedBytes) + tail;
      const endsInCr = tail > 0 ? chunk[end - 1] === CR : lastByte === CR;
      skipping = false;
      skippedBytes = 0;
      carried = [];
      carriedBytes = 0;
      onOversizedLine(lineNumber, endsInCr ? bytes - 1 : bytes);
      return;
    }
    let line: Buffer;
    if (carriedBytes === 0) {
      line = chunk.subarray(start, end);
    } else {
      carried.push(chunk.subarray(start, end));
      line = Buffer.concat(carried, carriedBytes + tail);
      carried = [];
      carriedBytes = 0;
    }
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > maxLineBytes) onOversizedLine(lineNumber, line.length);
    else onLine(line, lineNumber);
  }

  function write(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(LF, start); newline !== -1; newline = chunk.indexOf(LF, start)) {
      finishLine(chunk, start, newline);
      start = newline + 1;
    }
    if (start === chunk.length) {
      if (chunk.length > 0) lastByte = LF;
      return;
    }
    const rest = chunk.length - start;
    lastByte = chunk[chunk.length - 1] as number;
    if (skipping) {
      skippedBytes += rest;
    } else if (carriedBytes + rest > maxLineBytes + 1) {
      // Too long even if its last byte is the `\r` of a CRLF: stop holding it.
      skipping = true;
      skippedBytes = carriedBytes + rest;
      carried = [];
      carriedBytes = 0;
    } else {
      carried.push(Buffer.from(chunk.subarray(start)));
      carriedBytes += rest;
    }
  }

  function end(): void {
    if (skipping || carriedBytes > 0) finishLine(EMPTY, 0, 0);
    lastByte = -1;
  }

  return {
    write,
    end,
    get lines() {
      return lineNumber;
    },
  };
}
