/**
 * Bundling: pulls external `$ref`s (files allowed by the ref policy) into one
 * document that has internal `$ref`s only. Bundling, unlike dereferencing, leaves
 * internal refs in place, so a recursive schema stays a `$ref` and the document
 * stays serialisable.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { HarnessError } from '../errors.js';
import { isRecord, joinPointer } from '../json-pointer.js';
import type { ProfileWarning } from './profile-types.js';
import type { DocumentFetcher } from './fetch-document.js';
import { createRefPolicy } from './ref-policy.js';

export interface BundleOptions {
  allowRemoteRefs?: boolean;
  maxBytes?: number;
  /** Fetches http(s) `$ref`s (same origin as a URL profile, or any with allowRemoteRefs). */
  fetcher?: DocumentFetcher;
}

export interface BundleResult {
  document: Record<string, unknown>;
  /** `ref-unresolved`: an internal `$ref` whose target does not exist (left as written). */
  warnings: ProfileWarning[];
}

/** Library errors that describe one dangling JSON pointer: a warning, not a reason to stop. */
const POINTER_ERRORS = new Set(['MissingPointerError', 'InvalidPointerError']);

/**
 * Bundles a parsed profile whose file is `rootFile` (relative refs resolve from its folder).
 * The input object is modified; use the returned document.
 *
 * @example
 *   const { document, warnings } = await bundleDocument('/p/openapi.yaml', parsed);
 * @throws HarnessError PROFILE_REF_REFUSED, PROFILE_REF_UNRESOLVED, PROFILE_PARSE, PROFILE_TOO_LARGE, PROFILE_INVALID
 */
export async function bundleDocument(
  rootFile: string,
  document: Record<string, unknown>,
  options: BundleOptions = {},
): Promise<BundleResult> {
  const policy = createRefPolicy({ rootFile, allowRemoteRefs: options.allowRemoteRefs, maxBytes: options.maxBytes, fetcher: options.fetcher });
  policy.registerRoot(document);
  const parser = new SwaggerParser();
  let failure: unknown;
  try {
    // continueOnError: a dangling internal pointer is collected, not thrown at once, so a
    // messy document still bundles and each dangling ref becomes a warning.
    await parser.bundle(rootFile, document as never, { ...policy.parserOptions, continueOnError: true } as SwaggerParser.Options);
  } catch (error) {
    failure = error;
  }
  // Whatever the library made of it, a refusal or a missing file of ours is the real story.
  const ours = policy.firstError();
  if (ours !== undefined) throw ours;
  const bundled: unknown = parser.api ?? document;
  if (!isRecord(bundled)) throw new HarnessError('PROFILE_INVALID', `${rootFile}: bundling did not produce an object`);
  if (failure === undefined) return { document: bundled, warnings: [] };

  const errors = errorsOf(failure);
  if (errors.length > 0 && errors.every((e) => POINTER_ERRORS.has(nameOf(e)))) {
    return { document: bundled, warnings: errors.map(pointerWarning) };
  }
  throw translate(rootFile, errors.find((e) => !POINTER_ERRORS.has(nameOf(e))) ?? failure);
}

/** The individual errors inside a JSONParserErrorGroup, or the error itself. */
function errorsOf(error: unknown): unknown[] {
  if (nameOf(error) === 'JSONParserErrorGroup') {
    const inner = (error as { errors?: unknown }).errors;
    if (Array.isArray(inner)) return inner;
  }
  return [error];
}

function nameOf(error: unknown): string {
  return isRecord(error) || error instanceof Error ? String((error as { name?: unknown }).name ?? '') : '';
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function pointerWarning(error: unknown): ProfileWarning {
  const path = (error as { path?: unknown }).path;
  const location = Array.isArray(path) ? joinPointer('', ...path.map(String)) : '';
  return { code: 'ref-unresolved', message: `$ref cannot be resolved: ${messageOf(error)}`, location };
}

function translate(rootFile: string, error: unknown): HarnessError {
  const name = nameOf(error);
  const message = messageOf(error);
  // "Unable to resolve $ref pointer": no resolver would read it (e.g. a localhost URL the
  // library's own http resolver declines even with remote refs allowed).
  if (name === 'ResolverError' || name === 'UnmatchedResolverError' || /^Unable to resolve \$ref/.test(message)) {
    return new HarnessError('PROFILE_REF_UNRESOLVED', `${rootFile}: a $ref cannot be resolved: ${message}`, { cause: error });
  }
  if (name === 'ParserError' || name === 'UnmatchedParserError') {
    return new HarnessError('PROFILE_PARSE', `${rootFile}: a referenced file cannot be parsed: ${message}`, { cause: error });
  }
  if (/maximum call stack/i.test(message)) return tooDeep(rootFile, error);
  return new HarnessError('PROFILE_INVALID', `${rootFile}: cannot bundle the document: ${message}`, { cause: error });
}

/** Absurd nesting exhausts the stack of whatever walks it; say so in the user's terms. */
export function tooDeep(source: string, cause: unknown): HarnessError {
  return new HarnessError('PROFILE_TOO_LARGE', `${source}: the profile is nested too deeply to process (schemas or $refs thousands of levels deep)`, { cause });
}
