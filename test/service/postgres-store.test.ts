import t from 'tap';
import { bootstrapAdmin } from '../../harness/service/bootstrap.js';
import { accountByApiToken, countAccounts } from '../../harness/service/store/accounts-repository.js';
import { applyMigrations, MIGRATIONS } from '../../harness/service/store/migrations.js';
import { openDatabase } from '../../harness/service/store/open-database.js';
import { postgresForTests } from '../support/postgres.js';

const pgdb = await postgresForTests(t);
if ('skip' in pgdb) {
  t.plan(0, pgdb.skip);
} else {
  t.test('two processes starting together apply each migration once', async (t) => {
    const a = await openDatabase({ databaseUrl: pgdb.url });
    const b = await openDatabase({ databaseUrl: pgdb.url });
    t.teardown(() => a.close());
    t.teardown(() => b.close());
    const [first, second] = await Promise.all([applyMigrations(a), applyMigrations(b)]);
    t.same([...first, ...second].sort(), MIGRATIONS.map((m) => m.version), 'every version applied exactly once between them');
    t.same(await applyMigrations(a), [], 'a later start applies nothing');
    const { rows } = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM interop_schema_migrations');
    t.equal(rows[0]!.n, MIGRATIONS.length, 'recorded in the migrations table');
  });

  t.test('INTEROP_BOOTSTRAP_TOKEN creates one admin on an empty database and is ignored afterwards', async (t) => {
    const db = await openDatabase({ databaseUrl: pgdb.url });
    t.teardown(() => db.close());
    await applyMigrations(db);
    const outcomes = await Promise.all([bootstrapAdmin(db, 'first-token-0123456789abcdef0123456789'), bootstrapAdmin(db, 'rival-token-0123456789abcdef0123456789')]);
    t.same(outcomes.sort(), ['created', 'ignored'], 'two starts together create one admin');
    t.equal(await countAccounts(db), 1);
    const later = await bootstrapAdmin(db, 'later-token-0123456789abcdef0123456789');
    t.equal(later, 'ignored', 'ignored once an account exists');
    t.equal(await accountByApiToken(db, 'later-token-0123456789abcdef0123456789'), undefined, 'the later token grants nothing');
    const { rows } = await db.query<{ token_sha256: string }>('SELECT token_sha256 FROM api_tokens');
    t.ok(rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_sha256)), 'tokens stored as SHA-256 only');
    t.notOk(JSON.stringify(rows).includes('first-token'), 'never the token itself');
  });
}
