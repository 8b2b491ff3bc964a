import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Test } from 'tap';
import { bounded } from './bounded-teardown.js';

/** Debian's PostgreSQL 15 server binaries. */
const PG_BIN = process.env.INTEROP_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A fresh, empty PostgreSQL database for one test file, dropped at its end:
 * a database in the server of INTEROP_TEST_DATABASE_URL (set by .ci/run), or
 * else in a private throw-away cluster started here in a temporary folder on
 * a free loopback port. Returns `{ skip }` with the reason when neither is possible.
 *
 * @example
 *   const pgdb = await postgresForTests(t);
 *   if ('skip' in pgdb) return t.skip(pgdb.skip);
 *   const service = await openService({ env: { DATABASE_URL: pgdb.url, … }, … });
 */
export async function postgresForTests(t: Test): Promise<{ url: string } | { skip: string }> {
  let serverUrl = process.env.INTEROP_TEST_DATABASE_URL;
  if (!serverUrl) {
    const cluster = await startPrivateCluster(t);
    if ('skip' in cluster) return cluster;
    serverUrl = cluster.url;
  }
  const name = `interop_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  t.teardown(
    bounded(`the test database ${name} to be dropped`, async () => {
      // Best effort: a private cluster may already be gone with everything in it.
      const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
      try {
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch {
        // nothing to drop
      } finally {
        await client.end().catch(() => {});
      }
    }),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString() };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** initdb and postgres refuse to run as root: as root they run as the `postgres` user (spawned with its uid, so signals reach the server itself). */
function serverUser(): { uid: number; gid: number } | undefined | 'missing' {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return 'missing';
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function startPrivateCluster(t: Test): Promise<{ url: string } | { skip: string }> {
  if (!existsSync(join(PG_BIN, 'initdb'))) return { skip: `no INTEROP_TEST_DATABASE_URL and no PostgreSQL binaries in ${PG_BIN} (apt-get install postgresql, or set INTEROP_TEST_DATABASE_URL)` };
  const dir = mkdtempSync(join(tmpdir(), 'interop-pg-'));
  const user = serverUser();
  if (user === 'missing') {
    rmSync(dir, { recursive: true, force: true });
    return { skip: 'running as root and there is no postgres user to run the server as' };
  }
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const init = spawnSync(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], { encoding: 'utf8', cwd: dir, ...(user ?? {}) });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `initdb failed: ${(init.stderr || init.stdout).trim().split('\n').pop()}` };
  }
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'];
  const server: ChildProcess = spawn(join(PG_BIN, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, ...(user ?? {}) });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  t.teardown(
    bounded(
      'the private PostgreSQL to stop (fast shutdown)',
      async () => {
        if (server.exitCode === null) {
          // SIGINT: fast shutdown (open sessions are disconnected, not waited for).
          server.kill('SIGINT');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
      // SIGQUIT: immediate shutdown, the server's children are killed without a checkpoint (the cluster is thrown away).
      { force: () => server.kill('SIGQUIT') },
    ),
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (server.exitCode !== null) return { skip: `postgres exited: ${log.trim().split('\n').pop()}` };
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return { url };
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { skip: `postgres did not accept connections: ${log.trim().split('\n').pop()}` };
}
