/**
 * The load stage: from a profile argument (a path or a bundled id) to a
 * `LoadedProfile`. Fatal problems are HarnessErrors naming the file, field or
 * `$ref`; everything else that is wrong but survivable becomes a located warning.
 */
import { basename, extname } from 'node:path';
import { HarnessError } from '../errors.js';
import { resolveProfileSource } from './bundled-profiles.js';
import { bundleDocument, tooDeep } from './bundle-document.js';
import { convertSwagger2 } from './convert-swagger2.js';
import { extractOperations } from './extract-operations.js';
import { findDuplicatePathTemplates, findSchemaFaults } from './find-messy-parts.js';
import { isRecord } from '../json-pointer.js';
import { makeLibraryCompatible } from './library-compat.js';
import type { LoadedProfile, ProfileInfo, ProfileWarning } from './profile-types.js';
import { createDocumentFetcher, credentialsFor, fetchDocument, isProfileUrl, parseProfileUrl, type DocumentFetcher, type FetchLimits, type OriginCredentials } from './fetch-document.js';
import { DEFAULT_MAX_BYTES, readDocument } from './read-document.js';
import { readXInterop } from './read-x-interop.js';
import { schemaCheckUnavailable, validateDocument } from './validate-document.js';
import { cacheKey, type ProfileCache } from './profile-cache.js';
import { harnessIdentity } from '../package-root.js';
import { runningBuildId } from '../build-id.js';
import type { AllowedTargets } from '../http/target-allow-list.js';

export interface LoadProfileOptions {
  /** Follow `$ref`s to http(s) URLs and to files outside the profile's folder. */
  allowRemoteRefs?: boolean;
  /** Cap on the profile file and each file it references (default 20 MB). */
  maxBytes?: number;
  /** Budget for the whole load, in ms (default 120 s): past it, PROFILE_LOAD_TIMEOUT. */
  loadTimeoutMs?: number;
  /** Per-request wait and redirects when the profile or its `$ref`s are fetched over HTTP. */
  fetchLimits?: Partial<FetchLimits>;
  /** Headers sent with every fetch from one origin (the run's target): see `OriginCredentials`. */
  credentials?: OriginCredentials;
  /** Where fetches may go (a run's allow-list); default: anywhere `safeLookup` allows. */
  allowedTargets?: AllowedTargets;
  /**
   * Where the conclusions of checking a document against the OpenAPI schema are kept,
   * keyed by its sha256 and the harness version: the second load of the same
   * document skips the check. Used only for a document that references no other file.
   */
  cache?: ProfileCache;
}

/**
 * Default load budget. Every parsing step is linear in the input, so this is a
 * backstop (a slow \$ref server, a pathological document), far above the few
 * seconds the largest real profiles take on a loaded machine.
 */
export const DEFAULT_LOAD_TIMEOUT_MS = 120_000;

/** More warnings than this of one code are summarised: a broken generator can emit thousands. */
export const MAX_WARNINGS_PER_CODE = 50;

type DocumentKind = 'openapi-3.0' | 'openapi-3.1' | 'openapi-3.2' | 'swagger-2.0';

/**
 * Loads, bundles, converts (Swagger 2.0), validates (as warnings) and extracts a profile.
 * Throws only HarnessErrors, whatever the input.
 *
 * @example
 *   const profile = await loadProfile('person-search');            // a bundled profile
 *   const other = await loadProfile('./supplier/openapi.json', { allowRemoteRefs: true });
 *   other.operations.map((o) => o.operationId);
 */
export async function loadProfile(source: string, options: LoadProfileOptions = {}): Promise<LoadedProfile> {
  const deadline = createDeadline(source, options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS);
  try {
    // The race ends a load stuck waiting (a \$ref server that never answers); the checks between stages end a slow one.
    return await Promise.race([load(source, options, deadline), deadline.expired]);
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    // Library bugs, stack overflows on absurd nesting, anything: still one clear line for the CLI.
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw tooDeep(source, error);
    const message = error instanceof Error ? error.message : String(error);
    throw new HarnessError('PROFILE_INVALID', `${source}: cannot load profile: ${message.replace(/\s*\n\s*/g, ' ').trim()}`, { cause: error });
  } finally {
    deadline.clear();
  }
}

