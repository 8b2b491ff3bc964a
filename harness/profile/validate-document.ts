/**
 * Validation against the OpenAPI schema, as advice: every problem becomes a
 * `ProfileWarning`, because a supplier can still be probed against a document
 * with mistakes in it and the report should say so rather than refuse to run.
 */
import type SwaggerParser from '@apidevtools/swagger-parser';
import { followLocalRef } from '../follow-local-ref.js';
import { isRecord, joinPointer, parsePointer, resolvePointer } from '../json-pointer.js';
import { makeLibraryCompatible } from './library-compat.js';
import { loadSwaggerParser } from './openapi-schema-code.js';
import type { ProfileWarning } from './profile-types.js';

const MAX_NODES = 500_000;

/**
 * Above this many JSON values the document is validated where it sits, without a
 * copy and without dereferencing: the copy and the dereferenced walk took 200 MB and
 * 5 s for a 20 MB profile, while in place takes 10 MB and 0.3 s. What a big document
 * loses is the check that each `$ref` points at the right kind of object; every
 * object is still checked where it is written.
 */
export const IN_PLACE_VALIDATION_NODES = 200_000;

interface AjvError {
  instancePath?: string;
  schemaPath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Why a document cannot be checked against an OpenAPI schema, or undefined
 * when it can. swagger-parser 12 has the schemas of 2.0, 3.0 and 3.1 only;
 * checked against 3.1's, a 3.2 document's new fields (`query`,
 * `additionalOperations`, `itemSchema`, a tag's `parent`, …) would each be
 * reported as a mistake.
 */
export function schemaCheckUnavailable(document: Record<string, unknown>): string | undefined {
  const version = document['openapi'];
  if (typeof version === 'string' && /^3\.2\./.test(version)) return 'OpenAPI 3.2 is not checked against the OpenAPI schema: the validator knows 2.0, 3.0 and 3.1';
  return undefined;
}

/**
 * What any OpenAPI 3 document must have, checked where no schema can be: an
 * `info` with a string `title` and `version`, and `paths`, `webhooks` or
 * `components` (objects), each path beginning with `/`. Far less than the
 * schema, but `{"openapi": "3.2.0"}` is no description of an API.
 */
function outlineProblems(document: Record<string, unknown>): ProfileWarning[] {
  const problems: ProfileWarning[] = [];
  const warning = (location: string, message: string): ProfileWarning => ({ code: 'openapi-invalid', message: `OpenAPI 3.2 outline: ${location || '/'} ${message}`, location });
  const info = document['info'];
  if (!isRecord(info)) problems.push(warning('', "must have required property 'info'"));
  else {
    for (const field of ['title', 'version']) {
      if (typeof info[field] !== 'string') problems.push(warning('/info', `must have required property '${field}' (a string)`));
    }
  }
  const parts = ['paths', 'webhooks', 'components'].filter((part) => document[part] !== undefined);
  if (parts.length === 0) problems.push(warning('', 'must have paths, webhooks or components'));
  for (const part of parts) if (!isRecord(document[part])) problems.push(warning(`/${part}`, 'must be an object'));
  const paths = document['paths'];
  if (isRecord(paths)) {
    for (const path of Object.keys(paths)) if (!path.startsWith('/') && !path.startsWith('x-')) problems.push(warning(joinPointer('/paths', path), 'must begin with "/"'));
  }
  return problems;
}

/**
 * Validates the bundled document against the OpenAPI schema (for a document
 * `schemaCheckUnavailable` names, only its outline: see `outlineProblems`); the document is
 * never changed (a small one is validated as a dereferenced copy, a big one in
 * place, see `IN_PLACE_VALIDATION_NODES`). Returns `openapi-invalid` warnings.
 *
 * @example
 *   const warnings = await validateDocument(bundled);
 *   // [{ code: 'openapi-invalid', location: '/paths/~1x/get', message: "must have required property 'responses'" }]
 */
export async function validateDocument(document: Record<string, unknown>): Promise<ProfileWarning[]> {
  if (schemaCheckUnavailable(document) !== undefined) return outlineProblems(document);
  if (countNodes(document, IN_PLACE_VALIDATION_NODES) >= IN_PLACE_VALIDATION_NODES) return validateInPlace(document);
  let copy: Record<string, unknown>;
  try {
    copy = structuredClone(document);
  } catch (error) {
    return [warning('', `not validated: ${messageOf(error)}`)];
  }
  makeLibraryCompatible(copy);
  // Dangling refs were reported when bundling; leaving them un-dereferenced lets the
  // schema check still run over the rest (a Reference object is valid where it sits).
  const dangling = danglingRefLocations(copy);
  const excludedPathMatcher = (libraryPath: string): boolean => dangling.has(normalisePath(libraryPath));
  // External refs were bundled already; never let validation reach the file system or network.
  return validateWith(copy, document, { resolve: { external: false }, dereference: dangling.size > 0 ? { excludedPathMatcher } : {} });
}

/** The library dereferences nothing when every path is excluded, so the document is only read. */
async function validateInPlace(document: Record<string, unknown>): Promise<ProfileWarning[]> {
  const restore = makeLibraryCompatible(document);
  try {
    return await validateWith(document, document, { resolve: { external: false }, dereference: { excludedPathMatcher: () => true } });
  } finally {
    restore(document);
  }
}

async function validateWith(subject: Record<string, unknown>, original: Record<string, unknown>, options: object): Promise<ProfileWarning[]> {
  // Loaded when a document is checked: a run whose check is cached never loads it.
  // With the OpenAPI schemas compiled at build time, when they match what is installed.
  const Parser = await loadSwaggerParser();
  try {
    await Parser.validate(subject as never, options as SwaggerParser.Options);
    return [];
  } catch (error) {
    const details = (error as { details?: unknown }).details;
    if (Array.isArray(details) && details.length > 0) return fromAjv(details as AjvError[], original);
    return [warning(locationIn(messageOf(error)), messageOf(error).replace(/^Validation failed\.\s*/, ''))];
  }
}

/** How many JSON values the document holds, counting no further than `limit`. */
function countNodes(document: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [document];
  while (stack.length > 0 && count < limit) {
    const node = stack.pop();
    count++;
    if (Array.isArray(node)) for (const item of node) stack.push(item);
    else if (isRecord(node)) for (const key in node) stack.push(node[key]);
  }
  return count;
}

/**
 * Keeps the errors a reader can act on, one warning per location: drops the "or
 * it could be a `$ref`" alternatives, the oneOf/anyOf summaries that sit above a
 * more specific error, and errors at places that exist only in the dereferenced
 * copy (the same problem is reported where the referenced object really lives).
 */
function fromAjv(errors: AjvError[], original: Record<string, unknown>): ProfileWarning[] {
  const located = withoutOtherKinds(errors)
    .filter((e) => !(e.keyword === 'required' && e.params?.['missingProperty'] === '$ref'))
    .map((e) => {
      const path = e.instancePath ?? '';
      const extra = e.params?.['additionalProperty'] ?? e.params?.['unevaluatedProperty'];
      const location = typeof extra === 'string' ? joinPointer(path, extra) : path;
      const message = `${e.message ?? 'is invalid'}${typeof extra === 'string' ? ` (${extra})` : ''}`;
      return { keyword: e.keyword ?? '', location, message };
    })
    .filter((e) => resolvePointer(original, e.location).found);
  // Every location that has a more specific error below it (a set: a broken 20 MB document has many thousands).
  const aboveOthers = new Set<string>();
  for (const { location } of located) {
    for (let cut = location.lastIndexOf('/'); cut >= 0; cut = cut === 0 ? -1 : location.lastIndexOf('/', cut - 1)) aboveOthers.add(location.slice(0, cut));
  }
  const byLocation = new Map<string, string[]>();
  for (const error of located) {
    const summary = ['oneOf', 'anyOf', 'if', 'not'].includes(error.keyword);
    if (summary && aboveOthers.has(error.location)) continue;
    const messages = byLocation.get(error.location) ?? [];
    if (!messages.includes(error.message)) messages.push(error.message);
    byLocation.set(error.location, messages);
  }
  return [...byLocation].map(([location, messages]) => warning(location, messages.join('; ')));
}

/**
 * The alternative an error comes from: its schema definition
 * (`#/definitions/APIKeySecurityScheme`), or `#` for one Ajv compiled on its
 * own, whose paths start at its root (the 3.0 schema's OAuth2SecurityScheme).
 */
function alternativeOf(error: AjvError): string {
  return /^#\/definitions\/[^/]+/.exec(error.schemaPath ?? '')?.[0] ?? '#';
}

/**
 * The errors without those of the alternatives for other kinds of security
 * scheme. The OpenAPI 3.0 schema gives a security scheme as a oneOf of one
 * definition per `type`, and Ajv reports every alternative's
 * complaints: an oauth2 scheme with one stray field read "must have required
 * property 'name'; ... 'openIdConnectUrl'" and "flows must NOT have additional
 * properties", the apiKey and openIdConnect definitions' words. A definition
 * whose own `type` check failed at a scheme is not that scheme's kind: its
 * errors there are dropped, unless every alternative's were (then the kind
 * itself is wrong, and that is what is said). Parameters are left alone: their
 * `in` alternatives share one definition, so its errors cannot be told apart.
 */
function withoutOtherKinds(errors: AjvError[]): AjvError[] {
  const otherKinds = new Map<string, Set<string>>();
  for (const error of errors) {
    // Security schemes only: the 3.0 schema's parameter alternatives share one definition, whose errors are all real.
    const match = /^(\/components\/securitySchemes\/[^/]+)\/type$/.exec(error.instancePath ?? '');
    if (!match || (error.keyword !== 'enum' && error.keyword !== 'const')) continue;
    const kinds = otherKinds.get(match[1]!) ?? new Set<string>();
    kinds.add(alternativeOf(error));
    otherKinds.set(match[1]!, kinds);
  }
  if (otherKinds.size === 0) return errors;
  const within = (path: string, object: string) => path === object || path.startsWith(`${object}/`);
  const drop = new Set<AjvError>();
  for (const [object, kinds] of otherKinds) {
    const here = errors.filter((e) => within(e.instancePath ?? '', object));
    const others = here.filter((e) => kinds.has(alternativeOf(e)));
    const summaryOrRef = (e: AjvError) => ['oneOf', 'anyOf'].includes(e.keyword ?? '') || (e.keyword === 'required' && e.params?.['missingProperty'] === '$ref');
    // Some alternative's errors remain: they are the object's own kind's. Else the kind is what is wrong.
    if (here.some((e) => !others.includes(e) && !summaryOrRef(e))) for (const e of others) drop.add(e);
  }
  return errors.filter((e) => !drop.has(e));
}

/** Locations of internal `$ref`s that cannot be followed to a value. */
function danglingRefLocations(document: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const followable = new Map<string, boolean>();
  let budget = MAX_NODES;
  // Keys, not pointers, on the stack: a pointer is written out only for a `$ref` (joining one per node was most of the walk).
  type Place = { node: unknown; key: string; parent: Place | undefined };
  const pointerOf = (place: Place): string => {
    const keys: string[] = [];
    for (let at: Place | undefined = place; at?.parent !== undefined; at = at.parent) keys.push(at.key);
    return joinPointer('', ...keys.reverse());
  };
  const stack: Place[] = [{ node: document, key: '', parent: undefined }];
  while (stack.length > 0 && budget-- > 0) {
    const place = stack.pop()!;
    const node = place.node;
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push({ node: item, key: String(index), parent: place }));
    } else if (isRecord(node)) {
      const ref = node['$ref'];
      if (typeof ref === 'string') {
        // Whether a reference can be followed depends on its text alone: a component referenced
        // from hundreds of responses is followed once.
        let ok = followable.get(ref);
        if (ok === undefined) followable.set(ref, (ok = followLocalRef(document, node, '').ok));
        if (!ok) {
          found.add(pointerOf(place));
          continue;
        }
      }
      for (const key of Object.keys(node)) stack.push({ node: node[key], key, parent: place });
    }
  }
  return found;
}

/** The library's `#/a/b%20c` path as a plain JSON pointer. */
function normalisePath(libraryPath: string): string {
  const tokens = parsePointer(libraryPath.startsWith('#') ? libraryPath : '#' + libraryPath);
  return tokens === undefined ? libraryPath : joinPointer('', ...tokens);
}

/** A JSON pointer mentioned in a validator message such as `/paths/~1x/get has …`. */
function locationIn(message: string): string {
  const match = /(?:^|\s)(\/(?:paths|components|definitions|info|servers)\S*)/.exec(message);
  const candidate = match?.[1];
  return candidate !== undefined && parsePointer(candidate) !== undefined ? candidate : '';
}

function warning(location: string, message: string): ProfileWarning {
  return { code: 'openapi-invalid', message: `OpenAPI schema: ${location || '/'} ${message}`, location };
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : isRecord(error) ? JSON.stringify(error) : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
