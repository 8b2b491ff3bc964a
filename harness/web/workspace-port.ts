/**
 * The pages' port onto the service core: every change goes through the
 * core's workspace (which authorises it with the access policy and writes the
 * audit log), every read is preceded by the policy's check, and whatever the
 * policy refuses (403 or 404) becomes `null`, so a page answers 404 for
 * another supplier's run exactly as for a run that does not exist.
 */
import { listBundledProfiles } from '../profile/bundled-profiles.js';
import type { Report } from '../report/report-types.js';
import type { ServiceContext } from '../service/app.js';
import type { Account, Run, Supplier } from '../service/domain.js';
import { verifyPassword } from '../service/passwords.js';
import { accountByEmail, accountById, passwordHashOf } from '../service/store/accounts-repository.js';
import { audit, auditEntries } from '../service/store/audit-log.js';
import { artifactOf, latestFinishedRuns, runEventsAfter, type StoredRunEvent } from '../service/store/runs-repository.js';
import { listSuppliers, supplierById } from '../service/store/suppliers-repository.js';
import type { AuditEntry, EvaluationSummary, ProgressEvent, ReportFile, RunView, SupplierView, WebAccount, WebSession, WorkspacePort } from './web-port.js';

/**
 * A stored hash of a random password, checked when the email is unknown so
 * that an unknown email costs the same time as a wrong password.
 */
const DECOY_HASH = 'scrypt$17$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Password checks at once: each scrypt hash takes 128 MiB, so a burst of logins is queued, not run in parallel. */
const MAX_HASHES_AT_ONCE = 2;
/** Password checks waiting their turn: past this, a login is answered "busy" at once instead of queueing without bound. */
const MAX_HASHES_WAITING = 20;

/**
 * @example
 *   const port = createWorkspacePort(service.context);
 *   await app.register(createWebPlugin({ port }));
 */
