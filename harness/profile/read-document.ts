/**
 * Reading one profile file from disk: size cap, SHA-256 of the bytes as read,
 * and a YAML/JSON parse whose errors name the file, line and column.
 */
import { createHash } from 'node:crypto';
import { extname, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import { findDuplicateJsonKey, hasDuplicateJsonKey } from './json-duplicate-keys.js';
import { readRegularFile } from '../read-regular-file.js';
import { parsePlainYaml } from './plain-yaml.js';
import { findYamlTreeProblem } from './yaml-tree-bounds.js';
import { yamlLibrary } from './yaml-library.js';

import { DEFAULT_MAX_PROFILE_BYTES } from './max-profile-bytes.js';

/** Default cap on a profile file: large enough for real APIs, small enough to fail fast. */
export const DEFAULT_MAX_BYTES = DEFAULT_MAX_PROFILE_BYTES;

export interface ReadDocumentOptions {
  /** Refuse files larger than this many bytes (default 20 MB). */
  maxBytes?: number;
}

export interface ReadDocument {
  /** Absolute path of the file read. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 (hex) of the bytes as read. */
  sha256: string;
  format: 'json' | 'yaml';
  /** The parsed value: any JSON value (callers check it is an object). */
  data: unknown;
}

/**
 * Reads and parses a YAML or JSON document.
 *
 * @example
 *   const { data, sha256 } = await readDocument('profiles/person/openapi.yaml');
 * A FIFO, device, socket or directory is refused before anything is read (a FIFO would block).
 * @throws HarnessError PROFILE_NOT_FOUND, PROFILE_UNREADABLE, PROFILE_TOO_LARGE, PROFILE_PARSE
 */
export async function readDocument(path: string, options: ReadDocumentOptions = {}): Promise<ReadDocument> {
  const absolute = resolve(path);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    const read = await readRegularFile(absolute, maxBytes);
    if (!read.ok && read.reason === 'not-regular') {
      throw new HarnessError('PROFILE_UNREADABLE', `cannot read profile ${absolute}: it is ${read.kind}, not a regular file`);
    }
    if (!read.ok) throw tooLarge(absolute, read.size, maxBytes);
    bytes = read.bytes;
  } catch (error) {
    throw fileError(error, absolute);
  }
  const format = formatOf(absolute);
  const data = parseDocumentText(bytes.toString('utf8'), absolute, format, { maxBytes });
  return {
    path: absolute,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    format,
    data,
  };
}

/**
 * `json` for a `.json` file name, else `yaml`.
 *
 * @example formatOf('a/openapi.JSON') // 'json'
 */
export function formatOf(path: string): 'json' | 'yaml' {
  return extname(path).toLowerCase() === '.json' ? 'json' : 'yaml';
}

export interface ParseOptions {
  /** Refuse a YAML document whose aliases expand it past this many characters (default 20 MB). */
  maxBytes?: number;
}

/**
 * Parses document text. JSON goes through `JSON.parse` for exact errors; YAML
 * through `yaml`, its expanded size bounded. Both refuse a duplicate key (readers
 * disagree on which one wins). The result is always a plain JSON tree (no shared
 * or circular objects, even when YAML aliases were used). Every step is linear
 * in the text and its expansion.
 *
 * @example parseDocumentText('openapi: 3.0.3', 'inline.yaml', 'yaml') // { openapi: '3.0.3' }
 * @throws HarnessError PROFILE_PARSE, PROFILE_TOO_LARGE
 */
export function parseDocumentText(text: string, file: string, format: 'json' | 'yaml', options: ParseOptions = {}): unknown {
  // A UTF-8 byte order mark is legal in both formats but JSON.parse rejects it.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return format === 'json' ? parseJson(source, file) : parseYaml(source, file, maxBytes);
}

