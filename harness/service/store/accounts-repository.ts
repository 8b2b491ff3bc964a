import { randomUUID } from 'node:crypto';
import type { Account, Role } from '../domain.js';
import type { Queryable } from './database.js';
import { iso, isoOrNull } from './rows.js';
import { isUuid } from '../ids.js';
import { API_TOKEN_PREFIX, newSecretToken, sha256Hex } from '../tokens.js';

const ACCOUNT_COLUMNS = 'id, email, name, role, supplier_id, created_at, disabled_at';

function toAccount(row: Record<string, unknown>): Account {
  return {
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    role: row.role as Role,
    supplierId: row.supplier_id === null ? null : String(row.supplier_id),
    createdAt: iso(row.created_at),
    disabled: row.disabled_at !== null,
  };
}

/**
 * Accounts, their API tokens (stored as SHA-256) and evaluation membership.
 * Password hashes are read only by `passwordHashOf`, never with an account.
 *
 * @example
 *   const account = await createAccount(db, { email: 'lead@force.example', name: 'Lead', role: 'evaluator' });
 *   const { token } = await createApiToken(db, account.id, 'ci'); // shown once
 *   (await accountByApiToken(db, token))?.id === account.id; // true
 */
export async function createAccount(
  db: Queryable,
  input: { email: string; name: string; role: Role; supplierId?: string | null; passwordHash?: string | null },
): Promise<Account> {
  const { rows } = await db.query(
    `INSERT INTO accounts (id, email, name, role, supplier_id, password_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ACCOUNT_COLUMNS}`,
    [randomUUID(), input.email.trim().toLowerCase(), input.name, input.role, input.supplierId ?? null, input.passwordHash ?? null],
  );
  return toAccount(rows[0]!);
}

export async function accountById(db: Queryable, id: string): Promise<Account | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

export async function accountByEmail(db: Queryable, email: string): Promise<Account | undefined> {
  const { rows } = await db.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE email = $1`, [email.trim().toLowerCase()]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

export async function listAccounts(db: Queryable): Promise<Account[]> {
  const { rows } = await db.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at, email`);
  return rows.map(toAccount);
}

export async function countAccounts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  return rows[0]!.n;
}

/** The stored scrypt hash, for login only; undefined when the account has no password (API-only). */
export async function passwordHashOf(db: Queryable, accountId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM accounts WHERE id = $1', [accountId]);
  return rows[0]?.password_hash ?? undefined;
}

export async function setPasswordHash(db: Queryable, accountId: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [accountId, passwordHash]);
}

/** A new API token for the account: the token itself is returned once and only its SHA-256 is kept. */
export async function createApiToken(db: Queryable, accountId: string, name: string, token = newSecretToken(API_TOKEN_PREFIX)): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  await db.query('INSERT INTO api_tokens (id, account_id, name, token_sha256) VALUES ($1, $2, $3, $4)', [id, accountId, name, sha256Hex(token)]);
  return { id, token };
}

/** The enabled account a bearer token belongs to, or undefined (unknown, revoked, or the account disabled). */
export async function accountByApiToken(db: Queryable, token: string): Promise<Account | undefined> {
  const { rows } = await db.query(
    `UPDATE api_tokens t SET last_used_at = now() FROM accounts a
      WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND a.id = t.account_id AND a.disabled_at IS NULL
      RETURNING a.id, a.email, a.name, a.role, a.supplier_id, a.created_at, a.disabled_at`,
    [sha256Hex(token)],
  );
  return rows[0] ? toAccount(rows[0]) : undefined;
}

/** An API token as its owner and admins see it: never the token itself, which only its SHA-256 remembers. */
export interface ApiTokenRecord {
  id: string;
  account: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function toApiToken(row: Record<string, unknown>): ApiTokenRecord {
  return { id: String(row.id), account: String(row.account_id), name: String(row.name), createdAt: iso(row.created_at), lastUsedAt: isoOrNull(row.last_used_at), revokedAt: isoOrNull(row.revoked_at) };
}

/** The account's tokens, newest first, revoked ones included (a reader sees when each stopped working). */
export async function listApiTokens(db: Queryable, accountId: string): Promise<ApiTokenRecord[]> {
  const { rows } = await db.query('SELECT id, account_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE account_id = $1 ORDER BY created_at DESC, id', [accountId]);
  return rows.map(toApiToken);
}

export async function apiTokenById(db: Queryable, id: string): Promise<ApiTokenRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query('SELECT id, account_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE id = $1', [id]);
  return rows[0] ? toApiToken(rows[0]) : undefined;
}

/** Revoke a token: from now on it authenticates nobody. Revoking it again keeps the first time. */
export async function revokeApiToken(db: Queryable, id: string): Promise<ApiTokenRecord | undefined> {
  const { rows } = await db.query(
    'UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id, account_id, name, created_at, last_used_at, revoked_at',
    [id],
  );
  return rows[0] ? toApiToken(rows[0]) : undefined;
}

/**
 * Disable or enable an account. A disabled account's tokens and password are
 * refused (see `accountByApiToken`, and the web's login); its sessions end here.
 */
export async function setAccountDisabled(db: Queryable, accountId: string, disabled: boolean): Promise<Account | undefined> {
  const { rows } = await db.query(
    `UPDATE accounts SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
    [accountId, disabled],
  );
  if (disabled) await db.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

export async function addMember(db: Queryable, evaluationId: string, accountId: string): Promise<void> {
  await db.query('INSERT INTO evaluation_members (evaluation_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [evaluationId, accountId]);
}

export async function isMember(db: Queryable, evaluationId: string, accountId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM evaluation_members WHERE evaluation_id = $1 AND account_id = $2', [evaluationId, accountId]);
  return rows.length > 0;
}
