/**
 * Bundling: pulls external `$ref`s (files allowed by the ref policy) into one
 * document that has internal `$ref`s only. Bundling, unlike dereferencing, leaves
 * internal refs in place, so a recursive schema stays a `$ref` and the document
 * stays serialisable.
 */
import type SwaggerParser from '@apidevtools/swagger-parser';
import { HarnessError } from '../errors.js';
import { followLocalRef } from '../follow-local-ref.js';
import { isRecord, joinPointer } from '../json-pointer.js';
import type { ProfileWarning } from './profile-types.js';
import { DATA_KEYS } from './find-messy-parts.js';
import type { DocumentFetcher } from './fetch-document.js';
import { loadSwaggerParser } from './openapi-schema-code.js';
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
  /** Whether a file or URL was referenced: the result then depends on more than the profile's own bytes. */
  external: boolean;
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
  // Nothing to pull in: the library's walk took 16.5 s of a 21 s load of a 20 MB document for nothing.
  if (!hasExternalRef(document)) return { document, warnings: danglingRefWarnings(document), external: false };
  const policy = createRefPolicy({ rootFile, allowRemoteRefs: options.allowRemoteRefs, maxBytes: options.maxBytes, fetcher: options.fetcher });
  policy.registerRoot(document);
  // Loaded only when there is something to bundle (with the precompiled schema check, see openapi-schema-code.ts).
  const Parser = await loadSwaggerParser();
  const parser = new Parser();
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
  if (failure === undefined) return { document: bundled, warnings: [], external: true };

  const errors = errorsOf(failure);
  if (errors.length > 0 && errors.every((e) => POINTER_ERRORS.has(nameOf(e)))) {
    return { document: bundled, warnings: errors.map(pointerWarning), external: true };
  }
  throw translate(rootFile, errors.find((e) => !POINTER_ERRORS.has(nameOf(e))) ?? failure);
}

/** Nesting past this goes through the bundler as it always did, which refuses what is too deep for it (PROFILE_TOO_LARGE). */
const BUNDLER_NESTING = 1000;

/**
 * Whether any `$ref` in the document names something outside it (a file or URL).
 * Every `$ref` counts, even one inside an example: the library would follow it too.
 * A document nested deeper than 1,000 levels counts too, so that it meets the
 * bundler's limits exactly as before.
 * @example hasExternalRef({ a: { $ref: '#/b' }, b: {} }) // false
 */
