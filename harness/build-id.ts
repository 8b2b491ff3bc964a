/**
 * What identifies the code that is running, beyond its version: `npm run build`
 * writes `dist/build-id`, the sha256 of everything else it wrote. The profile
 * cache keys its entries by it, so a rebuild of the same version (a `git pull`
 * and `npm ci` on a clone, a developer's change) never reads what an older
 * build concluded about a document.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './package-root.js';

const BUILD_ID_FILE = 'build-id';

/**
 * The running build's id: the hash `writeBuildId` wrote; when the harness runs
 * from its TypeScript sources (tsx), `source-` and a hash of their names, sizes
 * and modification times, so an edited source never reads what the code before
 * the edit concluded; `unknown` for a build without one.
 */
export function runningBuildId(): string {
  buildId ??= readBuildId();
  return buildId;
}

let buildId: string | undefined;

function readBuildId(): string {
  if (!fileURLToPath(import.meta.url).split(sep).includes('dist')) return sourceId(join(packageRoot(), 'harness'));
  try {
    const text = readFileSync(join(packageRoot(), 'dist', BUILD_ID_FILE), 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(text) ? text : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Hash every file under `dist/` (names and bytes, in a fixed order) into
 * `dist/build-id`. Run last by `npm run build`.
 *
 * @example writeBuildId(); // dist/build-id: 64 hex digits
 */
export function writeBuildId(root: string = packageRoot()): string {
  const dist = join(root, 'dist');
  const hash = createHash('sha256');
  for (const file of filesUnder(dist)) {
    const name = relative(dist, file).split(sep).join('/');
    if (name === BUILD_ID_FILE) continue;
    hash.update(`${name}\0`).update(readFileSync(file)).update('\0');
  }
  const id = hash.digest('hex');
  writeFileSync(join(dist, BUILD_ID_FILE), `${id}\n`);
  return id;
}

/**
 * A source tree's id from what `stat` says of each file: cheap enough for every
 * process run through tsx.
 *
 * @example sourceId(join(packageRoot(), 'harness')); // 'source-' and 64 hex digits
 */
export function sourceId(folder: string): string {
  const hash = createHash('sha256');
  try {
    for (const file of filesUnder(folder)) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${relative(folder, file)}\0${size}\0${mtimeMs}\0`);
    }
  } catch {
    return 'unknown';
  }
  return `source-${hash.digest('hex')}`;
}

function filesUnder(folder: string): string[] {
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}