interface Deadline {
  /** Rejects with PROFILE_LOAD_TIMEOUT when the budget is spent. */
  expired: Promise<never>;
  /** Throws PROFILE_LOAD_TIMEOUT if the budget is spent (called between stages). */
  check(stage: string): void;
  clear(): void;
}

function createDeadline(source: string, budgetMs: number): Deadline {
  const started = performance.now();
  const error = (when: string): HarnessError =>
    new HarnessError('PROFILE_LOAD_TIMEOUT', `${source}: loading the profile took longer than the ${budgetMs / 1000} s load budget (stopped ${when})`);
  let timer: NodeJS.Timeout | undefined;
  let stage = 'reading';
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(error(`while ${stage}`)), budgetMs);
    timer.unref();
  });
  // Nobody may be listening when the race is already won; never an unhandled rejection.
  expired.catch(() => undefined);
  return {
    expired,
    check(next: string) {
      if (performance.now() - started > budgetMs) throw error(`before ${next}`);
      stage = next;
    },
    clear: () => clearTimeout(timer),
  };
}

/**
 * For a document without operations: its webhooks, if it has any, are no help.
 * A 3.1 document may describe only webhooks (Adyen's notification APIs), which
 * are requests the supplier sends, not answers a probe can ask for.
 */
function webhooksNote(document: Record<string, unknown>): string {
  const count = isRecord(document['webhooks']) ? Object.keys(document['webhooks']).length : 0;
  if (count === 0) return '';
  return count === 1 ? '; its webhook is a request the supplier sends, which a probe cannot make it send' : `; its ${count} webhooks are requests the supplier sends, which a probe cannot make it send`;
}

async function load(source: string, options: LoadProfileOptions, deadline: Deadline): Promise<LoadedProfile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const fetcher = createDocumentFetcher({ maxBytes, ...(options.fetchLimits ? { limits: options.fetchLimits } : {}), ...(options.credentials ? { credentials: options.credentials } : {}), ...(options.allowedTargets ? { allowedTargets: options.allowedTargets } : {}) });
  try {
    return await loadWith(source, options, deadline, fetcher);
  } finally {
    await fetcher.close();
  }
}