export function hasExternalRef(document: unknown): boolean {
  const stack: Array<[unknown, number]> = [[document, 0]];
  let embedded: Set<string> | undefined;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > BUNDLER_NESTING) return true;
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') stack.push([item, depth + 1]);
    } else if (isRecord(node)) {
      const ref = node['$ref'];
      if (typeof ref === 'string' && !ref.startsWith('#') && !(embedded ??= namedResources(document).ids).has(ref.replace(/#.*$/, ''))) return true;
      for (const key in node) {
        const value = node[key];
        if (value !== null && typeof value === 'object') stack.push([value, depth + 1]);
      }
    }
  }
  return false;
}

/**
 * What a 3.1 document's schemas name themselves: each absolute `$id` (without
 * a fragment) names a schema resource embedded in the document (JSON Schema
 * 2020-12 8.2.1, 9.1.2), and each `$anchor` or `$dynamicAnchor` a place that
 * `#name` reaches (8.2.2). The validator resolves a `$ref` to either inside the
 * document, with nothing fetched. Found with Mockoon: `$ref:
 * https://example.com/schemas/thing` beside a component with that `$id` was
 * refused as a remote reference, exit 2, on a valid document, and `#codeAnchor`
 * drew a warning that its target did not exist. A relative `$id` is not read
 * (its base would have to be tracked): a `$ref` to it stays external.
 */
function namedResources(document: unknown): { ids: Set<string>; anchors: Set<string> } {
  const ids = new Set<string>();
  const anchors = new Set<string>();
  // Each node with whether its keys are names (of properties, schemas): there `value` or `default` is a name, not data.
  const stack: Array<[unknown, number, boolean]> = [[document, 0, false]];
  while (stack.length > 0) {
    const [node, depth, named] = stack.pop()!;
    if (depth > BUNDLER_NESTING || node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node) && !named) {
      const { $id: id, $anchor: anchor, $dynamicAnchor: dynamicAnchor } = node as Record<string, unknown>;
      if (typeof id === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(id)) ids.add(id.replace(/#.*$/, ''));
      for (const name of [anchor, dynamicAnchor]) if (typeof name === 'string') anchors.add(name);
    }
    // Data is no schema: an `$id` inside an example names nothing a reference can reach (review: it let a remote $ref through).
    for (const [key, value] of Object.entries(node)) {
      if (value === null || typeof value !== 'object' || (!named && DATA_KEYS.has(key))) continue;
      stack.push([value, depth + 1, !named && NAME_MAPS.has(key)]);
    }
  }
  return { ids, anchors };
}

/**
 * Keys whose value maps names (or status codes, media types, paths) to
 * objects: its own keys are names, never data, so `default` under
 * `responses` or a parameter named `value` is searched (third review: a
 * `responses.default` schema's `$id` was missed and the document refused).
 */
const NAME_MAPS: ReadonlySet<string> = new Set([
  'properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'schemas', 'responses', 'parameters', 'requestBodies',
  'headers', 'pathItems', 'webhooks', 'callbacks', 'encoding', 'content', 'paths', 'links', 'securitySchemes', 'mediaTypes',
]);

/** A place in the document while walking it: the pointer is built only for a `$ref` that dangles. */
interface Place {
  node: unknown;
  key: string;
  parent: Place | undefined;
}

/** `ref-unresolved` for each internal `$ref` whose target does not exist, as the bundler reports them. */
function danglingRefWarnings(document: Record<string, unknown>): ProfileWarning[] {
  const warnings: ProfileWarning[] = [];
  // Thousands of responses name the same few components: follow each reference once.
  const dangles = new Map<string, boolean>();
  let anchors: Set<string> | undefined;
  const stack: Place[] = [{ node: document, key: '', parent: undefined }];
  while (stack.length > 0) {
    const place = stack.pop()!;
    const node = place.node;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        const item: unknown = node[index];
        if (item !== null && typeof item === 'object') stack.push({ node: item, key: String(index), parent: place });
      }
    } else if (isRecord(node)) {
      const ref = node['$ref'];
      if (typeof ref === 'string') {
        let dangling = dangles.get(ref);
        if (dangling === undefined && /^#[A-Za-z_]/.test(ref)) {
          // `#name` names a 3.1 `$anchor`, not a pointer: the validator resolves it (JSON Schema 2020-12 8.2.2).
          dangling = !(anchors ??= namedResources(document).anchors).has(ref.slice(1));
          dangles.set(ref, dangling);
        }
        if (dangling === undefined) {
          const followed = followLocalRef(document, { $ref: ref }, '');
          // Only this reference's own target: a broken one further along the chain is reported where it is written.
          dangling = !followed.ok && followed.ref === ref && followed.reason === 'its target does not exist';
          dangles.set(ref, dangling);
        }
        if (dangling) warnings.push({ code: 'ref-unresolved', message: `$ref cannot be resolved: Missing $ref pointer "${ref}": its target does not exist`, location: pointerOf(place) });
      }
      for (const key in node) {
        const value = node[key];
        if (value !== null && typeof value === 'object') stack.push({ node: value, key, parent: place });
      }
    }
  }
  return warnings.reverse();
}

function pointerOf(place: Place): string {
  const keys: string[] = [];
  for (let at: Place | undefined = place; at?.parent !== undefined; at = at.parent) keys.push(at.key);
  return joinPointer('', ...keys.reverse());
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
