/**
 * The service's records, as repositories return them and the API and pages
 * render them. Secrets never appear here: a supplier's credentials stay sealed
 * in the database and only the run executor opens them.
 */
export type Role = 'admin' | 'evaluator' | 'supplier';

export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The one supplier a `supplier` account belongs to; null for other roles. */
  supplierId: string | null;
  createdAt: string;
  disabled: boolean;
}

export interface Evaluation {
  id: string;
  name: string;
  /** Bundled profile ids, each run against every supplier. */
  profiles: string[];
  deadline: string | null;
  /** SHA-256 of the evaluation's Ed25519 public key: the `keyId` in every report.json.sig. */
  signingKeyId: string;
  createdAt: string;
}

/** How the harness authenticates to a supplier's sandbox; `kind` only: the values are sealed. */
export type SupplierAuthKind = 'none' | 'bearerToken' | 'clientCredentials' | 'headers';

export type SupplierAuth =
  | { bearerToken: string }
  | { clientId: string; clientSecret: string; tokenUrl?: string }
  | { headers: Record<string, string> };

export interface Supplier {
  id: string;
  evaluationId: string;
  name: string;
  target: string;
  authKind: SupplierAuthKind;
  /** True when the supplier uploaded (or was given) a claims document. */
  hasClaims: boolean;
  createdAt: string;
}

export type RunStatus = 'queued' | 'running' | 'finished' | 'failed';

export interface RunProgress {
  /** Operations in the profile, from the run-started event. */
  operations?: number;
  /** Probes finished so far. */
  probesFinished?: number;
  /** The last operation probed. */
  lastOperation?: string;
}

export interface Run {
  id: string;
  evaluationId: string;
  supplierId: string;
  profile: string;
  kind: 'evaluation' | 'self-test';
  status: RunStatus;
  verdict: string | null;
  summary: Record<string, unknown> | null;
  progress: RunProgress;
  /** Why a run failed (no report), in one line. */
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  accountId: string | null;
  action: string;
  evaluationId: string | null;
  subject: string | null;
  detail: Record<string, unknown>;
}