async function loadWith(source: string, options: LoadProfileOptions, deadline: Deadline, fetcher: DocumentFetcher): Promise<LoadedProfile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // A URL is fetched, never taken for a file name (`https:/host/…` relative to the current folder).
  const { path, bundledId } = isProfileUrl(source) ? { path: parseProfileUrl(source).href, bundledId: undefined } : resolveProfileSource(source);
  const read = isProfileUrl(source) ? await fetchDocument(new URL(path), fetcher, maxBytes) : await readDocument(path, { maxBytes });
  deadline.check('checking the document');
  const data = read.data;
  if (!isRecord(data)) {
    throw new HarnessError('PROFILE_INVALID', `${path}: expected an OpenAPI document (an object with an "openapi" or "swagger" field), found ${describeValue(data)}`);
  }
  const kind = documentKind(data, path);
  const paths = data['paths'];
  if (!isRecord(paths)) {
    const found = paths === undefined ? 'has no "paths"' : `has "paths" that is ${describeValue(paths)}, not an object`;
    throw new HarnessError('PROFILE_NOTHING_TO_PROBE', `${path}: the document ${found}${webhooksNote(data)}, so there is no operation to probe`);
  }

  const warnings: ProfileWarning[] = [];
  const info = data['info'];
  if (isRecord(info) && typeof info['version'] === 'number') {
    warnings.push({ code: 'openapi-invalid', message: `info.version is the number ${info['version']}; it must be a string (quote it in YAML)`, location: '/info/version' });
  }

  const restore = makeLibraryCompatible(data);
  deadline.check('resolving $refs');
  const bundled = await bundleDocument(path, data, { ...options, fetcher });
  restore(bundled.document);
  warnings.push(...bundled.warnings);

  let document = bundled.document;
  let convertedFrom: ProfileInfo['convertedFrom'];
  if (kind === 'swagger-2.0') {
    deadline.check('converting Swagger 2.0');
    const converted = await convertSwagger2(document, path);
    document = converted.document;
    convertedFrom = 'swagger-2.0';
    warnings.push(...converted.warnings);
  }

  deadline.check('validating the document');
  // Not cached when fetched with the run's credentials: a warning may quote what the document echoed of them, and the cache outlives the run.
  const fetchedWithCredentials = isProfileUrl(source) && credentialsFor(new URL(path), options.credentials) !== undefined;
  warnings.push(...(await checkedOnce(document, bundled.external || fetchedWithCredentials ? undefined : options.cache, { sha256: read.sha256, kind })));
  deadline.check('reading operations');
  warnings.push(...findDuplicatePathTemplates(document));
  warnings.push(...findSchemaFaults(document));
  const extracted = extractOperations(document);
  warnings.push(...extracted.warnings);
  const interop = readXInterop(document);
  warnings.push(...interop.warnings);
  deadline.check('finishing');

  if (extracted.operations.length === 0) {
    throw new HarnessError('PROFILE_NOTHING_TO_PROBE', `${path}: the document declares no operations under "paths"${webhooksNote(document)}, so there is nothing to probe`);
  }

  const documentInfo = isRecord(document['info']) ? document['info'] : {};
  // Generic mode: named after the API (`info.title`), not after whatever the file or URL was called.
  const title = nonEmptyText(documentInfo['title']);
  const fromTitle = title !== undefined ? slugify(title, '') : '';
  const id = interop.id ?? bundledId ?? (fromTitle !== '' ? fromTitle : slugify(fileNameOf(path)));
  const profileInfo: ProfileInfo = {
    id,
    title: title ?? id,
    version: interop.version ?? nonEmptyText(documentInfo['version']) ?? '',
    sha256: read.sha256,
    source: bundledId !== undefined ? `bundled:${bundledId}` : read.path,
    openapi: String(document['openapi']),
    mode: interop.requirements.length > 0 ? 'profile' : 'generic',
    servers: serverUrls(document['servers']),
  };
  if (convertedFrom !== undefined) profileInfo.convertedFrom = convertedFrom;

  return {
    info: profileInfo,
    document,
    operations: extracted.operations,
    requirements: interop.requirements,
    warnings: capWarnings(dedupeRefWarnings(warnings)),
  };
}

/**
 * `validateDocument`, or what it concluded the last time it saw these bytes.
 * An entry of the wrong shape is a miss, like a missing one.
 */
async function checkedOnce(document: Record<string, unknown>, cache: ProfileCache | undefined, identity: { sha256: string; kind: DocumentKind }): Promise<ProfileWarning[]> {
  const unavailable = schemaCheckUnavailable(document);
  if (unavailable !== undefined) {
    const notValidated = { code: 'openapi-not-validated', message: `${unavailable} (only its outline: info, paths); a mistake in it shows only where the harness reads that part`, location: '/openapi' };
    return [notValidated, ...(await validateDocument(document))];
  }
  if (!cache) return validateDocument(document);
  // The build too: a rebuild of the same version may conclude otherwise about the same bytes.
  const key = cacheKey({ stage: 'validate-document', sha256: identity.sha256, kind: identity.kind, harness: harnessIdentity().version, build: runningBuildId() });
  const cached = cache.read(key);
  if (Array.isArray(cached) && cached.every(isWarning)) return cached;
  const warnings = await validateDocument(document);
  cache.write(key, warnings);
  return warnings;
}

