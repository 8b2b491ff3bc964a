import { Writable } from 'node:stream';

/**
 * A writable stream that keeps what was written, posing as a terminal or not,
 * for terminal reporter tests.
 *
 * @example
 *   const out = new CaptureStream({ isTTY: true, columns: 80 }); out.write('x'); out.text; // 'x'
 */
export class CaptureStream extends Writable {
  text = '';
  isTTY: boolean;
  columns: number | undefined;

  constructor(options: { isTTY?: boolean; columns?: number } = {}) {
    super();
    this.isTTY = options.isTTY ?? false;
    this.columns = options.columns;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}
