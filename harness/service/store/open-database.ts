import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { HarnessError } from '../../index.js';
import type { Database, Queryable } from './database.js';

export interface DatabaseLocation {
  /** `postgres://…`: use that server; otherwise the embedded database in `dataDir`. */
  databaseUrl?: string;
  /** Folder of the embedded database (default `./interop-data`). */
  dataDir?: string;
}

/**
 * Opens the database the environment asks for and proves it answers
 * (`SELECT 1`), so a wrong DATABASE_URL is one line at start-up
 * (DATABASE_UNREACHABLE, exit 2), not a stack trace at the first request.
 *
 * @example
 *   const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: './interop-data' });
 */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  return location.databaseUrl ? openPostgres(location.databaseUrl) : openEmbedded(resolve(location.dataDir ?? 'interop-data'));
}

async function openEmbedded(dataDir: string): Promise<Database> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new HarnessError('DATA_DIR_UNUSABLE', `cannot create the data folder ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const releaseLock = await lockDataDir(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(`${dataDir}/pgdata`);
    await db.query('SELECT 1');
  } catch (error) {
    await releaseLock();
    throw new HarnessError('DATA_DIR_UNUSABLE', `cannot open the embedded database in ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const query: Queryable['query'] = async (sql, params) => db.query(sql, params as unknown[] | undefined) as never;
  return {
    kind: 'embedded',
    dataDir,
    query,
    transaction: (fn) => db.transaction((tx) => fn({ query: async (sql, params) => tx.query(sql, params as unknown[] | undefined) as never })),
    async executeSql(text, values) {
      if (values && values.length > 0) return db.query(text, values);
      // pg-boss sends BEGIN; …; COMMIT as one text: PGlite's exec runs it whole, under its own lock.
      const results = await db.exec(text);
      return results[results.length - 1] ?? { rows: [] };
    },
    async listen(channel, onPayload) {
      const unlisten = await db.listen(channel, onPayload);
      return async () => unlisten();
    },
    async close() {
      await db.close();
      await releaseLock();
    },
  };
}

/** The lock file that keeps a second process off an embedded database (PGlite has one writer and no lock of its own). */
const LOCK_FILE = 'serve.lock';

/**
 * Takes `<dataDir>/serve.lock` holding this process's pid; a lock whose process
 * is gone (a crash) is taken over. Returns the function that releases it.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new HarnessError('DATA_DIR_UNUSABLE', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new HarnessError('DATA_DIR_UNUSABLE', `the data folder ${dataDir} is in use by another interop-harness process (pid ${pid}); stop it, or give serve another --data`);
    }
    await rm(path, { force: true });
  }
  throw new HarnessError('DATA_DIR_UNUSABLE', `cannot lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPostgres(databaseUrl: string): Promise<Database> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new HarnessError('DATABASE_UNREACHABLE', 'DATABASE_URL is not a URL (expected postgres://user:password@host:5432/database)');
  }
  const where = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 10_000, application_name: 'interop-harness' });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    // The message never carries the URL's password: only host, port and database.
    throw new HarnessError('DATABASE_UNREACHABLE', `cannot reach the PostgreSQL server at ${where}: ${(error as Error).message}`, { cause: error });
  }
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    kind: 'postgres',
    query: async (sql, params) => pool.query(sql, params as unknown[] | undefined) as never,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (sql, params) => client.query(sql, params as unknown[] | undefined) as never });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    executeSql: (text, values) => pool.query(text, values),
    async listen(channel, onPayload) {
      if (!listener) {
        listener = new pg.Client({ connectionString: databaseUrl, application_name: 'interop-harness-listen' });
        listener.on('error', () => {});
        listener.on('notification', (message) => {
          for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
        });
        await listener.connect();
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async close() {
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