function parseJson(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /at position (\d+)/.exec(message);
    const position = match?.[1] !== undefined ? Number(match[1]) : text.length;
    const { line, column } = lineAndColumn(text, position);
    // V8 appends "in JSON at position N" (and on newer Node "(line L column C)"): we say it our way.
    const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new HarnessError('PROFILE_PARSE', `${file}: invalid JSON at line ${line}, column ${column}: ${reason}`, {
      cause: error,
    });
  }
  // Counting finds whether there is a duplicate; only then is the text scanned to name it.
  const duplicate = hasDuplicateJsonKey(text, value) ? findDuplicateJsonKey(text) : undefined;
  if (duplicate !== undefined) {
    const { line, column } = lineAndColumn(text, duplicate.offset);
    throw new HarnessError('PROFILE_PARSE', `${file}: invalid JSON at line ${line}, column ${column}: duplicate key ${JSON.stringify(duplicate.key)} (keys must be unique)`);
  }
  return value;
}

function parseYaml(text: string, file: string, maxBytes: number): unknown {
  // Most profiles are plain YAML: a fast parse gives the same tree; anything else, and every error, is decided below.
  const plain = parsePlainYaml(text, maxBytes);
  if (plain !== undefined) return plain.value;
  // uniqueKeys off: the library compares each key with all before it (quadratic); the tree check below is linear.
  const doc = yamlLibrary().parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const reason = oneLine(first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new HarnessError('PROFILE_PARSE', `${file}: invalid YAML${where}: ${reason}`, { cause: first });
  }
  const problem = findYamlTreeProblem(doc, maxBytes);
  if (problem?.kind === 'too-large') {
    throw new HarnessError(
      'PROFILE_TOO_LARGE',
      `${file}: YAML aliases expand the document past the ${maxBytes}-byte profile size limit; refusing a possible "billion laughs" document (--max-profile raises the limit)`,
    );
  }
  if (problem !== undefined) {
    const { line, column } = lineAndColumn(text, problem.offset);
    const reason = problem.kind === 'duplicate-key' ? `duplicate key ${JSON.stringify(problem.key)} (map keys must be unique)` : 'a YAML alias refers to its own anchor (circular structure)';
    throw new HarnessError('PROFILE_PARSE', `${file}: invalid YAML at line ${line}, column ${column}: ${reason}`);
  }
  let value: unknown;
  try {
    // The size is bounded above; the library's alias count would refuse large honest documents.
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HarnessError('PROFILE_PARSE', `${file}: invalid YAML: ${oneLine(message)}`, { cause: error });
  }
  // yaml shares one object between an anchor and its aliases (and an alias inside its own
  // anchor makes a cycle); a JSON round trip gives later stages an independent tree.
  try {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /circular/i.test(message) ? 'a YAML alias refers to its own anchor (circular structure)' : oneLine(message);
    throw new HarnessError('PROFILE_PARSE', `${file}: invalid YAML: ${reason}`, { cause: error });
  }
}

/**
 * 1-based line and column of a character offset.
 *
 * @example lineAndColumn('a\nbc', 3) // { line: 2, column: 2 }
 */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function tooLarge(path: string, size: number, maxBytes: number): HarnessError {
  return new HarnessError('PROFILE_TOO_LARGE', `profile ${path} is ${size} bytes, over the ${maxBytes}-byte limit (--max-profile raises it)`);
}

/** Turns a file-system error into the HarnessError a user can act on. */
function fileError(error: unknown, path: string): HarnessError {
  if (error instanceof HarnessError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new HarnessError('PROFILE_NOT_FOUND', `profile not found: ${path}`, { cause: error });
  }
  if (code === 'EISDIR') {
    return new HarnessError('PROFILE_UNREADABLE', `cannot read profile ${path}: it is a directory, not a file`, {
      cause: error,
    });
  }
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : oneLine(String((error as Error)?.message ?? error));
  return new HarnessError('PROFILE_UNREADABLE', `cannot read profile ${path}: ${reason}`, { cause: error });
}
