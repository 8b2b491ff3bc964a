/**
 * The one seam between the service and its SQL engine: an embedded
 * PostgreSQL (PGlite) under a data folder, or a PostgreSQL server. Both speak
 * the same SQL, so repositories and migrations are written once.
 *
 * Conventions the repositories keep so both engines return the same values:
 * no bigint columns (pg returns them as strings), counts cast to `::int`,
 * JSON passed as text and cast (`$1::jsonb`), timestamps as timestamptz.
 */

/** Something that runs SQL: the database itself, or a transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

/**
 * @example
 *   const db = await openDatabase({ dataDir: './interop-data' });
 *   await db.transaction(async (tx) => { await tx.query('INSERT …', [id]); });
 */
export interface Database extends Queryable {
  /** `embedded`: PGlite in `dataDir` (one process only); `postgres`: a server (any number of processes). */
  readonly kind: 'embedded' | 'postgres';
  /** Where the embedded data lives; undefined against a server. */
  readonly dataDir?: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** The adapter pg-boss takes as its `db` option: multi-statement text without values is allowed. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** LISTEN on a channel; returns the function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
