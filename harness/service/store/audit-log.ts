import type { AuditEntry } from '../domain.js';
import type { Queryable } from './database.js';
import { iso, json } from './rows.js';

/**
 * Who did what and when (Maximum Transparency by Default). Append-only: no
 * code path updates or deletes a row. `detail` never holds a secret: callers
 * pass names and ids, never credentials.
 *
 * @example
 *   await audit(db, { accountId, action: 'run.queued', evaluationId, subject: runId, detail: { supplier: supplierId } });
 */
export async function audit(
  db: Queryable,
  entry: { accountId: string | null; action: string; evaluationId?: string | null; subject?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db.query('INSERT INTO audit_log (account_id, action, evaluation_id, subject, detail) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    entry.accountId,
    entry.action,
    entry.evaluationId ?? null,
    entry.subject ?? null,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

export async function auditEntries(db: Queryable, filter: { evaluationId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  const limit = Math.min(filter.limit ?? 200, 1000);
  const { rows } =
    filter.evaluationId === undefined
      ? await db.query('SELECT * FROM audit_log ORDER BY id DESC LIMIT $1', [limit])
      : await db.query('SELECT * FROM audit_log WHERE evaluation_id = $1 ORDER BY id DESC LIMIT $2', [filter.evaluationId, limit]);
  return rows.map((row) => ({
    id: Number(row.id),
    at: iso(row.at),
    accountId: row.account_id === null ? null : String(row.account_id),
    action: String(row.action),
    evaluationId: row.evaluation_id === null ? null : String(row.evaluation_id),
    subject: row.subject === null ? null : String(row.subject),
    detail: json<Record<string, unknown>>(row.detail),
  }));
}
