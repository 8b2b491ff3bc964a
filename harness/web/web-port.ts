/**
 * What the pages need from the service core, as one interface: the web layer
 * renders and guards, the core stores, authorises and runs. Every method that
 * takes an account applies the core's access policy and answers `null` (or an
 * empty list) for anything that account may not see, exactly as for anything
 * that does not exist, so a page can answer 404 without leaking existence.
 */
import type { Report } from '../report/report-types.js';

export type WebRole = 'admin' | 'evaluator' | 'supplier';

export interface WebAccount {
  id: string;
  email: string;
  role: WebRole;
  /** For a supplier account: the one supplier it belongs to; null otherwise. */
  supplierId: string | null;
}

export interface WebSession {
  idHash: string;
  accountId: string;
  csrfToken: string;
  expiresAt: Date;
}

export type RunStatus = 'queued' | 'running' | 'finished' | 'failed';

export interface EvaluationSummary {
  id: string;
  name: string;
  profiles: string[];
  deadline?: string | null;
  createdAt?: string;
}

export interface SupplierView {
  id: string;
  evaluationId: string;
  name: string;
  target: string;
  /** How it authenticates, in words ("bearer token", "OAuth client vendor-a"), never the secret. */
  authKind?: string | null;
  hasClaims?: boolean;
}

export interface RunView {
  id: string;
  evaluationId: string;
  supplierId: string;
  supplierName: string;
  /** The profile this run checked: a run is one supplier against one profile. */
  profile: string;
  status: RunStatus;
  verdict?: string | null;
  failed?: number | null;
  error?: string | null;
  queuedAt?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** A self-test queued by the supplier itself. */
  selfTest?: boolean;
}

export interface EvaluationView extends EvaluationSummary {
  suppliers: SupplierView[];
  runs: RunView[];
}

/** One progress event of a run, in order; `seq` lets a reader resume after it. */
export interface ProgressEvent {
  seq: number;
  /** e.g. `run-started`, `probe-finished`, `run-finished`. */
  type: string;
  /** A short line for people, harness-made or supplier-derived (escaped when shown). */
  text: string;
  done?: number;
  total?: number;
}

export type ReportFile = 'report.json' | 'report.html' | 'report.md' | 'junit.xml' | 'report.json.sig';

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subject?: string | null;
  detail?: string | null;
}

export interface NewSupplier {
  name: string;
  target: string;
  auth?: { bearerToken: string } | { clientId: string; clientSecret: string; tokenUrl?: string } | { headers: Record<string, string> };
}

/** The service core, as the pages use it. */
export interface WorkspacePort {
  /** The account whose password matches, or null (unknown email and wrong password alike). */
  authenticate(email: string, password: string): Promise<WebAccount | null>;
  accountById(id: string): Promise<WebAccount | null>;
  createSession(session: WebSession): Promise<void>;
  findSession(idHash: string): Promise<WebSession | null>;
  deleteSession(idHash: string): Promise<void>;

  bundledProfiles(): string[];
  listEvaluations(account: WebAccount): Promise<EvaluationSummary[]>;
  evaluation(account: WebAccount, id: string): Promise<EvaluationView | null>;
  createEvaluation(account: WebAccount, input: { name: string; profiles: string[]; deadline?: string }): Promise<{ id: string }>;
  addSupplier(account: WebAccount, evaluationId: string, input: NewSupplier): Promise<{ id: string }>;
  /** Queues one run per supplier named (all the evaluation's when empty); a supplier account only its own, as a self-test. */
  queueRuns(account: WebAccount, evaluationId: string, supplierIds: string[]): Promise<RunView[]>;
  run(account: WebAccount, runId: string): Promise<RunView | null>;
  /** Events after `afterSeq`, from whichever process executes the run. */
  progress(account: WebAccount, runId: string, afterSeq: number): Promise<ProgressEvent[] | null>;
  reportFile(account: WebAccount, runId: string, file: ReportFile): Promise<Buffer | null>;
  /** The evaluation's Ed25519 public key, as `keygen` writes a `.pub` file. */
  publicKey(account: WebAccount, evaluationId: string): Promise<string | null>;
  /** The latest finished report of each supplier and profile of the evaluation that the account may see. */
  latestReports(account: WebAccount, evaluationId: string): Promise<Array<{ supplier: SupplierView; run: RunView; report: Report }>>;
  supplier(account: WebAccount, supplierId: string): Promise<SupplierView | null>;
  supplierRuns(account: WebAccount, supplierId: string): Promise<RunView[]>;
  uploadClaims(account: WebAccount, supplierId: string, claimsJson: string): Promise<void>;
  /** One evaluation's log (its panel), or with `null` the whole log (administrators); null when not allowed. */
  auditLog(account: WebAccount, evaluationId: string | null, limit: number): Promise<AuditEntry[] | null>;
  audit(entry: { actorId: string | null; action: string; subject?: string; detail?: Record<string, string> }): Promise<void>;
}
