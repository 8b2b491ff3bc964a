/**
 * The benches measure the JavaScript users run (`dist/`, from `npm run build`),
 * not the TypeScript as tsx transforms it on the fly: tsx wraps every function
 * it defines to keep its name, which costs a hot loop about a tenth.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(import.meta.dirname, '..');

/** The newest modification time under a folder, in ms. */
function newestUnder(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether `dist/` is built and newer than every source (the bundle is written last). */
export function builtIsCurrent(): boolean {
  const marker = join(ROOT, 'dist', 'cli', 'bin.js');
  return existsSync(marker) && statSync(marker).mtimeMs >= Math.max(newestUnder(join(ROOT, 'harness')), newestUnder(join(ROOT, 'fixtures')));
}

/**
 * Run `npm run build` (compile, then bundle the CLI) when `dist/` is missing or
 * older than the sources. Throws when the build fails.
 */
export function ensureBuilt(): void {
  if (builtIsCurrent()) return;
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build failed: dist/ could not be built');
}

/**
 * The library entry as built, with the types of the sources.
 *
 * @example
 *   const { run } = await importBuilt<typeof import('../harness/index.js')>('harness/index.js');
 */
export async function importBuilt<T>(path: string): Promise<T> {
  ensureBuilt();
  return (await import(pathToFileURL(join(ROOT, 'dist', path)).href)) as T;
}
