import { randomUUID } from 'node:crypto';
import type { Supplier, SupplierAuthKind } from '../domain.js';
import type { Queryable } from './database.js';
import { iso, json } from './rows.js';

const COLUMNS = 'id, evaluation_id, name, target, auth_kind, claims IS NOT NULL AS has_claims, created_at';

function toSupplier(row: Record<string, unknown>): Supplier {
  return {
    id: String(row.id),
    evaluationId: String(row.evaluation_id),
    name: String(row.name),
    target: String(row.target),
    authKind: row.auth_kind as SupplierAuthKind,
    hasClaims: row.has_claims === true,
    createdAt: iso(row.created_at),
  };
}

/**
 * Suppliers of an evaluation. Credentials arrive sealed (see secret-box.ts)
 * and leave only through `sealedAuthOf`, which the run executor calls.
 *
 * @example
 *   const supplier = await createSupplier(db, { evaluationId, name: 'Vendor A', target: 'https://sandbox.a.example', authKind: 'bearerToken', sealedAuth });
 */
export async function createSupplier(
  db: Queryable,
  input: { evaluationId: string; name: string; target: string; authKind: SupplierAuthKind; sealedAuth: string | null; id?: string },
): Promise<Supplier> {
  const { rows } = await db.query(
    `INSERT INTO suppliers (id, evaluation_id, name, target, auth_kind, auth_sealed) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [input.id ?? randomUUID(), input.evaluationId, input.name, input.target, input.authKind, input.sealedAuth],
  );
  return toSupplier(rows[0]!);
}

export async function supplierById(db: Queryable, id: string): Promise<Supplier | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM suppliers WHERE id = $1`, [id]);
  return rows[0] ? toSupplier(rows[0]) : undefined;
}

export async function listSuppliers(db: Queryable, evaluationId: string): Promise<Supplier[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM suppliers WHERE evaluation_id = $1 ORDER BY created_at, name`, [evaluationId]);
  return rows.map(toSupplier);
}

export async function sealedAuthOf(db: Queryable, supplierId: string): Promise<string | null> {
  const { rows } = await db.query<{ auth_sealed: string | null }>('SELECT auth_sealed FROM suppliers WHERE id = $1', [supplierId]);
  return rows[0]?.auth_sealed ?? null;
}

export async function setClaims(db: Queryable, supplierId: string, claims: unknown): Promise<void> {
  await db.query('UPDATE suppliers SET claims = $2::jsonb, claims_updated_at = now() WHERE id = $1', [supplierId, JSON.stringify(claims)]);
}

export async function claimsOf(db: Queryable, supplierId: string): Promise<unknown | undefined> {
  const { rows } = await db.query<{ claims: unknown }>('SELECT claims FROM suppliers WHERE id = $1', [supplierId]);
  return rows[0]?.claims == null ? undefined : json(rows[0].claims);
}
