import type { Account, Evaluation, Run, Supplier } from './domain.js';
import { isUuid } from './ids.js';
import type { Queryable } from './store/database.js';
import { isMember } from './store/accounts-repository.js';
import { evaluationById, listEvaluations } from './store/evaluations-repository.js';
import { runById } from './store/runs-repository.js';
import { supplierById } from './store/suppliers-repository.js';

/**
 * Who may do what: the one place the API and the pages ask, on the server,
 * before they read or change anything.
 *
 * - admin: everything, accounts included.
 * - evaluator: evaluations they created or were added to: everything in them.
 * - supplier: bound to one supplier: sees its evaluation's name and profiles,
 *   its own supplier, runs and reports; queues self-tests of its own sandbox
 *   and uploads its claims. Another supplier, its runs and the compare matrix
 *   do not exist for it.
 *
 * What an actor may not even see answers 404 (not 403), so guessing another
 * supplier's run id tells nothing about whether it exists. What it may see but
 * not change answers 403.
 */
export type Actor = Pick<Account, 'id' | 'role' | 'supplierId'>;

export type EvaluationAction = 'view' | 'manage' | 'compare' | 'audit';
export type SupplierAction = 'view' | 'manage' | 'self-test' | 'claims';

/** Thrown by the policy: `status` is what the API and pages answer. */
export class AccessDenied extends Error {
  readonly status: 403 | 404;
  constructor(status: 403 | 404, message: string) {
    super(message);
    this.name = 'AccessDenied';
    this.status = status;
  }
}

const notFound = (what: string) => new AccessDenied(404, `${what} not found`);
const forbidden = (what: string) => new AccessDenied(403, what);

export interface AccessPolicy {
  canCreateEvaluation(actor: Actor): boolean;
  canManageAccounts(actor: Actor): boolean;
  /** The evaluation, if the actor may do `action` on it; else throws AccessDenied. */
  evaluation(actor: Actor, evaluationId: string, action: EvaluationAction): Promise<Evaluation>;
  supplier(actor: Actor, supplierId: string, action: SupplierAction): Promise<Supplier>;
  /** The run, if the actor may see it (and its reports). */
  run(actor: Actor, runId: string): Promise<Run>;
  /** Evaluations the actor may see. */
  visibleEvaluations(actor: Actor): Promise<Evaluation[]>;
  /** The supplier whose runs alone the actor may see in an evaluation, or undefined for all of them. */
  supplierScope(actor: Actor): string | undefined;
}

/**
 * @example
 *   const policy = createAccessPolicy(db);
 *   const run = await policy.run(actor, request.params.id); // throws AccessDenied(404) for another supplier's run
 */
export function createAccessPolicy(db: Queryable): AccessPolicy {
  async function evaluationFor(actor: Actor, evaluationId: string, action: EvaluationAction): Promise<Evaluation> {
    const evaluation = isUuid(evaluationId) ? await evaluationById(db, evaluationId) : undefined;
    if (!evaluation) throw notFound('evaluation');
    if (actor.role === 'admin') return evaluation;
    if (actor.role === 'evaluator') {
      if (!(await isMember(db, evaluationId, actor.id))) throw notFound('evaluation');
      return evaluation;
    }
    const own = actor.supplierId ? await supplierById(db, actor.supplierId) : undefined;
    if (!own || own.evaluationId !== evaluationId) throw notFound('evaluation');
    if (action !== 'view') throw forbidden(`a supplier account may not ${action === 'manage' ? 'change this evaluation' : `see the evaluation's ${action === 'compare' ? 'compare matrix' : 'audit log'}`}`);
    return evaluation;
  }

  return {
    canCreateEvaluation: (actor) => actor.role === 'admin' || actor.role === 'evaluator',
    canManageAccounts: (actor) => actor.role === 'admin',
    evaluation: evaluationFor,
    async supplier(actor, supplierId, action) {
      const supplier = isUuid(supplierId) ? await supplierById(db, supplierId) : undefined;
      if (!supplier) throw notFound('supplier');
      if (actor.role === 'supplier') {
        if (actor.supplierId !== supplier.id) throw notFound('supplier');
        if (action === 'manage') throw forbidden('a supplier account may not change its supplier record; ask the evaluation team');
        return supplier;
      }
      await evaluationFor(actor, supplier.evaluationId, 'view').catch(() => {
        throw notFound('supplier');
      });
      return supplier;
    },
    async run(actor, runId) {
      const run = isUuid(runId) ? await runById(db, runId) : undefined;
      if (!run) throw notFound('run');
      if (actor.role === 'supplier') {
        if (actor.supplierId !== run.supplierId) throw notFound('run');
        return run;
      }
      await evaluationFor(actor, run.evaluationId, 'view').catch(() => {
        throw notFound('run');
      });
      return run;
    },
    async visibleEvaluations(actor) {
      if (actor.role === 'admin') return listEvaluations(db);
      if (actor.role === 'evaluator') return listEvaluations(db, actor.id);
      const own = actor.supplierId ? await supplierById(db, actor.supplierId) : undefined;
      const evaluation = own ? await evaluationById(db, own.evaluationId) : undefined;
      return evaluation ? [evaluation] : [];
    },
    supplierScope: (actor) => (actor.role === 'supplier' ? (actor.supplierId ?? '00000000-0000-0000-0000-000000000000') : undefined),
  };
}
