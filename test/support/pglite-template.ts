import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Creating an embedded database runs PostgreSQL's initdb in WebAssembly:
 * half a minute on a loaded machine. Tests copy a fresh, empty data folder
 * made once per PGlite version instead (what `serve` does on a first start is
 * tested all the same: migrations, key generation and bootstrap run on the copy).
 *
 * @example
 *   const dataDir = embeddedDataDir(join(dir, 'data')); // dir/data/pgdata ready to open
 */
export async function embeddedDataDir(dataDir: string): Promise<string> {
  const version = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
  const template = join(tmpdir(), `interop-pglite-template-${version}`);
  if (!existsSync(template)) {
    const building = mkdtempSync(join(tmpdir(), 'interop-pglite-building-'));
    const db = await PGlite.create(join(building, 'pgdata'));
    await db.close();
    try {
      renameSync(building, template);
    } catch {
      // Another test file made it first: use theirs.
      rmSync(building, { recursive: true, force: true });
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  cpSync(join(template, 'pgdata'), join(dataDir, 'pgdata'), { recursive: true });
  return dataDir;
}
