import type { Account, Evaluation, Run, Supplier } from '../domain.js';

/**
 * The API's JSON for each record. Nothing secret is ever in a record (see
 * domain.ts), and these views add only links: a supplier's credentials show
 * as their kind alone.
 */
export function evaluationView(e: Evaluation) {
  return { id: e.id, name: e.name, profiles: e.profiles, deadline: e.deadline, signingKeyId: e.signingKeyId, createdAt: e.createdAt, publicKey: `/api/evaluations/${e.id}/public-key` };
}

export function supplierView(s: Supplier) {
  return { id: s.id, evaluation: s.evaluationId, name: s.name, target: s.target, auth: { kind: s.authKind }, hasClaims: s.hasClaims, createdAt: s.createdAt };
}

export const REPORT_NAMES = ['report.json', 'report.html', 'report.md', 'junit.xml', 'report.json.sig'] as const;

export function runView(r: Run) {
  return {
    id: r.id,
    evaluation: r.evaluationId,
    supplier: r.supplierId,
    profile: r.profile,
    kind: r.kind,
    status: r.status,
    ...(r.verdict !== null ? { verdict: r.verdict } : {}),
    ...(r.summary !== null ? { summary: r.summary } : {}),
    progress: r.progress,
    ...(r.error !== null ? { error: r.error } : {}),
    attempts: r.attempts,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    ...(r.status === 'finished' ? { reports: Object.fromEntries(REPORT_NAMES.map((name) => [name, `/api/runs/${r.id}/${name}`])) } : {}),
  };
}

export function accountView(a: Account) {
  return { id: a.id, email: a.email, name: a.name, role: a.role, supplier: a.supplierId, createdAt: a.createdAt, disabled: a.disabled };
}
