/**
 * A folder of what loading a profile concluded, so that the second run on the
 * same document skips the slow part (checking it against the OpenAPI schema).
 * Entries are keyed by a hash of everything that changes the conclusion (the
 * document's sha256, the harness version, the options that matter), written to
 * an exclusively created temporary file and renamed into place, so two runs
 * sharing the folder never see half an entry. An entry is trusted only when its
 * checksum, its key and its shape are right, and only from a folder and file
 * that the current user owns and nobody else can write: anything else is a miss,
 * and the run does the work again and writes the entry afresh.
 *
 * It deliberately caches data, never code: a compiled validator is rebuilt each
 * run (see compile-validators.ts), so a planted entry can at worst hide warnings.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** An entry is a few warnings; anything this large was not written by us. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

const ENTRY_FORMAT = 1;

export interface ProfileCache {
  /** The folder entries live in. */
  readonly folder: string;
  /** Why the folder is not trusted (owned by someone else, writable by others, not a folder), when it is not. */
  readonly refused?: string;
  /** Why the folder could not be created (a read-only home, say), when it could not: no cache, and nothing to warn about. */
  readonly unavailable?: string;
  /** The value stored under `key`, or undefined when there is none to trust. Never throws. */
  read(key: string): unknown;
  /** Store `value` under `key` (best effort: a full disk costs the next run time, not this one). Never throws. */
  write(key: string, value: unknown): void;
}

/**
 * The user's cache folder for the harness: `INTEROP_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/interop-harness`, else `~/.cache/interop-harness`.
 *
 * @example cacheFolder({ XDG_CACHE_HOME: '/home/a/.cache' }) // '/home/a/.cache/interop-harness'
 */
export function cacheFolder(env: Record<string, string | undefined>, home: string = homedir()): string {
  if (env.INTEROP_CACHE_DIR) return env.INTEROP_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'interop-harness');
}

/**
 * One key for a set of inputs: the sha256 of their canonical JSON.
 * @example cacheKey({ sha256: 'ab…', harness: '0.1.0' }) // '3f…' (64 hex digits)
 */
export function cacheKey(parts: Record<string, string | number | boolean>): string {
  const canonical = JSON.stringify(Object.keys(parts).sort().map((name) => [name, parts[name]]));
  return sha256(canonical);
}

/**
 * Open (creating it, private to the user) the cache folder. A folder that is
 * not safe to trust gives a cache that reads and writes nothing, with `refused` saying why.
 *
 * @example
 *   const cache = openProfileCache(cacheFolder(process.env));
 *   const hit = cache.read(key) ?? compute();
 */
export function openProfileCache(folder: string): ProfileCache {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    return { folder, unavailable: `cache folder ${folder} cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`, read: () => undefined, write: () => undefined };
  }
  const unsafe = unsafeBecause(lstatSync(folder), 'folder');
  if (unsafe !== undefined) return refusedCache(folder, unsafe);
  const entryPath = (key: string): string => join(folder, `${key}.json`);
  return {
    folder,
    read(key) {
      if (!/^[0-9a-f]{64}$/.test(key)) return undefined;
      const text = readTrusted(entryPath(key));
      if (text === undefined) return undefined;
      const newline = text.indexOf('\n');
      const body = text.slice(newline + 1);
      if (newline !== 64 || text.slice(0, 64) !== sha256(body)) return undefined;
      try {
        const entry = JSON.parse(body) as { format?: unknown; key?: unknown; value?: unknown };
        return entry.format === ENTRY_FORMAT && entry.key === key ? entry.value : undefined;
      } catch {
        return undefined;
      }
    },
    write(key, value) {
      if (!/^[0-9a-f]{64}$/.test(key)) return;
      const body = JSON.stringify({ format: ENTRY_FORMAT, key, value });
      const temporary = join(folder, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      let fd: number | undefined;
      try {
        // `wx`: created by this call or not at all, so nobody else's file is ever written into.
        fd = openSync(temporary, 'wx', 0o600);
        writeSync(fd, `${sha256(body)}\n${body}`);
        closeSync(fd);
        fd = undefined;
        // Atomic on one file system: a reader sees the old entry or the new one, never half of one.
        renameSync(temporary, entryPath(key));
      } catch {
        if (fd !== undefined) closeSync(fd);
        try {
          unlinkSync(temporary);
        } catch {
          // Already gone, or never created.
        }
      }
    },
  };
}

function refusedCache(folder: string, reason: string): ProfileCache {
  return { folder, refused: `cache folder ${folder} not used: ${reason}`, read: () => undefined, write: () => undefined };
}

/** Why a folder or file may not be trusted, or undefined when it may. */
function unsafeBecause(stats: Stats, what: 'folder' | 'file'): string | undefined {
  if (what === 'folder' ? !stats.isDirectory() : !stats.isFile()) return `it is not a ${what === 'folder' ? 'folder' : 'regular file'} (a link, or something else)`;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) return `it belongs to user ${stats.uid}, not to the user running the harness (${uid})`;
  if ((stats.mode & 0o022) !== 0) return `others can write to it (mode ${(stats.mode & 0o777).toString(8)})`;
  return undefined;
}

/** The file's text, when it is a regular file of ours that nobody else can write, not too large; else undefined. */
function readTrusted(path: string): string | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW: a link planted where an entry would be is never followed.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    // Checked on the open file, not the name: nothing can be swapped in between.
    const stats = fstatSync(fd);
    if (unsafeBecause(stats, 'file') !== undefined || stats.size > MAX_ENTRY_BYTES) return undefined;
    const buffer = Buffer.alloc(stats.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return buffer.toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
