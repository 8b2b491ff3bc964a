import type { Database } from './database.js';

/**
 * The schema, as numbered steps applied in order at start-up. A step is never
 * edited once released and never drops or rewrites data: a new need is a new
 * step. Each start applies the missing steps in one transaction under an
 * advisory lock, so two processes starting together (the service and a
 * worker) apply each step once, and a failed step leaves nothing half-done.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Arbitrary, fixed: the advisory lock key every interop-harness process takes while migrating. */
const MIGRATION_LOCK_KEY = 7_301_913;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'evaluations, suppliers, runs, accounts, tokens, sessions, audit log',
    sql: `
CREATE TABLE evaluations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  profiles jsonb NOT NULL,
  deadline timestamptz,
  signing_private_key text NOT NULL,
  signing_public_key text NOT NULL,
  signing_key_id text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE suppliers (
  id uuid PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations(id),
  name text NOT NULL,
  target text NOT NULL,
  auth_kind text NOT NULL CHECK (auth_kind IN ('none', 'bearerToken', 'clientCredentials', 'headers')),
  auth_sealed text,
  claims jsonb,
  claims_updated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppliers_by_evaluation ON suppliers (evaluation_id);
CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'evaluator', 'supplier')),
  supplier_id uuid REFERENCES suppliers(id),
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  CHECK ((role = 'supplier') = (supplier_id IS NOT NULL))
);
CREATE TABLE evaluation_members (
  evaluation_id uuid NOT NULL REFERENCES evaluations(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (evaluation_id, account_id)
);
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  name text NOT NULL,
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE TABLE sessions (
  id_sha256 text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  csrf_secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE TABLE runs (
  id uuid PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations(id),
  supplier_id uuid NOT NULL REFERENCES suppliers(id),
  profile text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('evaluation', 'self-test')),
  status text NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed')),
  verdict text,
  summary jsonb,
  progress jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text,
  job_id text,
  attempts integer NOT NULL DEFAULT 0,
  worker text,
  heartbeat_at timestamptz,
  queued_by uuid REFERENCES accounts(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX runs_by_supplier ON runs (supplier_id, created_at);
CREATE INDEX runs_by_evaluation ON runs (evaluation_id, created_at);
CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('queued', 'running');
CREATE TABLE run_artifacts (
  run_id uuid NOT NULL REFERENCES runs(id),
  name text NOT NULL,
  media_type text NOT NULL,
  content text NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE run_events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES runs(id),
  at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX run_events_by_run ON run_events (run_id, id);
CREATE TABLE audit_log (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  account_id uuid REFERENCES accounts(id),
  action text NOT NULL,
  evaluation_id uuid REFERENCES evaluations(id),
  subject text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_by_evaluation ON audit_log (evaluation_id, id);
`,
  },
];

/**
 * Brings the schema up to date; returns the versions applied by this call.
 *
 * @example
 *   await applyMigrations(db); // [1] on a fresh database, [] afterwards
 */
export async function applyMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS interop_schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM interop_schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO interop_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** Statements one at a time: a parameterless multi-statement query is not portable across both drivers' extended protocol. */
function splitStatements(sql: string): string[] {
  return sql.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s !== '');
}
