import { HarnessError } from '../index.js';
import { audit } from './store/audit-log.js';
import { countAccounts, createAccount, createApiToken } from './store/accounts-repository.js';
import type { Database } from './store/database.js';

/** The shortest bootstrap token accepted: it becomes an admin's API token, so it must not be guessable. */
export const MIN_BOOTSTRAP_TOKEN_LENGTH = 32;

/**
 * Refuses a weak `INTEROP_BOOTSTRAP_TOKEN` (set, but shorter than 32
 * characters) before anything starts.
 *
 * @example
 *   checkBootstrapToken(process.env.INTEROP_BOOTSTRAP_TOKEN); // throws BOOTSTRAP_TOKEN_WEAK for 'changeme'
 */
export function checkBootstrapToken(token: string | undefined): void {
  if (token === undefined || token === '' || token.length >= MIN_BOOTSTRAP_TOKEN_LENGTH) return;
  throw new HarnessError('BOOTSTRAP_TOKEN_WEAK', `INTEROP_BOOTSTRAP_TOKEN has ${token.length} characters; give at least ${MIN_BOOTSTRAP_TOKEN_LENGTH} (for example: openssl rand -hex 24)`);
}

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
  checkBootstrapToken(token);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [7_301_914]);
    if ((await countAccounts(tx)) > 0) return 'ignored';
    const admin = await createAccount(tx, { email: 'admin@localhost', name: 'Administrator', role: 'admin' });
    await createApiToken(tx, admin.id, 'bootstrap', token);
    await audit(tx, { accountId: admin.id, action: 'account.bootstrapped', subject: admin.id });
    return 'created';
  });
}
