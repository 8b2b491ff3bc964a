/**
 * Which external `$ref`s the loader may follow. A profile may be split across
 * files in its own folder; anything else (`../`, absolute paths, symlinks leading
 * out, http(s) URLs, other schemes) is refused unless the user allows it, so a
 * profile from an untrusted supplier cannot read local files or reach the network.
 *
 * The policy plugs into json-schema-ref-parser as its resolvers and parser. That
 * library wraps whatever a plugin throws in its own error types, so the policy
 * also keeps the first HarnessError it raised: the caller rethrows that one.
 */
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type SwaggerParser from '@apidevtools/swagger-parser';
import { HarnessError } from '../errors.js';
import { isRecord, joinPointer } from '../json-pointer.js';
import { DEFAULT_MAX_BYTES, formatOf, parseDocumentText } from './read-document.js';
import { formatByContent, type DocumentFetcher } from './fetch-document.js';
import { readRegularFile, type RegularFileRead } from '../read-regular-file.js';

export interface RefPolicyOptions {
  /** Absolute path of the profile's root file: its folder is the confinement. */
  rootFile: string;
  /** Lift the confinement: follow http(s) URLs and files outside the folder. */
  allowRemoteRefs?: boolean;
  /** Cap on each referenced file, as for the profile itself. */
  maxBytes?: number;
  /** How http(s) `$ref`s are fetched (bounded); without one they are refused. */
  fetcher?: DocumentFetcher;
}

export interface RefPolicy {
  /** Options for `SwaggerParser.bundle` (resolvers and parser); pass them as they are. */
  parserOptions: SwaggerParser.Options;
  /** Registers the root document (already parsed by the caller) so refusals can name where a `$ref` is written. */
  registerRoot(document: unknown): void;
  /** The first HarnessError a plugin raised, if any: the real reason behind a wrapped library error. */
  firstError(): HarnessError | undefined;
}

/** Where a `$ref` string is written. */
interface RefSite {
  ref: string;
  file: string;
  pointer: string;
}

const HTTP_URL = /^https?:\/\//i;
const ANY_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;
/** Bounds the search for where a refused `$ref` is written (it only serves the message). */
const MAX_SCAN_NODES = 200_000;

/**
 * Builds the `$ref` policy for one load.
 *
 * @example
 *   const policy = createRefPolicy({ rootFile: '/p/openapi.yaml' });
 *   policy.registerRoot(doc);
 *   try { await SwaggerParser.bundle('/p/openapi.yaml', doc, policy.parserOptions); }
 *   catch (e) { throw policy.firstError() ?? e; }
 */
