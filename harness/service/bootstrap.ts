import { audit } from './store/audit-log.js';
import { countAccounts, createAccount, createApiToken } from './store/accounts-repository.js';
import type { Database } from './store/database.js';

/**
 * First start: with `INTEROP_BOOTSTRAP_TOKEN` set and no account yet, creates
 * an admin (`admin@localhost`) whose API token is that value. Once any account
 * exists the variable is ignored, so leaving it set in a deployment grants
 * nothing later. Runs under an advisory lock: two processes starting on an
 * empty database create one admin.
 *
 * @example
 *   await bootstrapAdmin(db, process.env.INTEROP_BOOTSTRAP_TOKEN); // 'created' | 'ignored' | 'not-set'
 */
export async function bootstrapAdmin(db: Database, token: string | undefined): Promise<'created' | 'ignored' | 'not-set'> {
  if (token === undefined || token === '') return 'not-set';
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [7_301_914]);
    if ((await countAccounts(tx)) > 0) return 'ignored';
    const admin = await createAccount(tx, { email: 'admin@localhost', name: 'Administrator', role: 'admin' });
    await createApiToken(tx, admin.id, 'bootstrap', token);
    await audit(tx, { accountId: admin.id, action: 'account.bootstrapped', subject: admin.id });
    return 'created';
  });
}
