import PgBoss from 'pg-boss';
import type { Database } from '../store/database.js';

/** The pg-boss queue every run job goes through. */
export const RUN_QUEUE = 'interop-runs';

/**
 * How long a job may stay active before pg-boss expires it: above the engine's
 * own 10-minute run budget plus the export wait, so only a dead worker's job expires.
 */
export const RUN_JOB_EXPIRE_SECONDS = 30 * 60;

/**
 * pg-boss 10 on the service's own database. It is given our `Database` as its
 * `db` (its documented `executeSql` adapter), which is what lets it run on
 * the embedded PGlite as well as on a PostgreSQL server: one queue, same
 * tables, either way. Only `supervise` (expiry, archiving) runs; no cron.
 *
 * @example
 *   const boss = await startRunQueue(db);
 *   const jobId = await boss.send(RUN_QUEUE, { runId }, RUN_JOB_OPTIONS);
 */
export async function startRunQueue(db: Database): Promise<PgBoss> {
  const boss = new PgBoss({ db, schema: 'pgboss', supervise: true, schedule: false, migrate: true });
  // pg-boss reports maintenance errors as events; an unhandled 'error' would kill the process.
  boss.on('error', () => {});
  await boss.start();
  if (!(await boss.getQueue(RUN_QUEUE))) {
    // Two processes starting together may both try; the loser finds the queue made.
    await boss.createQueue(RUN_QUEUE).catch(async (error: unknown) => {
      if (!(await boss.getQueue(RUN_QUEUE))) throw error;
    });
  }
  return boss;
}

/** Options of every run job: one retry after expiry (a worker that vanished), never more. */
export const RUN_JOB_OPTIONS = { retryLimit: 1, expireInSeconds: RUN_JOB_EXPIRE_SECONDS } as const;
