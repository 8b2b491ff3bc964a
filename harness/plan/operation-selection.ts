import { HarnessError } from '../errors.js';
import { isRecord, resolvePointer } from '../json-pointer.js';
import type { OperationSpec } from '../profile/profile-types.js';

/**
 * Which operations a run probes: `--operations`/`--skip-operations`
 * (operationId globs), `--tags` and `--paths 'METHOD /glob'`. Every field is
 * optional; an empty selection keeps every operation.
 */
export interface OperationSelection {
  operations?: string[];
  skipOperations?: string[];
  tags?: string[];
  paths?: string[];
}

export interface SelectedOperations {
  operations: OperationSpec[];
  /**
   * Operations an include filter names (`--operations` or `--paths`): a
   * state-changing one among them is sent even though the run did not create
   * what it changes. Naming is deliberate: an operationId written out (no
   * wildcard), or a `--paths` entry that writes its method and its path
   * without a wildcard (`DELETE /things`, `PATCH /things/{id}`). A wildcard
   * only narrows, as `--tags` does: `--paths '* /items/incidents'` once sent
   * a bulk DELETE nobody asked for, and `GET /api/*` would name a `GET
   * /api/deletePad` among the reads.
   */
  named: Set<string>;
}

/**
 * Narrow the profile's operations to the selection. Throws USAGE when nothing is left.
 *
 * @example
 *   selectOperations(ops, doc, { paths: ['GET /features/*'] }).operations.map((o) => o.operationId); // ['getFeature']
 */
export function selectOperations(operations: readonly OperationSpec[], document: unknown, selection: OperationSelection): SelectedOperations {
  const include = (selection.operations ?? []).map(globMatcher);
  const exclude = (selection.skipOperations ?? []).map(globMatcher);
  const paths = (selection.paths ?? []).map(pathMatcher);
  const tags = new Set(selection.tags ?? []);
  const spelledOut = new Set((selection.operations ?? []).filter((glob) => !/[*?]/.test(glob)));
  const named = new Set<string>();
  const kept = operations.filter((operation) => {
    const byId = include.some((m) => m(operation.operationId));
    const byPath = paths.filter((m) => m(operation.method, operation.path));
    // --operations and --paths together include the union of what they match.
    if (!byId && byPath.length === 0) {
      if (include.length > 0 || paths.length > 0) return false;
    } else if (spelledOut.has(operation.operationId) || byPath.some((m) => m.names)) named.add(operation.operationId);
    if (tags.size > 0 && !operationTags(document, operation).some((tag) => tags.has(tag))) return false;
    return !exclude.some((m) => m(operation.operationId));
  });
  if (kept.length === 0 && operations.length > 0) {
    throw new HarnessError('USAGE', `the operation selection (${describeSelection(selection)}) leaves no operation of the ${operations.length} in the profile`);
  }
  for (const id of [...named]) if (!kept.some((o) => o.operationId === id)) named.delete(id);
  return { operations: kept, named };
}

/** Whether a selection narrows anything. */
export function isEmptySelection(selection: OperationSelection): boolean {
  return [selection.operations, selection.skipOperations, selection.tags, selection.paths].every((list) => (list ?? []).length === 0);
}

/** `--operations a,b --tags x` as one line, for messages. */
export function describeSelection(selection: OperationSelection): string {
  const parts: string[] = [];
  if (selection.operations?.length) parts.push(`--operations ${selection.operations.join(',')}`);
  if (selection.skipOperations?.length) parts.push(`--skip-operations ${selection.skipOperations.join(',')}`);
  if (selection.tags?.length) parts.push(`--tags ${selection.tags.join(',')}`);
  if (selection.paths?.length) parts.push(`--paths ${selection.paths.map((p) => `'${p}'`).join(',')}`);
  return parts.join(' ');
}

/** The operation's `tags`, read from the document. */
export function operationTags(document: unknown, operation: Pick<OperationSpec, 'pointer'>): string[] {
  const found = resolvePointer(document, operation.pointer);
  const tags = found.found && isRecord(found.value) ? found.value.tags : undefined;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** `*` any run of characters, `?` one character; everything else literal. */
function globMatcher(glob: string): (text: string) => boolean {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const pattern = new RegExp(`^${source}$`);
  return (text) => pattern.test(text);
}

/**
 * `GET /things/*`, `* /things`, or a bare `/things/**`. In the path, `*`
 * matches within one segment and `**` across segments; `{id}` is literal, so
 * the template as the document writes it matches itself.
 */
function pathMatcher(spec: string): ((method: string, path: string) => boolean) & { names: boolean } {
  const trimmed = spec.trim();
  const space = trimmed.search(/\s/);
  const method = space > 0 ? trimmed.slice(0, space).toUpperCase() : '*';
  const glob = space > 0 ? trimmed.slice(space).trim() : trimmed;
  if (!glob.startsWith('/')) throw new HarnessError('USAGE', `--paths takes 'METHOD /path-glob' (e.g. 'GET /features/*'), got ${JSON.stringify(spec)}`);
  const source = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  const pattern = new RegExp(`^${source}$`);
  // Case-blind: an OpenAPI 3.2 additional operation keeps its method as written (`purge`).
  // Only a method and a path written out name an operation (see `SelectedOperations.named`).
  return Object.assign((m: string, path: string) => (method === '*' || method === m.toUpperCase()) && pattern.test(path), { names: method !== '*' && !glob.includes('*') });
}
