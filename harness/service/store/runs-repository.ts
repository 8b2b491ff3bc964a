import { randomUUID } from 'node:crypto';
import type { Run, RunProgress, RunStatus } from '../domain.js';
import type { Queryable } from './database.js';
import { iso, isoOrNull, json } from './rows.js';

const COLUMNS = 'id, evaluation_id, supplier_id, profile, kind, status, verdict, summary, progress, error, attempts, created_at, started_at, finished_at';

function toRun(row: Record<string, unknown>): Run {
  return {
    id: String(row.id),
    evaluationId: String(row.evaluation_id),
    supplierId: String(row.supplier_id),
    profile: String(row.profile),
    kind: row.kind as Run['kind'],
    status: row.status as RunStatus,
    verdict: (row.verdict as string | null) ?? null,
    summary: row.summary == null ? null : json<Record<string, unknown>>(row.summary),
    progress: json<RunProgress>(row.progress ?? {}),
    error: (row.error as string | null) ?? null,
    attempts: Number(row.attempts),
    createdAt: iso(row.created_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

/** A stored report file of a run. */
export interface RunArtifact {
  name: string;
  mediaType: string;
  content: string;
}

/**
 * Runs and what they produced. A run moves queued -> running -> finished|failed;
 * every transition names the queue job it belongs to, so a job that a sweep
 * has already replaced (its worker died) cannot move the run any more.
 *
 * @example
 *   const run = await createRun(db, { evaluationId, supplierId, profile: 'baseline', kind: 'evaluation', queuedBy });
 */
export async function createRun(db: Queryable, input: { evaluationId: string; supplierId: string; profile: string; kind: Run['kind']; queuedBy: string | null }): Promise<Run> {
  const { rows } = await db.query(
    `INSERT INTO runs (id, evaluation_id, supplier_id, profile, kind, status, queued_by) VALUES ($1, $2, $3, $4, $5, 'queued', $6) RETURNING ${COLUMNS}`,
    [randomUUID(), input.evaluationId, input.supplierId, input.profile, input.kind, input.queuedBy],
  );
  return toRun(rows[0]!);
}

export async function runById(db: Queryable, id: string): Promise<Run | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM runs WHERE id = $1`, [id]);
  return rows[0] ? toRun(rows[0]) : undefined;
}

/** Newest first; `supplierId` narrows to one supplier (a supplier account's view). */
export async function listRuns(db: Queryable, filter: { evaluationId: string; supplierId?: string; limit?: number }): Promise<Run[]> {
  const limit = Math.min(filter.limit ?? 200, 1000);
  const { rows } =
    filter.supplierId === undefined
      ? await db.query(`SELECT ${COLUMNS} FROM runs WHERE evaluation_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [filter.evaluationId, limit])
      : await db.query(`SELECT ${COLUMNS} FROM runs WHERE evaluation_id = $1 AND supplier_id = $2 ORDER BY created_at DESC, id LIMIT $3`, [filter.evaluationId, filter.supplierId, limit]);
  return rows.map(toRun);
}

/** Whether the supplier has a self-test queued or running: a supplier may have one at a time. */
export async function hasPendingSelfTest(db: Queryable, supplierId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM runs WHERE supplier_id = $1 AND kind = 'self-test' AND status IN ('queued', 'running') LIMIT 1`, [supplierId]);
  return rows.length > 0;
}

/** The latest finished evaluation run of each supplier and profile: what the compare matrix shows. */
export async function latestFinishedRuns(db: Queryable, evaluationId: string): Promise<Run[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT ON (supplier_id, profile) ${COLUMNS} FROM runs
      WHERE evaluation_id = $1 AND status = 'finished' AND kind = 'evaluation'
      ORDER BY supplier_id, profile, finished_at DESC, id`,
    [evaluationId],
  );
  return rows.map(toRun);
}

export async function setJob(db: Queryable, runId: string, jobId: string): Promise<void> {
  await db.query('UPDATE runs SET job_id = $2 WHERE id = $1', [runId, jobId]);
}

