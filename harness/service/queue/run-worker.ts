import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { isHarnessError, type AllowedTargets } from '../../index.js';
import type { RunProgress } from '../domain.js';
import type { SecretBox } from '../secret-box.js';
import type { Database } from '../store/database.js';
import { failRun, finishRun, heartbeat, markRunning, oldQueuedRuns, releaseRun, requeueRun, runById, setJob, staleRuns } from '../store/runs-repository.js';
import { executeRun } from './execute-run.js';
import type { ProgressHub } from './progress-hub.js';
import { RUN_JOB_OPTIONS, RUN_QUEUE } from './run-queue.js';

/** A run whose worker vanished is tried this many times in all, then failed. */
export const MAX_RUN_ATTEMPTS = 2;

export interface RunWorkerOptions {
  db: Database;
  boss: PgBoss;
  hub: ProgressHub;
  box: SecretBox;
  /** INTEROP_ALLOWED_TARGETS, parsed: where runs may send requests. */
  allowedTargets: AllowedTargets;
  /** Runs executed at once by this process (default 2). */
  concurrency?: number;
  /** How often a running run proves its worker alive (default 5 s). */
  heartbeatSeconds?: number;
  /** A running run whose heartbeat is older than this is taken to be orphaned (default 60 s). */
  staleSeconds?: number;
  /** One line per notable event (a run requeued after its worker vanished). */
  log?(line: string): void;
}

export interface RunWorker {
  readonly id: string;
  /** Finds orphaned runs now (also done at start and every `staleSeconds / 2`). */
  sweep(): Promise<void>;
  /** Stops taking jobs, aborts the runs in flight and hands them back to the queue (not counted as an attempt). */
  stop(): Promise<void>;
}

/**
 * Executes queued runs: `concurrency` pg-boss workers on the run queue, a
 * heartbeat on every run in flight, and a sweep that puts back in the queue
 * (or, after MAX_RUN_ATTEMPTS, fails) any run whose worker stopped beating
 * or whose job the queue no longer holds, so no run stays "running" forever
 * whatever process died where.
 *
 * @example
 *   const worker = await startRunWorker({ db, boss, hub, box, concurrency: 2 });
 *   // …
 *   await worker.stop();
 */
export async function startRunWorker(options: RunWorkerOptions): Promise<RunWorker> {
  const { db, boss, hub, box } = options;
  const id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const heartbeatMs = (options.heartbeatSeconds ?? 5) * 1000;
  const staleSeconds = options.staleSeconds ?? 60;
  const log = options.log ?? (() => {});
  const inFlight = new Map<AbortController, { runId: string; jobId: string }>();
  let stopping = false;

  async function handle(job: PgBoss.Job<{ runId: string }>): Promise<void> {
    const runId = job.data.runId;
    if (stopping || !(await markRunning(db, runId, job.id, id))) return; // replaced by a sweep, or already ended
    const run = (await runById(db, runId))!;
    const scope = { runId, evaluationId: run.evaluationId, supplierId: run.supplierId };
    await hub.publish({ ...scope, type: 'started', data: { attempt: run.attempts, worker: id } });
    const controller = new AbortController();
    inFlight.set(controller, { runId, jobId: job.id });
    let latest: RunProgress = {};
    let lastPublished = Promise.resolve();
    const beat = setInterval(() => void heartbeat(db, runId, job.id, latest).catch(() => {}), heartbeatMs);
    try {
      const outcome = await executeRun(db, box, run, {
        signal: controller.signal,
        allowedTargets: options.allowedTargets,
        onProgress(progress) {
          latest = progress;
          lastPublished = lastPublished.then(() => hub.publish({ ...scope, type: 'progress', data: { ...progress } }).then(() => {})).catch(() => {});
        },
      });
      await lastPublished;
      if (stopping) return; // aborted by stop(): the sweep requeues it
      const summary = outcome.report.summary;
      const finished = await db.transaction((tx) =>
        finishRun(tx, { runId, jobId: job.id, verdict: summary.verdict, summary, progress: outcome.progress, artifacts: outcome.artifacts }),
      );
      if (finished) await hub.publish({ ...scope, type: 'finished', data: { verdict: summary.verdict, failed: summary.failed, passed: summary.passed } });
    } catch (error) {
      if (stopping) return;
      // A HarnessError is the supplier's or the set-up's (unreachable target, token refused): the run failed.
      const message = isHarnessError(error) ? `${error.message} [${error.code}]` : `internal error: ${error instanceof Error ? error.message : String(error as unknown)}`;
      if (await failRun(db, runId, job.id, message)) await hub.publish({ ...scope, type: 'failed', data: { error: message } });
    } finally {
      clearInterval(beat);
      inFlight.delete(controller);
    }
  }

  async function requeueOrFail(run: { id: string; jobId: string | null; attempts: number }, why: string): Promise<void> {
    const current = await runById(db, run.id);
    if (!current) return;
    const scope = { runId: run.id, evaluationId: current.evaluationId, supplierId: current.supplierId };
    if (run.attempts >= MAX_RUN_ATTEMPTS) {
      const message = `${why}; given up after ${run.attempts} attempts`;
      if (await failRun(db, run.id, undefined, message)) await hub.publish({ ...scope, type: 'failed', data: { error: message } });
      log(`run ${run.id} failed: ${message}`);
      return;
    }
    const jobId = await boss.send(RUN_QUEUE, { runId: run.id }, RUN_JOB_OPTIONS);
    if (jobId === null) return;
    if (await requeueRun(db, run.id, run.jobId, jobId)) {
      await hub.publish({ ...scope, type: 'requeued', data: { reason: why } });
      log(`run ${run.id} requeued: ${why}`);
    } else {
      await boss.cancel(RUN_QUEUE, jobId).catch(() => {});
    }
  }

  async function sweep(): Promise<void> {
    for (const run of await staleRuns(db, staleSeconds)) await requeueOrFail(run, `its worker stopped reporting for over ${staleSeconds} s`);
    // A queued run whose job is gone or ended (the process died between queuing and sending, or pg-boss gave up) is queued again.
    for (const run of await oldQueuedRuns(db, staleSeconds)) {
      const job = run.jobId === null ? null : await boss.getJobById(RUN_QUEUE, run.jobId);
      if (job && (job.state === 'created' || job.state === 'retry' || job.state === 'active')) continue;
      if (run.jobId === null) {
        const jobId = await boss.send(RUN_QUEUE, { runId: run.id }, RUN_JOB_OPTIONS);
        if (jobId) await setJob(db, run.id, jobId);
        continue;
      }
      await requeueOrFail(run, `its queue job ended (${job?.state ?? 'missing'}) before the run did`);
    }
  }

  await sweep();
  const sweeper = setInterval(() => void sweep().catch((error: unknown) => log(`sweep failed: ${(error as Error).message}`)), (staleSeconds * 1000) / 2);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  for (let i = 0; i < concurrency; i++) {
    await boss.work<{ runId: string }>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (job) await handle(job);
    });
  }
  return {
    id,
    sweep,
    async stop() {
      stopping = true;
      clearInterval(sweeper);
      await boss.offWork(RUN_QUEUE);
      for (const [controller, { runId, jobId }] of inFlight) {
        controller.abort();
        // Another worker (or this one, restarted) takes it up; if this fails, the sweep does it later.
        const newJobId = await boss.send(RUN_QUEUE, { runId }, RUN_JOB_OPTIONS).catch(() => null);
        if (newJobId && !(await releaseRun(db, runId, jobId, newJobId).catch(() => false))) await boss.cancel(RUN_QUEUE, newJobId).catch(() => {});
      }
    },
  };
}
