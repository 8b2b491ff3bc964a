/**
 * Reading a file that must be a regular file, with a size cap. A FIFO, a
 * device, a socket or a directory named as a profile, a `$ref`, a report, a
 * signature, a key or a claims file would block
 * the read forever (a FIFO with no writer) or never end (`/dev/zero`): it is
 * refused before a byte is read. The file is opened without blocking and the
 * open handle is checked, so a path swapped between a check and the open
 * cannot slip through.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { HarnessError, type HarnessErrorCode } from './errors.js';

export type RegularFileRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'not-regular'; kind: string }
  | { ok: false; reason: 'too-large'; size: number };

/**
 * Reads at most `maxBytes` bytes of a regular file. File-system errors
 * (ENOENT, EACCES, …) are thrown as they come; the caller words them.
 *
 * @example
 *   const read = await readRegularFile('/p/openapi.yaml', 20 * 1024 * 1024);
 *   if (!read.ok && read.reason === 'not-regular') console.log(`it is ${read.kind}`); // 'it is a FIFO (named pipe)'
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<RegularFileRead> {
  // Stat first: a socket cannot even be opened, and the kind makes a clearer message than ENXIO.
  const before = await stat(path);
  if (!before.isFile()) return { ok: false, reason: 'not-regular', kind: fileKind(before) };
  // O_NONBLOCK, and the handle checked again: a FIFO swapped in after the stat must not block the open.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: 'not-regular', kind: fileKind(info) };
    if (info.size > maxBytes) return { ok: false, reason: 'too-large', size: info.size };
    // Read up to one byte past the cap: a file that grew since the stat is still caught.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, info.size + 1));
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) return { ok: false, reason: 'too-large', size: filled };
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) return { ok: true, bytes: buffer.subarray(0, filled) };
      filled += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/**
 * What a non-regular file is, in words.
 *
 * @example fileKind(statSync('/dev/null')) // 'a character device'
 */
export function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Reads a file the user named (a report, a signature, a key, a claims
 * document) or throws the HarnessError that says why not: USAGE when it is
 * missing, unreadable or not a regular file, `tooLarge` when it is over the cap.
 *
 * @example
 *   const bytes = await readNamedFile('vendor-a/report.json', { what: 'report', maxBytes: 512 * 1024 * 1024 });
 */
export async function readNamedFile(path: string, options: { what: string; maxBytes: number; tooLarge?: HarnessErrorCode; hint?: string }): Promise<Buffer> {
  let read: RegularFileRead;
  try {
    read = await readRegularFile(path, options.maxBytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new HarnessError('USAGE', `cannot read ${options.what} ${path}: ${code}${options.hint ? ` (${options.hint})` : ''}`);
  }
  if (read.ok) return read.bytes;
  if (read.reason === 'not-regular') throw new HarnessError('USAGE', `cannot read ${options.what} ${path}: it is ${read.kind}, not a regular file`);
  throw new HarnessError(options.tooLarge ?? 'USAGE', `${options.what} ${path} is larger than the ${formatBytes(options.maxBytes)} it can be`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
