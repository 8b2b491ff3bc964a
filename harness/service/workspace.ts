import type PgBoss from 'pg-boss';
import { admitUrl, generateSigningKeys, listBundledProfiles, type AllowedTargets, type Report } from '../index.js';
import { AccessDenied, type AccessPolicy, type Actor } from './access-policy.js';
import { buildCompareMatrix, type CompareMatrix } from './compare-matrix.js';
import type { Account, AuditEntry, Evaluation, Role, Run, Supplier, SupplierAuth, SupplierAuthKind } from './domain.js';
import { isUuid } from './ids.js';
import { InvalidInput } from './invalid-input.js';
import { hashPassword } from './passwords.js';
import type { ProgressHub } from './queue/progress-hub.js';
import { RUN_JOB_OPTIONS, RUN_QUEUE } from './queue/run-queue.js';
import { sealPurpose } from './seal-purposes.js';
import type { SecretBox } from './secret-box.js';
import { accountByEmail, accountById, addMember, apiTokenById, createAccount, createApiToken, listAccounts, listApiTokens, revokeApiToken, setAccountDisabled, type ApiTokenRecord } from './store/accounts-repository.js';
import { audit, auditEntries } from './store/audit-log.js';
import type { Database, Queryable } from './store/database.js';
import { createEvaluation, publicKeyOf } from './store/evaluations-repository.js';
import { artifactOf, createRun, hasPendingSelfTest, latestFinishedRuns, listRuns, setJob, type RunArtifact } from './store/runs-repository.js';
import { createSupplier, listSuppliers, setClaims } from './store/suppliers-repository.js';

export interface WorkspaceDeps {
  db: Database;
  box: SecretBox;
  boss: PgBoss;
  hub: ProgressHub;
  policy: AccessPolicy;
  /** INTEROP_ALLOWED_TARGETS, parsed: a supplier's target and token URL must be on it. */
  allowedTargets: AllowedTargets;
}

/**
 * Everything a person can do in the evaluation workspace, each step
 * authorised by the access policy and recorded in the audit log. The JSON API
 * and the HTML pages are two views of these same operations: neither touches
 * the repositories for a change of its own.
 *
 * @example
 *   const evaluation = await workspace.createEvaluation(actor, { name: 'Records 2027', profiles: ['baseline'] });
 *   const runs = await workspace.queueRuns(actor, evaluation.id, {});
 */
export type Workspace = ReturnType<typeof createWorkspace>;

