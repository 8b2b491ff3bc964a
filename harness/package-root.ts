import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding this project's package.json, found by walking up from
 * this module. Works from the TypeScript sources (under tsx) and from the
 * compiled `dist/` alike, so bundled profiles and fixtures resolve either way.
 *
 * @example
 *   join(packageRoot(), 'profiles', 'baseline', 'openapi.yaml')
 */
export function packageRoot(): string {
  cached ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

let cached: string | undefined;

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'interop-harness') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`interop-harness package.json not found above ${start}`);
    dir = parent;
  }
}

/**
 * Name and version from package.json, as reports record them. Read once per
 * process: every run records it, and the web service runs many in one process.
 * Each call returns its own copy, so a caller that changes it changes no report but its own.
 */
export function harnessIdentity(): { name: string; version: string } {
  identity ??= readIdentity();
  return { ...identity };
}

let identity: { name: string; version: string } | undefined;

function readIdentity(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}