function isWarning(value: unknown): value is ProfileWarning {
  return isRecord(value) && typeof value['code'] === 'string' && typeof value['message'] === 'string' && typeof value['location'] === 'string' && Object.keys(value).length === 3;
}

/** Checks the version field, naming it in the error when it is missing or unsupported. */
function documentKind(data: Record<string, unknown>, path: string): DocumentKind {
  const openapi = data['openapi'];
  const swagger = data['swagger'];
  if (openapi !== undefined) {
    if (typeof openapi !== 'string') {
      throw new HarnessError('PROFILE_INVALID', `${path}: field "openapi" must be a string such as "3.0.3", found ${describeValue(openapi)} (quote it in YAML)`);
    }
    if (/^3\.0\.\d+(-[\w.]+)?$/.test(openapi)) return 'openapi-3.0';
    if (/^3\.1\.\d+(-[\w.]+)?$/.test(openapi)) return 'openapi-3.1';
    if (/^3\.2\.\d+(-[\w.]+)?$/.test(openapi)) return 'openapi-3.2';
    throw new HarnessError('PROFILE_INVALID', `${path}: field "openapi" is "${openapi}"; supported versions are 3.0.x, 3.1.x and 3.2.x (and Swagger 2.0)`);
  }
  if (swagger !== undefined) {
    if (swagger === '2.0') return 'swagger-2.0';
    const hint = typeof swagger === 'number' ? ' (it must be the string "2.0": quote it in YAML)' : '';
    throw new HarnessError('PROFILE_INVALID', `${path}: field "swagger" is ${JSON.stringify(swagger)}; only "2.0" is supported${hint}`);
  }
  throw new HarnessError('PROFILE_INVALID', `${path}: missing field "openapi" (or "swagger"): not an OpenAPI 3.0/3.1 or Swagger 2.0 document`);
}

/** A dangling `$ref` is seen when bundling and again when extracting: report it once. */
function dedupeRefWarnings(warnings: ProfileWarning[]): ProfileWarning[] {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    if (warning.code !== 'ref-unresolved') return true;
    if (seen.has(warning.location)) return false;
    seen.add(warning.location);
    return true;
  });
}

/** Keeps the first warnings of each code and adds one summary line for the rest. */
function capWarnings(warnings: ProfileWarning[]): ProfileWarning[] {
  const counts = new Map<string, number>();
  const kept: ProfileWarning[] = [];
  for (const warning of warnings) {
    const count = (counts.get(warning.code) ?? 0) + 1;
    counts.set(warning.code, count);
    if (count <= MAX_WARNINGS_PER_CODE) kept.push(warning);
  }
  for (const [code, count] of counts) {
    if (count > MAX_WARNINGS_PER_CODE) {
      kept.push({ code, message: `${count - MAX_WARNINGS_PER_CODE} more "${code}" warnings not shown`, location: '' });
    }
  }
  return kept;
}

/** Longest id made from a title or file name: it names a report folder. */
const MAX_SLUG_LENGTH = 64;

/**
 * A title or file name as a profile id: lower-case letters, digits and single
 * dashes, at most 64 characters, so it is safe as a folder name (no separator,
 * no `..`, never empty).
 *
 * @example slugify('Supplier API (v2)') // 'supplier-api-v2'
 * @example slugify('../../etc') // 'etc'
 */
export function slugify(name: string, empty = 'profile'): string {
  const slug = name
    .normalize('NFKD')
    // Accents come apart from their letters under NFKD: drop them, keep the letter.
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? empty : slug;
}

/** The last name in a path or URL, without its extension. */
function fileNameOf(path: string): string {
  const name = isProfileUrl(path) ? basename(new URL(path).pathname) : basename(path);
  return basename(name, extname(name));
}

function serverUrls(servers: unknown): string[] {
  if (!Array.isArray(servers)) return [];
  return servers.flatMap((server) => (isRecord(server) && typeof server['url'] === 'string' ? [server['url']] : []));
}

function nonEmptyText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}