export function createWorkspace(deps: WorkspaceDeps) {
  const { db, box, boss, hub, policy, allowedTargets } = deps;

  /** A run and its audit entry, inside the caller's transaction: not on the queue until `dispatch`. */
  async function recordRun(tx: Queryable, actor: Actor, supplier: Supplier, profile: string, kind: Run['kind']): Promise<Run> {
    const created = await createRun(tx, { evaluationId: supplier.evaluationId, supplierId: supplier.id, profile, kind, queuedBy: actor.id });
    await audit(tx, { accountId: actor.id, action: kind === 'self-test' ? 'run.self-test-queued' : 'run.queued', evaluationId: supplier.evaluationId, subject: created.id, detail: { supplier: supplier.id, profile } });
    return created;
  }

  /**
   * A committed run onto the queue. After the commit: a worker that takes the
   * job at once finds the run. A crash in between leaves a queued run without
   * a job, which the sweep sends.
   */
  async function dispatch(run: Run): Promise<Run> {
    const jobId = await boss.send(RUN_QUEUE, { runId: run.id }, RUN_JOB_OPTIONS);
    if (jobId) await setJob(db, run.id, jobId);
    await hub.publish({ runId: run.id, evaluationId: run.evaluationId, supplierId: run.supplierId, type: 'queued', data: { profile: run.profile } });
    return run;
  }

  return {
    policy,

    async createEvaluation(actor: Actor, input: { name: string; profiles: string[]; deadline?: string | null }): Promise<Evaluation> {
      if (!policy.canCreateEvaluation(actor)) throw new AccessDenied(403, 'only admins and evaluators create evaluations');
      const name = input.name.trim();
      if (name === '') throw new InvalidInput('name must not be empty', 'name');
      const known = new Set(listBundledProfiles().map((p) => p.id));
      const profiles = [...new Set(input.profiles)];
      if (profiles.length === 0) throw new InvalidInput('profiles must name at least one bundled profile', 'profiles');
      const unknown = profiles.filter((id) => !known.has(id));
      // Bundled ids only: a path would let a caller make the server read its own files.
      if (unknown.length > 0) throw new InvalidInput(`unknown profile ${unknown.map((id) => JSON.stringify(id)).join(', ')} (bundled: ${[...known].join(', ')})`, 'profiles');
      const deadline = input.deadline ?? null;
      if (deadline !== null && Number.isNaN(Date.parse(deadline))) throw new InvalidInput('deadline must be an ISO 8601 date-time', 'deadline');
      const keys = generateSigningKeys();
      const id = crypto.randomUUID();
      return db.transaction(async (tx) => {
        const evaluation = await createEvaluation(tx, {
          id,
          name,
          profiles,
          deadline,
          sealedPrivateKey: box.seal(keys.privatePem, sealPurpose.signingKey(id)),
          publicPem: keys.publicPem,
          keyId: keys.keyId,
          createdBy: actor.id,
        });
        await addMember(tx, evaluation.id, actor.id);
        await audit(tx, { accountId: actor.id, action: 'evaluation.created', evaluationId: evaluation.id, subject: evaluation.id, detail: { name, profiles } });
        return evaluation;
      });
    },

    listEvaluations: (actor: Actor) => policy.visibleEvaluations(actor),
    getEvaluation: (actor: Actor, id: string) => policy.evaluation(actor, id, 'view'),

    async addMember(actor: Actor, evaluationId: string, accountId: string): Promise<void> {
      await policy.evaluation(actor, evaluationId, 'manage');
      const account = await accountById(db, accountId);
      if (!account || account.role !== 'evaluator') throw new InvalidInput('members are evaluator accounts', 'account');
      await addMember(db, evaluationId, accountId);
      await audit(db, { accountId: actor.id, action: 'evaluation.member-added', evaluationId, subject: accountId });
    },

    async addSupplier(actor: Actor, evaluationId: string, input: { name: string; target: string; auth?: SupplierAuth }): Promise<Supplier> {
      await policy.evaluation(actor, evaluationId, 'manage');
      const name = input.name.trim();
      if (name === '') throw new InvalidInput('name must not be empty', 'name');
      const target = checkTarget(input.target, allowedTargets);
      const authKind = authKindOf(input.auth, allowedTargets);
      const id = crypto.randomUUID();
      return db.transaction(async (tx) => {
        const supplier = await createSupplier(tx, {
          id,
          evaluationId,
          name,
          target,
          authKind,
          sealedAuth: input.auth === undefined ? null : box.seal(JSON.stringify(input.auth), sealPurpose.supplierAuth(id)),
        });
        // The audit names the kind of credential, never its value.
        await audit(tx, { accountId: actor.id, action: 'supplier.added', evaluationId, subject: supplier.id, detail: { name, target, auth: authKind } });
        return supplier;
      });
    },

    async listSuppliers(actor: Actor, evaluationId: string): Promise<Supplier[]> {
      await policy.evaluation(actor, evaluationId, 'view');
      const scope = policy.supplierScope(actor);
      return (await listSuppliers(db, evaluationId)).filter((s) => scope === undefined || s.id === scope);
    },

    getSupplier: (actor: Actor, supplierId: string) => policy.supplier(actor, supplierId, 'view'),

    async setClaims(actor: Actor, supplierId: string, claims: unknown): Promise<void> {
      const supplier = await policy.supplier(actor, supplierId, 'claims');
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new InvalidInput('a claims document is a JSON object (profiles/interop-claims.schema.json)', 'claims');
      await setClaims(db, supplier.id, claims);
      await audit(db, { accountId: actor.id, action: 'supplier.claims-uploaded', evaluationId: supplier.evaluationId, subject: supplier.id });
    },

    /**
     * Queues one run per supplier and profile. Evaluators and admins queue
     * evaluation runs of any supplier; a supplier account queues self-tests of
     * its own sandbox only (they do not enter the compare matrix).
     */
    async queueRuns(actor: Actor, evaluationId: string, input: { suppliers?: string[]; profiles?: string[] }): Promise<Run[]> {
      const evaluation = await policy.evaluation(actor, evaluationId, 'view');
      const all = await listSuppliers(db, evaluationId);
      let chosen: Supplier[];
      let kind: Run['kind'] = 'evaluation';
      if (actor.role === 'supplier') {
        kind = 'self-test';
        if (input.suppliers?.some((id) => id !== actor.supplierId)) throw new AccessDenied(404, 'supplier not found');
        chosen = all.filter((s) => s.id === actor.supplierId);
      } else {
        await policy.evaluation(actor, evaluationId, 'manage');
        const wanted = input.suppliers === undefined ? undefined : new Set(input.suppliers);
        const missing = [...(wanted ?? [])].filter((id) => !all.some((s) => s.id === id));
        if (missing.length > 0) throw new InvalidInput(`no supplier ${missing.join(', ')} in this evaluation`, 'suppliers');
        chosen = all.filter((s) => wanted === undefined || wanted.has(s.id));
      }
      if (chosen.length === 0) throw new InvalidInput('the evaluation has no supplier to run', 'suppliers');
      // Deduplicated: a repeated profile would queue the same run twice.
      const profiles = [...new Set(input.profiles ?? evaluation.profiles)];
      const stray = profiles.filter((p) => !evaluation.profiles.includes(p));
      if (stray.length > 0) throw new InvalidInput(`profile ${stray.join(', ')} is not one of the evaluation's (${evaluation.profiles.join(', ')})`, 'profiles');
      const recorded = await db.transaction(async (tx) => {
        if (kind === 'self-test') {
          // One self-test at a time per supplier: a supplier account cannot flood the queue the panel's runs share.
          // Checked and recorded under a lock on the supplier, so two requests at once cannot both pass the check.
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`self-test:${chosen[0]!.id}`]);
          if (await hasPendingSelfTest(tx, chosen[0]!.id)) throw new InvalidInput('a self-test of this supplier is already queued or running; wait for it to finish', 'suppliers', 409);
        }
        const runs: Run[] = [];
        for (const supplier of chosen) for (const profile of profiles) runs.push(await recordRun(tx, actor, supplier, profile, kind));
        return runs;
      });
      const runs: Run[] = [];
      for (const run of recorded) runs.push(await dispatch(run));
      return runs;
    },

    getRun: (actor: Actor, runId: string) => policy.run(actor, runId),

    async listRuns(actor: Actor, evaluationId: string, supplierId?: string): Promise<Run[]> {
      await policy.evaluation(actor, evaluationId, 'view');
      const scope = policy.supplierScope(actor);
      if (supplierId !== undefined && (!isUuid(supplierId) || (scope !== undefined && supplierId !== scope))) throw new AccessDenied(404, 'supplier not found');
      return listRuns(db, { evaluationId, ...(scope ?? supplierId ? { supplierId: scope ?? supplierId } : {}) });
    },

    async artifact(actor: Actor, runId: string, name: string): Promise<RunArtifact> {
      const run = await policy.run(actor, runId);
      const artifact = await artifactOf(db, run.id, name);
      if (!artifact) throw new AccessDenied(404, run.status === 'finished' ? `run has no ${name}` : `run is ${run.status}: no reports yet`);
      return artifact;
    },

    async compare(actor: Actor, evaluationId: string): Promise<CompareMatrix & { evaluation: string; profiles: string[] }> {
      const evaluation = await policy.evaluation(actor, evaluationId, 'compare');
      const suppliers = await listSuppliers(db, evaluationId);
      const latest: Array<{ run: Run; report: Report }> = [];
      for (const run of await latestFinishedRuns(db, evaluationId)) {
        const artifact = await artifactOf(db, run.id, 'report.json');
        if (artifact) latest.push({ run, report: JSON.parse(artifact.content) as Report });
      }
      return { evaluation: evaluation.id, profiles: evaluation.profiles, ...buildCompareMatrix(evaluation.profiles, suppliers, latest) };
    },

    async publicKey(actor: Actor, evaluationId: string): Promise<string> {
      const evaluation = await policy.evaluation(actor, evaluationId, 'view');
      return (await publicKeyOf(db, evaluation.id))!;
    },

    async auditLog(actor: Actor, evaluationId: string): Promise<AuditEntry[]> {
      await policy.evaluation(actor, evaluationId, 'audit');
      return auditEntries(db, { evaluationId });
    },

    async listAccounts(actor: Actor): Promise<Account[]> {
      if (!policy.canManageAccounts(actor)) throw new AccessDenied(403, 'only admins manage accounts');
      return listAccounts(db);
    },

    async createAccount(actor: Actor, input: { email: string; name: string; role: Role; supplier?: string; password?: string }): Promise<Account> {
      if (!policy.canManageAccounts(actor)) throw new AccessDenied(403, 'only admins manage accounts');
      if (!/^[^\s@]+@[^\s@]+$/.test(input.email)) throw new InvalidInput('email must be an email address', 'email');
      if (input.role === 'supplier' && input.supplier === undefined) throw new InvalidInput('a supplier account names its supplier', 'supplier');
      if (input.role !== 'supplier' && input.supplier !== undefined) throw new InvalidInput('only a supplier account names a supplier', 'supplier');
      if (input.supplier !== undefined) await policy.supplier(actor, input.supplier, 'view').catch(() => {
        throw new InvalidInput('no such supplier', 'supplier');
      });
      if (input.password !== undefined && input.password.length < 12) throw new InvalidInput('a password has at least 12 characters', 'password');
      if (await accountByEmail(db, input.email)) throw new InvalidInput('an account with this email exists', 'email', 409);
      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      const account = await createAccount(db, { email: input.email, name: input.name, role: input.role, supplierId: input.supplier ?? null, passwordHash });
      await audit(db, { accountId: actor.id, action: 'account.created', subject: account.id, detail: { email: account.email, role: account.role } });
      return account;
    },

    /** A new API token for `accountId` (admins) or for the actor: the token is in the result once and never again. */
    async createApiToken(actor: Actor, input: { account?: string; name: string }): Promise<{ id: string; token: string; account: string }> {
      const accountId = input.account ?? actor.id;
      if (accountId !== actor.id && !policy.canManageAccounts(actor)) throw new AccessDenied(403, 'only admins create tokens for other accounts');
      if (!(await accountById(db, accountId))) throw new AccessDenied(404, 'account not found');
      const created = await createApiToken(db, accountId, input.name);
      await audit(db, { accountId: actor.id, action: 'api-token.created', subject: accountId, detail: { token: created.id, name: input.name } });
      return { ...created, account: accountId };
    },

    /** The tokens of the actor's own account, or (admins) of `account`; never the tokens themselves. */
    async listApiTokens(actor: Actor, account?: string): Promise<ApiTokenRecord[]> {
      const accountId = account ?? actor.id;
      if (accountId !== actor.id && !policy.canManageAccounts(actor)) throw new AccessDenied(403, "only admins list another account's tokens");
      if (!(await accountById(db, accountId))) throw new AccessDenied(404, 'account not found');
      return listApiTokens(db, accountId);
    },

    /**
     * Revoke one of the actor's own tokens, or (admins) anyone's. Someone
     * else's token is "not found" to a non-admin, exactly as one that does not
     * exist: token ids are not to be probed.
     */
    async revokeApiToken(actor: Actor, tokenId: string): Promise<ApiTokenRecord> {
      const token = await apiTokenById(db, tokenId);
      if (!token || (token.account !== actor.id && !policy.canManageAccounts(actor))) throw new AccessDenied(404, 'token not found');
      const revoked = (await revokeApiToken(db, token.id))!;
      if (token.revokedAt === null) await audit(db, { accountId: actor.id, action: 'api-token.revoked', subject: token.account, detail: { token: token.id, name: token.name } });
      return revoked;
    },

    /**
     * Disable an account (its tokens, password and sessions stop working at
     * once) or enable it again. Admins only; an admin cannot disable their own
     * account: the actor stays an enabled admin, so the workspace never loses
     * its last way in by accident.
     */
    async setAccountDisabled(actor: Actor, accountId: string, disabled: boolean): Promise<Account> {
      if (!policy.canManageAccounts(actor)) throw new AccessDenied(403, 'only admins manage accounts');
      return db.transaction(async (tx) => {
        // One change of this kind at a time, and the actor checked again under the lock: two admins
        // disabling each other at the same moment would otherwise leave no admin at all.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['accounts:disabled']);
        const self = await accountById(tx, actor.id);
        if (!self || self.disabled) throw new AccessDenied(403, 'this account has just been disabled');
        const account = await accountById(tx, accountId);
        if (!account) throw new AccessDenied(404, 'account not found');
        if (disabled && account.id === actor.id) throw new InvalidInput('an admin cannot disable their own account; ask another admin', 'disabled', 409);
        const updated = (await setAccountDisabled(tx, account.id, disabled))!;
        if (updated.disabled !== account.disabled) await audit(tx, { accountId: actor.id, action: disabled ? 'account.disabled' : 'account.enabled', subject: account.id, detail: { email: account.email } });
        return updated;
      });
    },
  };
}

function authKindOf(auth: SupplierAuth | undefined, allowedTargets: AllowedTargets): SupplierAuthKind {
  if (auth === undefined) return 'none';
  if ('bearerToken' in auth) return 'bearerToken';
  if ('clientId' in auth) {
    if (auth.tokenUrl !== undefined) checkTarget(auth.tokenUrl, allowedTargets, 'auth.tokenUrl');
    return 'clientCredentials';
  }
  return 'headers';
}

function checkTarget(raw: string, allowedTargets: AllowedTargets, field = 'target'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidInput(`${field} must be an absolute http(s) URL`, field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInput(`${field} must be an http(s) URL`, field);
  // Credentials belong in `auth`, where they are sealed; in the URL they would be shown and logged.
  if (url.username !== '' || url.password !== '') throw new InvalidInput(`${field} must not carry credentials; give them in auth`, field);
  // A well-formed URL the operator does not allow: 422, so a client can tell it from a malformed one.
  const admission = admitUrl(allowedTargets, url);
  if (!admission.allowed) throw new InvalidInput(`${field} not allowed: ${admission.reason}`, field, 422);
  return raw;
}