export function createWorkspacePort(context: ServiceContext): WorkspacePort {
  const { db, workspace, policy } = context;
  const hashing = createGate(MAX_HASHES_AT_ONCE, MAX_HASHES_WAITING);

  /** The policy's answer, with a refusal (403 or 404) as null. */
  async function allowed<T>(check: () => Promise<T>): Promise<T | null> {
    try {
      return await check();
    } catch (err) {
      if (err instanceof Error && err.name === 'AccessDenied') return null;
      throw err;
    }
  }

  async function runView(run: Run, supplier?: Supplier): Promise<RunView> {
    const owner = supplier ?? (await supplierById(db, run.supplierId));
    const failed = run.summary && typeof run.summary.failed === 'number' ? run.summary.failed : null;
    return {
      id: run.id,
      evaluationId: run.evaluationId,
      supplierId: run.supplierId,
      supplierName: owner?.name ?? 'unknown supplier',
      profile: run.profile,
      status: run.status,
      verdict: run.verdict,
      failed,
      error: run.error,
      queuedAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      selfTest: run.kind === 'self-test',
    };
  }

  return {
    async authenticate(email, password) {
      const account = await accountByEmail(db, email);
      const stored = account && !account.disabled ? await passwordHashOf(db, account.id) : undefined;
      const ok = await hashing(() => verifyPassword(password, stored ?? DECOY_HASH));
      return ok && account && stored ? webAccount(account) : null;
    },
    async accountById(id) {
      const account = await accountById(db, id);
      return account && !account.disabled ? webAccount(account) : null;
    },
    async createSession(session: WebSession) {
      // Expired sessions go as new ones arrive: the table holds live sessions only, and no timer is needed.
      await db.query('DELETE FROM sessions WHERE expires_at < now()');
      await db.query('INSERT INTO sessions (id_sha256, account_id, csrf_secret, expires_at) VALUES ($1, $2, $3, $4)', [session.idHash, session.accountId, session.csrfToken, session.expiresAt.toISOString()]);
    },
    async findSession(idHash) {
      const { rows } = await db.query<{ account_id: string; csrf_secret: string; expires_at: unknown }>(
        'UPDATE sessions SET last_seen_at = now() WHERE id_sha256 = $1 AND expires_at > now() RETURNING account_id, csrf_secret, expires_at',
        [idHash],
      );
      const row = rows[0];
      return row ? { idHash, accountId: String(row.account_id), csrfToken: row.csrf_secret, expiresAt: new Date(row.expires_at as string | Date) } : null;
    },
    async deleteSession(idHash) {
      await db.query('DELETE FROM sessions WHERE id_sha256 = $1', [idHash]);
    },

    bundledProfiles: () => listBundledProfiles().map((p) => p.id),

    async listEvaluations(account) {
      return (await workspace.listEvaluations(account)).map(evaluationSummary);
    },
    async evaluation(account, id) {
      const evaluation = await allowed(() => workspace.getEvaluation(account, id));
      if (!evaluation) return null;
      const suppliers = await workspace.listSuppliers(account, evaluation.id);
      const byId = new Map(suppliers.map((s) => [s.id, s]));
      const runs = await workspace.listRuns(account, evaluation.id);
      return {
        ...evaluationSummary(evaluation),
        suppliers: suppliers.map(supplierView),
        runs: await Promise.all(runs.map((run) => runView(run, byId.get(run.supplierId)))),
      };
    },
    async createEvaluation(account, input) {
      const evaluation = await workspace.createEvaluation(account, { name: input.name, profiles: input.profiles, deadline: input.deadline ?? null });
      return { id: evaluation.id };
    },
    async addSupplier(account, evaluationId, input) {
      const supplier = await workspace.addSupplier(account, evaluationId, input.auth === undefined ? { name: input.name, target: input.target } : { name: input.name, target: input.target, auth: input.auth });
      return { id: supplier.id };
    },
    async queueRuns(account, evaluationId, supplierIds) {
      const runs = await workspace.queueRuns(account, evaluationId, supplierIds.length > 0 ? { suppliers: supplierIds } : {});
      return Promise.all(runs.map((run) => runView(run)));
    },
    async run(account, runId) {
      const run = await allowed(() => workspace.getRun(account, runId));
      return run ? runView(run) : null;
    },
    async progress(account, runId, afterSeq) {
      const run = await allowed(() => workspace.getRun(account, runId));
      if (!run) return null;
      return (await runEventsAfter(db, run.id, afterSeq)).map(progressEvent);
    },
    async reportFile(account, runId, file: ReportFile) {
      const artifact = await allowed(() => workspace.artifact(account, runId, file));
      return artifact ? Buffer.from(artifact.content, 'utf8') : null;
    },
    async publicKey(account, evaluationId) {
      return allowed(() => workspace.publicKey(account, evaluationId));
    },
    async latestReports(account, evaluationId) {
      const evaluation = await allowed(() => policy.evaluation(account, evaluationId, 'compare'));
      if (!evaluation) return [];
      const suppliers = new Map((await listSuppliers(db, evaluation.id)).map((s) => [s.id, s]));
      const latest: Array<{ supplier: SupplierView; run: RunView; report: Report }> = [];
      for (const run of await latestFinishedRuns(db, evaluation.id)) {
        const supplier = suppliers.get(run.supplierId);
        const artifact = supplier ? await artifactOf(db, run.id, 'report.json') : undefined;
        if (!supplier || !artifact) continue;
        latest.push({ supplier: supplierView(supplier), run: await runView(run, supplier), report: JSON.parse(artifact.content) as Report });
      }
      // Suppliers in the order they were added, so columns keep their place between visits.
      return latest.sort((a, b) => [...suppliers.keys()].indexOf(a.supplier.id) - [...suppliers.keys()].indexOf(b.supplier.id));
    },
    async supplier(account, supplierId) {
      const supplier = await allowed(() => workspace.getSupplier(account, supplierId));
      return supplier ? supplierView(supplier) : null;
    },
    async supplierRuns(account, supplierId) {
      const supplier = await allowed(() => workspace.getSupplier(account, supplierId));
      if (!supplier) return [];
      const runs = await workspace.listRuns(account, supplier.evaluationId, supplier.id);
      return Promise.all(runs.map((run) => runView(run, supplier)));
    },
    async uploadClaims(account, supplierId, claimsJson) {
      let claims: unknown;
      try {
        claims = JSON.parse(claimsJson);
      } catch (err) {
        throw Object.assign(new Error(`the claims document is not JSON: ${err instanceof Error ? err.message : String(err)}`), { status: 400 });
      }
      await workspace.setClaims(account, supplierId, claims);
    },
    async auditLog(account, evaluationId, limit) {
      let entries;
      if (evaluationId === null) {
        if (account.role !== 'admin') return null;
        entries = await auditEntries(db, { limit });
      } else {
        entries = await allowed(() => workspace.auditLog(account, evaluationId));
        if (entries === null) return null;
      }
      const emails = new Map<string, string>();
      const result: AuditEntry[] = [];
      for (const entry of entries.slice(0, limit)) {
        let actor = 'the service';
        if (entry.accountId !== null) {
          if (!emails.has(entry.accountId)) emails.set(entry.accountId, (await accountById(db, entry.accountId))?.email ?? entry.accountId);
          actor = emails.get(entry.accountId)!;
        }
        result.push({ at: entry.at, actor, action: entry.action, subject: entry.subject, detail: Object.keys(entry.detail).length === 0 ? null : JSON.stringify(entry.detail) });
      }
      return result;
    },
    async audit(entry) {
      await audit(db, { accountId: entry.actorId, action: entry.action, subject: entry.subject ?? null, detail: entry.detail ?? {} });
    },
  };
}

