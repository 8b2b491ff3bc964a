/**
 * Profiles shipped with the harness, in `<package root>/profiles/<id>/openapi.yaml`,
 * and how a command-line argument names a profile (a path, or a bundled id).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
// Walks up from its own import.meta.url to the folder with our package.json: the same
// answer from the TS sources under tsx and from compiled dist/.
import { packageRoot } from '../package-root.js';
import { isRecord } from '../json-pointer.js';
import { DEFAULT_MAX_BYTES, parseDocumentText } from './read-document.js';

const PROFILE_FILE = 'openapi.yaml';
/** Bundled ids are folder names; the pattern also keeps `../` out of a lookup. */
const BUNDLED_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface BundledProfile {
  id: string;
  title: string;
  version: string;
  /** `x-interop.status` (e.g. `draft`, `published`), or `unknown`; `unreadable` when the file does not parse. */
  status: string;
  /** Absolute path of the profile's `openapi.yaml`. */
  path: string;
}

/**
 * The folder of bundled profiles, `<package root>/profiles`.
 *
 * @example bundledProfilesDir() // '/usr/lib/node_modules/interop-harness/profiles'
 */
export function bundledProfilesDir(): string {
  return join(packageRoot(), 'profiles');
}

/**
 * Every bundled profile, sorted by id, with title and version read from the file.
 * A file that does not parse is still listed (status `unreadable`) so it is noticed.
 *
 * @example listBundledProfiles().map((p) => p.id) // ['person-search', ...]
 */
export function listBundledProfiles(): BundledProfile[] {
  const dir = bundledProfilesDir();
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const profiles: BundledProfile[] = [];
  for (const id of entries.sort()) {
    if (!BUNDLED_ID.test(id)) continue;
    const path = join(dir, id, PROFILE_FILE);
    if (!isFile(path)) continue;
    profiles.push(describeBundled(id, path));
  }
  return profiles;
}

function describeBundled(id: string, path: string): BundledProfile {
  try {
    if (statSync(path).size > DEFAULT_MAX_BYTES) throw new Error('too large');
    const data = parseDocumentText(readFileSync(path, 'utf8'), path, 'yaml');
    const info = isRecord(data) && isRecord(data['info']) ? data['info'] : {};
    const interop = isRecord(data) && isRecord(data['x-interop']) ? data['x-interop'] : {};
    return {
      id,
      title: textOf(info['title']) ?? id,
      version: textOf(interop['version']) ?? textOf(info['version']) ?? '',
      status: textOf(interop['status']) ?? 'unknown',
      path,
    };
  } catch {
    return { id, title: id, version: '', status: 'unreadable', path };
  }
}

/**
 * Decides what a profile argument names: an existing path wins (so a local
 * file can shadow a bundled id); else a bundled profile id.
 *
 * @example
 *   resolveProfileSource('./my-api.yaml') // { path: '/abs/my-api.yaml' }
 *   resolveProfileSource('person-search') // { path: '/…/profiles/person-search/openapi.yaml', bundledId: 'person-search' }
 * @throws HarnessError PROFILE_NOT_FOUND, listing the bundled ids
 */
export function resolveProfileSource(arg: string): { path: string; bundledId?: string } {
  if (arg.trim() === '') throw new HarnessError('PROFILE_NOT_FOUND', 'profile not given: expected a file path or a bundled profile id');
  const asPath = resolve(arg);
  // Any existing entry counts, so a directory reaches the reader and gets PROFILE_UNREADABLE, not "not found".
  if (existsSync(asPath)) return { path: asPath };
  if (BUNDLED_ID.test(arg)) {
    const bundled = join(bundledProfilesDir(), arg, PROFILE_FILE);
    if (isFile(bundled)) return { path: bundled, bundledId: arg };
  }
  const ids = listBundledProfiles().map((p) => p.id);
  const known = ids.length > 0 ? `bundled profiles: ${ids.join(', ')}` : 'no bundled profiles are installed';
  const looksLikePath = !BUNDLED_ID.test(arg) || /\.(ya?ml|json)$/i.test(arg);
  const what = looksLikePath ? `no file ${asPath}` : `"${arg}" is neither a file nor a bundled profile id`;
  throw new HarnessError('PROFILE_NOT_FOUND', `profile not found: ${what} (${known})`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
