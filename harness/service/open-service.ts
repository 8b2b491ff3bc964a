import type PgBoss from 'pg-boss';
import { parseAllowedTargets } from '../index.js';
import { createAccessPolicy } from './access-policy.js';
import type { ServiceContext } from './app.js';
import { bootstrapAdmin, checkBootstrapToken } from './bootstrap.js';
import { createProgressHub } from './queue/progress-hub.js';
import { startRunQueue } from './queue/run-queue.js';
import { startRunWorker, type RunWorker } from './queue/run-worker.js';
import { createSecretBox, loadSecretKey } from './secret-box.js';
import { applyMigrations } from './store/migrations.js';
import { openDatabase } from './store/open-database.js';
import { createWorkspace } from './workspace.js';

export interface OpenServiceOptions {
  env: NodeJS.ProcessEnv;
  /** Embedded data folder (ignored when env.DATABASE_URL is set). */
  dataDir?: string;
  /** Start an in-process worker (serve in embedded mode; `worker` always). */
  worker?: boolean | { concurrency?: number; heartbeatSeconds?: number; staleSeconds?: number };
  /** One line for the operator (stderr). */
  note(line: string): void;
}

export interface OpenService {
  context: ServiceContext;
  boss: PgBoss;
  worker?: RunWorker;
  /** Stops the worker, the queue and the database, in that order. */
  close(): Promise<void>;
}

/**
 * Everything under the app, opened in order: database, migrations, secret
 * key, bootstrap admin, queue, progress hub, workspace, and (if asked) a
 * worker. Shared by `serve`, `worker` and tests.
 *
 * @example
 *   const service = await openService({ env: process.env, dataDir: './interop-data', worker: true, note: console.error });
 *   const app = await buildApp({ context: service.context });
 */
export async function openService(options: OpenServiceOptions): Promise<OpenService> {
  checkBootstrapToken(options.env.INTEROP_BOOTSTRAP_TOKEN);
  const allowedTargets = parseAllowedTargets(options.env.INTEROP_ALLOWED_TARGETS, 'INTEROP_ALLOWED_TARGETS');
  const databaseUrl = options.env.DATABASE_URL || undefined;
  const db = await openDatabase({ ...(databaseUrl ? { databaseUrl } : {}), ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  try {
    await applyMigrations(db);
    const key = await loadSecretKey({ env: options.env, ...(db.dataDir ? { dataDir: db.dataDir } : {}), note: options.note });
    const box = createSecretBox(key);
    const bootstrap = await bootstrapAdmin(db, options.env.INTEROP_BOOTSTRAP_TOKEN);
    if (bootstrap === 'created') options.note('INTEROP_BOOTSTRAP_TOKEN: created the admin account admin@localhost with that API token');
    const boss = await startRunQueue(db);
    const hub = await createProgressHub(db);
    const policy = createAccessPolicy(db);
    const workspace = createWorkspace({ db, box, boss, hub, policy, allowedTargets });
    if (allowedTargets.entries === undefined) {
      options.note('warning: INTEROP_ALLOWED_TARGETS is unset, so suppliers\' targets and token URLs may be any address this host reaches (cloud metadata excepted); set it to your sandboxes\' origins, *.domains or CIDR ranges');
    }
    const workerOptions = options.worker === true ? {} : options.worker || undefined;
    const worker = workerOptions
      ? await startRunWorker({ db, boss, hub, box, allowedTargets, ...workerSettings(options.env), ...workerOptions, log: options.note })
      : undefined;
    return {
      context: { db, workspace, policy, hub, box },
      boss,
      ...(worker ? { worker } : {}),
      async close() {
        await worker?.stop();
        await boss.stop({ graceful: false, wait: true, close: false }).catch(() => {});
        await hub.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Worker settings from the environment: INTEROP_WORKER_CONCURRENCY, INTEROP_WORKER_STALE_SECONDS. */
function workerSettings(env: NodeJS.ProcessEnv): { concurrency?: number; staleSeconds?: number; heartbeatSeconds?: number } {
  const settings: { concurrency?: number; staleSeconds?: number; heartbeatSeconds?: number } = {};
  const concurrency = Number(env.INTEROP_WORKER_CONCURRENCY);
  if (Number.isInteger(concurrency) && concurrency > 0) settings.concurrency = concurrency;
  const stale = Number(env.INTEROP_WORKER_STALE_SECONDS);
  if (Number.isFinite(stale) && stale > 0) {
    settings.staleSeconds = stale;
    settings.heartbeatSeconds = Math.max(0.2, stale / 6);
  }
  return settings;
}