/** Claims the run for a worker; false when the job is stale (replaced by a sweep) or the run already ended. */
export async function markRunning(db: Queryable, runId: string, jobId: string, worker: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE runs SET status = 'running', worker = $3, heartbeat_at = now(), started_at = now(), attempts = attempts + 1, error = NULL
      WHERE id = $1 AND job_id = $2 AND status IN ('queued', 'running') RETURNING id`,
    [runId, jobId, worker],
  );
  return rows.length > 0;
}

export async function heartbeat(db: Queryable, runId: string, jobId: string, progress: RunProgress): Promise<void> {
  await db.query(`UPDATE runs SET heartbeat_at = now(), progress = $3::jsonb WHERE id = $1 AND job_id = $2 AND status = 'running'`, [runId, jobId, JSON.stringify(progress)]);
}

/** Stores the report files and the outcome in one transaction: a finished run always has its reports. */
export async function finishRun(
  db: Queryable,
  input: { runId: string; jobId: string; verdict: string; summary: unknown; progress: RunProgress; artifacts: RunArtifact[] },
): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE runs SET status = 'finished', verdict = $3, summary = $4::jsonb, progress = $5::jsonb, finished_at = now(), heartbeat_at = now()
      WHERE id = $1 AND job_id = $2 AND status = 'running' RETURNING id`,
    [input.runId, input.jobId, input.verdict, JSON.stringify(input.summary), JSON.stringify(input.progress)],
  );
  if (rows.length === 0) return false;
  for (const artifact of input.artifacts) {
    await db.query('INSERT INTO run_artifacts (run_id, name, media_type, content) VALUES ($1, $2, $3, $4)', [input.runId, artifact.name, artifact.mediaType, artifact.content]);
  }
  return true;
}

/** Ends the run without a report; `jobId` undefined means a sweep (any job). */
export async function failRun(db: Queryable, runId: string, jobId: string | undefined, error: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE runs SET status = 'failed', error = $3, finished_at = now() WHERE id = $1 AND ($2::text IS NULL OR job_id = $2) AND status IN ('queued', 'running') RETURNING id`,
    [runId, jobId ?? null, error],
  );
  return rows.length > 0;
}

/** Puts a run whose worker vanished back in the queue under a new job id. */
export async function requeueRun(db: Queryable, runId: string, oldJobId: string | null, newJobId: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE runs SET status = 'queued', job_id = $3, worker = NULL, heartbeat_at = NULL, progress = '{}'::jsonb
      WHERE id = $1 AND job_id IS NOT DISTINCT FROM $2 AND status IN ('queued', 'running') RETURNING id`,
    [runId, oldJobId, newJobId],
  );
  return rows.length > 0;
}

/** Hands a run its worker is leaving (a graceful stop) back to the queue, without counting the attempt. */
export async function releaseRun(db: Queryable, runId: string, jobId: string, newJobId: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE runs SET status = 'queued', job_id = $3, worker = NULL, heartbeat_at = NULL, progress = '{}'::jsonb, attempts = greatest(attempts - 1, 0)
      WHERE id = $1 AND job_id = $2 AND status = 'running' RETURNING id`,
    [runId, jobId, newJobId],
  );
  return rows.length > 0;
}

/** Runs whose worker stopped reporting: running with a heartbeat older than `staleSeconds`. */
export async function staleRuns(db: Queryable, staleSeconds: number): Promise<Array<{ id: string; jobId: string | null; attempts: number }>> {
  const { rows } = await db.query<{ id: string; job_id: string | null; attempts: number }>(
    `SELECT id, job_id, attempts FROM runs WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)`,
    [staleSeconds],
  );
  return rows.map((row) => ({ id: String(row.id), jobId: row.job_id, attempts: Number(row.attempts) }));
}

/** Queued runs older than `ageSeconds`, with their job id: the sweep checks the queue still holds that job. */
export async function oldQueuedRuns(db: Queryable, ageSeconds: number): Promise<Array<{ id: string; jobId: string | null; attempts: number }>> {
  const { rows } = await db.query<{ id: string; job_id: string | null; attempts: number }>(
    `SELECT id, job_id, attempts FROM runs WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1)`,
    [ageSeconds],
  );
  return rows.map((row) => ({ id: String(row.id), jobId: row.job_id, attempts: Number(row.attempts) }));
}

export async function artifactOf(db: Queryable, runId: string, name: string): Promise<RunArtifact | undefined> {
  const { rows } = await db.query<{ name: string; media_type: string; content: string }>('SELECT name, media_type, content FROM run_artifacts WHERE run_id = $1 AND name = $2', [runId, name]);
  return rows[0] ? { name: rows[0].name, mediaType: rows[0].media_type, content: rows[0].content } : undefined;
}

/** A progress event as stored for followers in other processes. */
export interface StoredRunEvent {
  id: number;
  runId: string;
  at: string;
  type: string;
  data: Record<string, unknown>;
}

export async function appendRunEvent(db: Queryable, runId: string, type: string, data: Record<string, unknown>): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO run_events (run_id, type, data) VALUES ($1, $2, $3::jsonb) RETURNING id', [runId, type, JSON.stringify(data)]);
  return Number(rows[0]!.id);
}

/** Events of a run after `afterId` (0: from the start), oldest first. */
export async function runEventsAfter(db: Queryable, runId: string, afterId = 0): Promise<StoredRunEvent[]> {
  const { rows } = await db.query('SELECT id, run_id, at, type, data FROM run_events WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT 1000', [runId, afterId]);
  return rows.map((row) => ({ id: Number(row.id), runId: String(row.run_id), at: iso(row.at), type: String(row.type), data: json<Record<string, unknown>>(row.data) }));
}