export function createRefPolicy(options: RefPolicyOptions): RefPolicy {
  // A profile fetched from a URL: its relative refs resolve to URLs on its origin.
  const rootOrigin = HTTP_URL.test(options.rootFile) ? new URL(options.rootFile).origin : undefined;
  const rootFile = rootOrigin !== undefined ? options.rootFile : resolve(options.rootFile);
  const allow = options.allowRemoteRefs === true;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const folder = dirname(rootFile);
  const realFolder = safeRealpath(folder);
  // Parsed documents by the library's URL for them, to find where a refused `$ref` is written.
  const documents = new Map<string, unknown>();
  let first: HarnessError | undefined;

  const record = (error: HarnessError): HarnessError => {
    first ??= error;
    return error;
  };

  const describe = (targetUrl: string): string => {
    const site = findRefSite(documents, targetUrl);
    if (site === undefined) return `$ref to "${displayUrl(targetUrl)}"`;
    const at = site.pointer === '' ? '' : ` at ${site.pointer}`;
    return `$ref "${site.ref}" in ${site.file}${at}`;
  };

  const refuse = (targetUrl: string, why: string): HarnessError =>
    record(new HarnessError('PROFILE_REF_REFUSED', `${describe(targetUrl)} refused: ${why}`));

  const readLocal = async (file: SwaggerParser.FileInfo): Promise<Buffer> => {
    const target = resolve(toFileSystemPath(file.url));
    if (!allow && !isInside(folder, target)) {
      throw refuse(file.url, `${target} is outside the profile folder ${folder} (use --allow-remote-refs to allow)`);
    }
    let real: string;
    try {
      real = await realpath(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' || code === 'ENOTDIR' ? `file not found: ${target}` : `cannot read ${target}: ${code ?? error}`;
      throw record(new HarnessError('PROFILE_REF_UNRESOLVED', `${describe(file.url)} cannot be resolved: ${reason}`, { cause: error }));
    }
    // The lexical check passed; a symlink may still lead out of the folder.
    if (!allow && !isInside(realFolder, real)) {
      throw refuse(file.url, `${target} resolves (through a symlink) to ${real}, outside the profile folder (use --allow-remote-refs to allow)`);
    }
    let read: RegularFileRead;
    try {
      read = await readRegularFile(real, maxBytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw record(new HarnessError('PROFILE_REF_UNRESOLVED', `${describe(file.url)} cannot be resolved: cannot read ${real}: ${reason}`, { cause: error }));
    }
    if (read.ok) return read.bytes;
    if (read.reason === 'too-large') {
      throw record(new HarnessError('PROFILE_TOO_LARGE', `${describe(file.url)}: ${real} is over the ${maxBytes}-byte limit (--max-profile raises it)`));
    }
    if (read.kind === 'a directory') {
      throw record(new HarnessError('PROFILE_REF_UNRESOLVED', `${describe(file.url)} cannot be resolved: ${real} is a directory, not a file`));
    }
    // A FIFO would block the load, a device never end: refused before reading.
    throw refuse(file.url, `${real} is ${read.kind}, not a regular file`);
  };

  const readRemote = async (file: SwaggerParser.FileInfo): Promise<Buffer> => {
    const url = new URL(stripHash(file.url));
    const sameOrigin = rootOrigin !== undefined && url.origin === rootOrigin;
    if (!sameOrigin && !allow) {
      throw refuse(
        file.url,
        rootOrigin === undefined
          ? 'remote references are not followed without --allow-remote-refs'
          : `${url.origin} is not the origin the profile came from (${rootOrigin}); use --allow-remote-refs to allow`,
      );
    }
    if (options.fetcher === undefined) throw refuse(file.url, 'remote references cannot be fetched here');
    try {
      return await options.fetcher.fetch(url, `${describe(file.url)}:`);
    } catch (error) {
      throw error instanceof HarnessError ? record(error) : error;
    }
  };

  const resolveOptions: Record<string, unknown> = {
    external: true,
    file: {
      order: 100,
      canRead: (file: SwaggerParser.FileInfo) => isFileUrl(file.url),
      read: (file: SwaggerParser.FileInfo) => {
        // A document from the network never reads this machine's files.
        if (rootOrigin !== undefined) throw refuse(file.url, `a profile fetched from ${rootOrigin} cannot reference local files`);
        return readLocal(file);
      },
    },
    // Ours, not the library's: the harness's bounded client, same-origin redirects only.
    http: { order: 200, canRead: (file: SwaggerParser.FileInfo) => HTTP_URL.test(file.url), read: readRemote },
    // Any other scheme (ftp:, urn:, data:, …) is never fetched.
    other: {
      order: 300,
      canRead: (file: SwaggerParser.FileInfo) => !isFileUrl(file.url) && !HTTP_URL.test(file.url),
      read: (file: SwaggerParser.FileInfo) => {
        throw refuse(file.url, 'only files in the profile folder and (with --allow-remote-refs) http(s) URLs can be referenced');
      },
    },
  };

  const parseReferenced = (file: SwaggerParser.FileInfo): unknown => {
    const name = isFileUrl(file.url) ? toFileSystemPath(file.url) : file.url;
    const data = file.data;
    const size = Buffer.isBuffer(data) ? data.length : String(data).length;
    // Every resolver of ours caps what it reads; this is the last line.
    if (size > maxBytes) {
      throw record(new HarnessError('PROFILE_TOO_LARGE', `${name} is ${size} bytes, over the ${maxBytes}-byte limit (--max-profile raises it)`));
    }
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
    try {
      // A URL's name says little about its content (`/v3/api-docs`); a file's extension does.
      const format = HTTP_URL.test(name) ? formatByContent(text) : formatOf(stripQueryAndHash(name));
      const value = parseDocumentText(text, name, format, { maxBytes });
      documents.set(stripHash(file.url), value);
      return value;
    } catch (error) {
      throw error instanceof HarnessError ? record(error) : error;
    }
  };

  const parserOptions = {
    resolve: resolveOptions,
    // One parser for every referenced file: ours, with the same alias and size guards
    // as the profile itself (the library's own YAML parser has neither).
    parse: {
      json: false,
      yaml: false,
      text: false,
      binary: false,
      profile: { order: 1, allowEmpty: true, canParse: true, parse: parseReferenced },
    },
  } as unknown as SwaggerParser.Options;

  return {
    parserOptions,
    registerRoot(document: unknown) {
      documents.set(rootOrigin !== undefined ? rootFile : libraryPathOf(rootFile), document);
    },
    firstError: () => first,
  };
}

/**
 * True when `child` is `parent` itself or below it.
 *
 * @example isInside('/p', '/p/schemas/a.yaml') // true; isInside('/p', '/p2/a.yaml') // false
 */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The library treats URLs without a scheme, and `file:` URLs, as file-system paths. */
function isFileUrl(url: string): boolean {
  const scheme = /^(\w{2,}):\/\//.exec(url)?.[1];
  if (scheme !== undefined) return scheme.toLowerCase() === 'file';
  const other = ANY_SCHEME.exec(url)?.[1];
  // `C:` is a Windows drive, not a scheme; `urn:x` and `mailto:x` are schemes.
  return other === undefined || other.length === 1;
}

/** The library's spelling of a file-system path as a URL path (percent-encoded). */
function libraryPathOf(path: string): string {
  return encodeURI(path.split(sep).join('/')).replace(/\?/g, '%3F').replace(/#/g, '%23');
}

/** Inverse of the library's encoding: a file URL or encoded path back to a file-system path. */
function toFileSystemPath(url: string): string {
  const bare = stripHash(url);
  if (/^file:\/\//i.test(bare)) {
    try {
      return fileURLToPath(bare);
    } catch {
      return bare.slice('file://'.length);
    }
  }
  let decoded = bare;
  try {
    decoded = decodeURI(bare);
  } catch {
    /* keep as written */
  }
  return decoded.replace(/%3F/gi, '?').replace(/%23/g, '#').replace(/%24/g, '$').replace(/%26/g, '&').replace(/%2C/gi, ',').replace(/%40/g, '@');
}

function displayUrl(url: string): string {
  return isFileUrl(url) ? toFileSystemPath(url) : url;
}

function stripHash(url: string): string {
  const index = url.indexOf('#');
  return index < 0 ? url : url.slice(0, index);
}

function stripQueryAndHash(url: string): string {
  const bare = stripHash(url);
  const index = bare.indexOf('?');
  return index < 0 ? bare : bare.slice(0, index);
}

/** Resolves a `$ref` against the URL of the document it is in, the way the library does. */
function resolveAgainst(base: string, ref: string): string {
  const placeholder = 'https://placeholder.invalid';
  try {
    const baseUrl = new URL(base, placeholder);
    const target = new URL(ref, baseUrl);
    if (target.origin === placeholder) return target.pathname + target.search + target.hash;
    return target.toString();
  } catch {
    return ref;
  }
}

/** Finds a `$ref` in the documents read so far that resolves to the target URL. */
function findRefSite(documents: Map<string, unknown>, targetUrl: string): RefSite | undefined {
  const wanted = comparable(stripHash(targetUrl));
  for (const [url, document] of documents) {
    let budget = MAX_SCAN_NODES;
    const stack: Array<{ node: unknown; pointer: string }> = [{ node: document, pointer: '' }];
    while (stack.length > 0 && budget-- > 0) {
      const { node, pointer } = stack.pop()!;
      if (Array.isArray(node)) {
        node.forEach((item, index) => stack.push({ node: item, pointer: joinPointer(pointer, index) }));
        continue;
      }
      if (!isRecord(node)) continue;
      const ref = node['$ref'];
      if (typeof ref === 'string' && !ref.startsWith('#')) {
        if (comparable(stripHash(resolveAgainst(url, ref))) === wanted) {
          return { ref, file: toFileSystemPath(url), pointer };
        }
      }
      for (const key of Object.keys(node)) stack.push({ node: node[key], pointer: joinPointer(pointer, key) });
    }
  }
  return undefined;
}

function comparable(url: string): string {
  return isFileUrl(url) ? resolve(toFileSystemPath(url)) : url;
}