function webAccount(account: Account): WebAccount {
  return { id: account.id, email: account.email, role: account.role, supplierId: account.supplierId };
}

function evaluationSummary(evaluation: { id: string; name: string; profiles: string[]; deadline: string | null; createdAt: string }): EvaluationSummary {
  return { id: evaluation.id, name: evaluation.name, profiles: evaluation.profiles, deadline: evaluation.deadline, createdAt: evaluation.createdAt };
}

const AUTH_LABEL: Readonly<Record<string, string>> = { bearerToken: 'bearer token', clientCredentials: 'OAuth client credentials', headers: 'header' };

function supplierView(supplier: Supplier): SupplierView {
  return {
    id: supplier.id,
    evaluationId: supplier.evaluationId,
    name: supplier.name,
    target: supplier.target,
    authKind: AUTH_LABEL[supplier.authKind] ?? null,
    hasClaims: supplier.hasClaims,
  };
}

/** A stored run event as one line for people. */
function progressEvent(event: StoredRunEvent): ProgressEvent {
  const data = event.data;
  const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const str = (value: unknown): string => (typeof value === 'string' ? value : '');
  const done = num(data.probesFinished);
  const total = num(data.operations);
  let text: string;
  switch (event.type) {
    case 'queued':
      text = `Queued${data.profile ? ` (profile ${str(data.profile)})` : ''}.`;
      break;
    case 'started':
      text = `Started${num(data.attempt) ? ` (attempt ${num(data.attempt)})` : ''}.`;
      break;
    case 'progress':
      text = done !== undefined && total !== undefined ? `Probed ${done} of ${total} operations${data.lastOperation ? `: ${str(data.lastOperation)}` : ''}.` : 'Probing.';
      break;
    case 'requeued':
      text = `Requeued: ${str(data.reason) || 'its worker stopped'}.`;
      break;
    case 'finished':
      text = `Finished: ${str(data.verdict)}${num(data.failed) !== undefined ? `, ${num(data.failed)} failed` : ''}.`;
      break;
    case 'failed':
      text = `Failed: ${str(data.error)}`;
      break;
    default:
      text = event.type;
  }
  return { seq: event.id, type: event.type, text, ...(done !== undefined ? { done } : {}), ...(total !== undefined ? { total } : {}) };
}

/**
 * Runs at most `limit` tasks at once; up to `maxWaiting` more wait their turn,
 * and past that a task is refused with a `LoginsBusy` error without running.
 *
 * @example
 *   const hashing = createGate(2, 20);
 *   const ok = await hashing(() => verifyPassword(password, stored)); // throws LoginsBusy when 20 already wait
 */
export function createGate(limit: number, maxWaiting: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function gate<T>(task: () => Promise<T>): Promise<T> {
    if (running >= limit && waiting.length >= maxWaiting) throw Object.assign(new Error('too many sign-ins are waiting for their password check'), { name: 'LoginsBusy' });
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
