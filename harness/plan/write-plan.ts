/**
 * The write-safety model: with --allow-writes, the run changes only what it
 * created itself. Each POST to a collection whose records the document can
 * also delete becomes a lifecycle (create -> read it back -> update -> read
 * and compare -> delete -> read again, expecting 404/410); writes under the
 * created record's path are steps of that lifecycle. Every other write (a
 * settings or mode toggle, a bulk delete, a change to a record found in a
 * list) would change state the run did not create: it is not sent unless an
 * include filter names it.
 */
import { followLocalRef } from '../follow-local-ref.js';
import { isRecord, joinPointer, parsePointer } from '../json-pointer.js';
import type { OperationSpec } from '../profile/profile-types.js';
import { namedAsChange, namesCreate, pathActions } from './named-change.js';
import { isOwnIdKey, letters, namesResource, resourceName } from './value-harvest.js';

/** Methods that change nothing on the supplier. QUERY (safe and idempotent by its IETF definition; OpenAPI 3.2's `query`) is one that carries a body. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'QUERY']);

/**
 * Whether sending the operation changes state: a method that writes, or a
 * read named as a change (`GET /deletePad`, see named-change.ts). TRACE is
 * neither: it is never sent as documented. The one test of "is this a write"
 * for the write plan, the run's read phase, --dry-run and lifecycle steps.
 */
export function changesState(operation: Pick<OperationSpec, 'method' | 'path' | 'operationId' | 'syntheticId'>): boolean {
  if (operation.method === 'TRACE') return false;
  return !READ_METHODS.has(operation.method) || namedAsChange(operation) !== undefined;
}

/** Read methods whose request has a body: it asks, and changes nothing. */
export const READ_METHODS_WITH_BODY: ReadonlySet<string> = new Set(['QUERY']);

/** Methods whose effect HTTP defines. */
const DEFINED_METHODS: ReadonlySet<string> = new Set([...READ_METHODS, 'TRACE', 'PUT', 'POST', 'DELETE', 'PATCH']);

/**
 * Why a method is never sent, when HTTP does not define what it does (an
 * OpenAPI 3.2 additional operation such as LINK or PURGE): neither its safety
 * nor what it would change is known, so no run, read-only or not, sends it.
 */
export function undefinedMethodReason(method: string): string | undefined {
  if (DEFINED_METHODS.has(method)) return undefined;
  return `${method} is not a method HTTP defines (an OpenAPI 3.2 additional operation): what it changes is unknown, so it is never sent`;
}

export type StepRole = 'read' | 'update' | 'read-updated' | 'action' | 'delete' | 'read-deleted';

export type LifecycleEntry = { kind: 'step'; operation: OperationSpec; role: StepRole } | { kind: 'child'; lifecycle: Lifecycle };

export interface Lifecycle {
  /** The collection template the record is created in, e.g. `/features`. */
  collectionPath: string;
  create: OperationSpec;
  /** The created record's template, e.g. `/features/{featureName}`. */
  itemPath: string;
  /** The path parameter the created record's id fills. */
  idParam: string;
  /** Runtime expressions the create operation's links give for the id, best first. */
  idExpressions: string[];
  /** What follows the create, in order. */
  entries: LifecycleEntry[];
  /** The operation that removes the record: the delete step, and the clean-up at the end of the run. */
  remove: OperationSpec;
  /** The record's GET, selected or not: it confirms an id the run chose before anything is written to it. */
  read?: OperationSpec;
  /** False where the record's path parameter is typed as a number (`{comment_number}`: integer), so text never names the record. */
  idTakesText?: false;
}

export interface WritePlan {
  lifecycles: Lifecycle[];
  /** Writes outside every lifecycle that an include filter named: sent, last, one at a time. */
  namedWrites: OperationSpec[];
  /** Writes that are not sent, and why. */
  notSent: Array<{ operation: OperationSpec; reason: string }>;
}

/**
 * @param all every operation of the profile (a clean-up DELETE is used even when the selection leaves it out)
 * @param selected the operations the run probes
 * @param named operationIds an include filter named
 *
 * @example
 *   planWrites(profile.operations, profile.operations, new Set(), profile.document).lifecycles[0].create.operationId; // 'createFeature'
 */
export function planWrites(all: readonly OperationSpec[], selected: readonly OperationSpec[], named: ReadonlySet<string>, document: unknown): WritePlan {
  const isSelected = new Set(selected.map((o) => o.operationId));
  // Indexes, so a profile of 20,000 operations plans in linear time.
  const byPath = new Map<string, OperationSpec[]>();
  const byParent = new Map<string, OperationSpec[]>();
  for (const operation of all) {
    push(byPath, operation.path, operation);
    // `/things/{id}` and, as Django REST framework writes it, `/things/{id}/`.
    const parent = /^(.*)\/\{[^{}/]+\}\/?$/.exec(operation.path)?.[1];
    if (parent !== undefined) push(byParent, parent, operation);
  }
  const index = { all, byPath, byParent };
  const lifecycles: Lifecycle[] = [];
  for (const create of selected) {
    if (create.method !== 'POST' || create.path.endsWith('}')) continue;
    const item = itemFor(create, index, document);
    if (!item) continue;
    const remove = (byPath.get(item.itemPath) ?? []).find((o) => o.method === 'DELETE');
    if (!remove) continue;
    const read = (byPath.get(item.itemPath) ?? []).find((o) => o.method === 'GET' && !changesState(o));
    const numbered = [remove, read].some((operation) => operation !== undefined && pathParameterIsNumber(operation, item.idParam, document));
    lifecycles.push({ collectionPath: create.path, create, itemPath: item.itemPath, idParam: item.idParam, idExpressions: item.expressions, entries: [], remove, ...(read ? { read } : {}), ...(numbered ? { idTakesText: false as const } : {}) });
  }
  // Each operation under a created record's path belongs to the deepest such record.
  const byItemPath = new Map(lifecycles.map((l) => [collectionKey(l.itemPath), l]));
  const owner = (path: string) => {
    for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
      const found = byItemPath.get(collectionKey(path.slice(0, end)));
      if (found) return found;
    }
    return undefined;
  };
  const creates = new Set(lifecycles.map((l) => l.create));
  const members = new Map<Lifecycle, OperationSpec[]>(lifecycles.map((l) => [l, []]));
  const children = new Map<Lifecycle, Lifecycle[]>(lifecycles.map((l) => [l, []]));
  const roots: Lifecycle[] = [];
  for (const lifecycle of lifecycles) {
    const parent = owner(lifecycle.collectionPath);
    if (parent && parent !== lifecycle) children.get(parent)!.push(lifecycle);
    else roots.push(lifecycle);
  }
  const namedWrites: OperationSpec[] = [];
  const notSent: WritePlan['notSent'] = [];
  for (const operation of selected) {
    if (creates.has(operation)) continue;
    const undefinedMethod = undefinedMethodReason(operation.method);
    if (undefinedMethod !== undefined) {
      notSent.push({ operation, reason: undefinedMethod });
      continue;
    }
    const lifecycle = owner(operation.path);
    if (lifecycle) {
      members.get(lifecycle)!.push(operation);
      continue;
    }
    if (!changesState(operation)) continue;
    if (named.has(operation.operationId)) namedWrites.push(operation);
    else notSent.push({ operation, reason: namedAsChange(operation) ?? `would change existing state: ${whyUnattached(operation, index)}; name it to send it (its operationId in --operations, or its method and path in --paths)` });
  }
  for (const lifecycle of lifecycles) {
    lifecycle.entries = entriesFor(lifecycle, members.get(lifecycle)!, children.get(lifecycle)!, isSelected);
  }
  return { lifecycles: roots, namedWrites, notSent };
}

/**
 * Every operation a lifecycle would send, its nested lifecycles' included:
 * create, steps, delete, each once.
 */
export function lifecycleOperations(lifecycle: Lifecycle): OperationSpec[] {
  const found = new Set<OperationSpec>([lifecycle.create]);
  for (const entry of lifecycle.entries) {
    if (entry.kind === 'step') found.add(entry.operation);
    else for (const operation of lifecycleOperations(entry.lifecycle)) found.add(operation);
  }
  found.add(lifecycle.remove);
  return [...found];
}

/**
 * The lifecycle whose create is `operation`, nested ones included: what
 * record such a POST makes and which DELETE removes it. Undefined for a
 * POST the document gives no DELETE for.
 */
export function lifecycleCreating(plan: Pick<WritePlan, 'lifecycles'>, operation: OperationSpec): Lifecycle | undefined {
  const search = (lifecycles: readonly Lifecycle[]): Lifecycle | undefined => {
    for (const lifecycle of lifecycles) {
      if (lifecycle.create === operation) return lifecycle;
      const found = search(lifecycle.entries.flatMap((entry) => (entry.kind === 'child' ? [entry.lifecycle] : [])));
      if (found) return found;
    }
    return undefined;
  };
  return search(plan.lifecycles);
}

function entriesFor(lifecycle: Lifecycle, operations: OperationSpec[], children: Lifecycle[], isSelected: ReadonlySet<string>): LifecycleEntry[] {
  const atItem = operations.filter((o) => o.path === lifecycle.itemPath);
  const below = operations.filter((o) => o.path !== lifecycle.itemPath);
  // A GET named as a change (`GET /things/{id}/purge`) is an action on the record, never a read of it.
  const isRead = (o: OperationSpec) => o.method === 'GET' && !changesState(o);
  const read = atItem.find(isRead);
  const entries: LifecycleEntry[] = [];
  const step = (operation: OperationSpec | undefined, role: StepRole) => {
    if (operation && isSelected.has(operation.operationId)) entries.push({ kind: 'step', operation, role });
  };
  step(read, 'read');
  for (const operation of below) if (isRead(operation)) step(operation, 'read');
  for (const method of ['PUT', 'PATCH']) {
    const update = atItem.find((o) => o.method === method);
    if (update && isSelected.has(update.operationId)) {
      step(update, 'update');
      step(read, 'read-updated');
    }
  }
  // Actions: writes below the record, and reads named as a change at the record itself too (its
  // PUT, PATCH and DELETE are the steps above and below).
  const namedChanges = atItem.filter((o) => READ_METHODS.has(o.method) && changesState(o));
  for (const operation of [...namedChanges, ...below]) if (changesState(operation)) step(operation, 'action');
  for (const child of children) entries.push({ kind: 'child', lifecycle: child });
  // The delete step always runs (selected or not): what the run created, it removes.
  entries.push({ kind: 'step', operation: lifecycle.remove, role: 'delete' });
  step(read, 'read-deleted');
  return entries;
}

/**
 * A collection's path as its records' paths begin: `/incidents/` (Platformatic,
 * Django REST framework) holds `/incidents/{id}`, as `/incidents` does.
 */
function collectionKey(path: string): string {
  return path.replace(/\/+$/, '');
}

/** The created record's template and id parameter: from the create's links first, else `POST /things` -> `/things/{id}`. */
function itemFor(create: OperationSpec, index: OperationIndex, document: unknown): { itemPath: string; idParam: string; expressions: string[] } | undefined {
  const collection = collectionKey(create.path);
  const prefix = `${collection}/{`;
  const links = linksOf(create, index.all, document);
  for (const link of links) {
    if (!link.target.path.startsWith(prefix)) continue;
    const idParam = link.target.path.slice(prefix.length).split('}')[0]!;
    // The template the document has: with a trailing slash where it writes one.
    const bare = `${collection}/{${idParam}}`;
    const itemPath = index.byPath.has(bare) || !index.byPath.has(`${bare}/`) ? bare : `${bare}/`;
    const expressions = links
      .filter((l) => l.target.path.startsWith(itemPath) && typeof l.parameters[idParam] === 'string')
      .map((l) => l.parameters[idParam] as string)
      .filter((expression) => !readsRelatedId(expression, idParam, resourceName(create.path)));
    return { itemPath, idParam, expressions: [...new Set(expressions)] };
  }
  // Where records are read at `/roles/{id}` but deleted at `/roles/{role}` (Strapi), the one a DELETE is on:
  // without it the run could not remove what it created.
  const under = index.byParent.get(collection) ?? [];
  const item = under.find((o) => o.method === 'DELETE') ?? under[0];
  if (!item) return undefined;
  return { itemPath: item.path, idParam: /\{([^{}/]+)\}\/?$/.exec(item.path)![1]!, expressions: [] };
}

/**
 * Whether a link's expression reads something of the create's answer other
 * than the new record's own id. Platformatic links every foreign key of a
 * create's answer to the GET it points to, so a self-referencing table's
 * `$response.body#/parentId` leads to `/regions/{id}` as the new record's own
 * id would: the run took the parent for its record, updated and deleted it,
 * and the cascade took every region with it (found on Platformatic DB 2.61).
 * Read from the body, the record's own id is one member of the record (the
 * answer, or the record inside envelopes such as `data`, `result`, a list's
 * item, the resource's own name, JSON:API's `attributes`) under a key its own
 * id goes by (`id`, `uuid`, `slug`, `<resource>Id`) or the path parameter's
 * own name ends in (`number` for `{issue_number}`, `name` for `{name}`).
 * Anything under another member (`parent/id`, JSON:API's
 * `relationships/parent/data/id`) or another key (`parent`, `ownerId`) names
 * another record; the whole body is the document's word.
 *
 * @example
 *   readsRelatedId('$response.body#/parentId', 'id', 'region'); // true
 *   readsRelatedId('$response.body#/data/relationships/parent/data/id', 'id', 'region'); // true
 *   readsRelatedId('$response.body#/data/id', 'id', 'region'); // false
 *   readsRelatedId('$response.body#/number', 'issue_number', 'issue'); // false
 *   readsRelatedId('$response.body#/user/id', 'id', 'user'); // false
 */
function readsRelatedId(expression: string, idParam: string, resource: string): boolean {
  // `{$response.body#/parent}` is the same expression embedded in a template.
  const embedded = [...expression.matchAll(/\{(\$response\.body#[^}]*)\}/g)].map((m) => m[1]!);
  if (embedded.length > 0) return embedded.some((inner) => readsRelatedId(inner, idParam, resource));
  const pointer = /^\$response\.body#(\/.+)$/.exec(expression)?.[1];
  if (pointer === undefined) return false;
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return false;
  // The record's own members: under envelopes (`data`, `result`, `items/0`, the resource's own name, as
  // `user` in an answer to POST /users), and JSON:API's `attributes`.
  let at = 0;
  while (at < tokens.length - 1 && (RECORD_ENVELOPES.has(tokens[at]!) || /^\d+$/.test(tokens[at]!) || namesResource(tokens[at]!, resource))) at++;
  const own = tokens.slice(at);
  if (own.length !== 1) return true;
  const key = own[0]!;
  const keyLetters = letters(key);
  return !isOwnIdKey(key, idParam, resource) && !(keyLetters !== '' && letters(idParam).endsWith(keyLetters));
}

/** Whether an operation's path parameter `name` is typed as a number (inline or through a `$ref`). */
function pathParameterIsNumber(operation: OperationSpec, name: string, document: unknown): boolean {
  return schemaIsNumber(operation.parameters.find((p) => p.in === 'path' && p.name === name)?.schema, document, new Set());
}

/** A schema typed as a number, directly, through `$ref`s, or in a member of its `allOf` (`allOf: [{$ref}]`, OpenAPI 3.0's way to describe a reference). */
function schemaIsNumber(schema: unknown, document: unknown, seen: Set<unknown>): boolean {
  if (schema === undefined) return false;
  const followed = followLocalRef(document, schema, '');
  // Each schema once: a document's `allOf`s may refer to each other many times over, or in a cycle (review).
  if (!followed.ok || !isRecord(followed.value) || seen.has(followed.value)) return false;
  seen.add(followed.value);
  const { type, allOf } = followed.value;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    return types.every((t) => t === 'integer' || t === 'number');
  }
  return Array.isArray(allOf) && allOf.some((member) => schemaIsNumber(member, document, seen));
}

/** Members an answer wraps its record in: an envelope, a list, JSON:API's `attributes`; never `parent` or `relationships`. */
const RECORD_ENVELOPES: ReadonlySet<string> = new Set(['data', 'result', 'results', 'item', 'items', 'record', 'records', 'attributes', 'content', 'payload', 'body', 'value', 'resource', 'entity', 'object']);

interface OperationIndex {
  all: readonly OperationSpec[];
  byPath: Map<string, OperationSpec[]>;
  /** Operations on `parent/{param}`, by `parent`. */
  byParent: Map<string, OperationSpec[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface LinkTarget {
  target: OperationSpec;
  parameters: Record<string, unknown>;
}

/** The OpenAPI links of the create's success responses, with the operations they name. */
export function linksOf(create: OperationSpec, all: readonly OperationSpec[], document: unknown): LinkTarget[] {
  const found: LinkTarget[] = [];
  for (const response of create.responses) {
    if (!/^2/.test(response.key)) continue;
    const followed = followLocalRef(document, { $ref: `#${response.pointer}` }, '');
    const links = followed.ok && isRecord(followed.value) ? followed.value.links : undefined;
    if (!isRecord(links)) continue;
    for (const raw of Object.values(links)) {
      const link = followLocalRef(document, raw, '');
      if (!link.ok || !isRecord(link.value)) continue;
      const target = linkTarget(link.value, all);
      if (target) found.push({ target, parameters: isRecord(link.value.parameters) ? link.value.parameters : {} });
    }
  }
  return found;
}

function linkTarget(link: Record<string, unknown>, all: readonly OperationSpec[]): OperationSpec | undefined {
  if (typeof link.operationId === 'string') return all.find((o) => o.operationId === link.operationId);
  if (typeof link.operationRef === 'string' && link.operationRef.startsWith('#')) {
    const tokens = parsePointer(link.operationRef);
    if (!tokens) return undefined;
    const pointer = joinPointer('', ...tokens);
    return all.find((o) => o.pointer === pointer);
  }
  return undefined;
}

/**
 * Why a write belongs to no lifecycle, without naming the operation (the
 * result and the coverage line name it): operations skipped for one reason
 * are grouped under it, as 48 RPC-style POSTs of one API should be.
 */
function whyUnattached(operation: OperationSpec, index: OperationIndex): string {
  const hasParams = operation.path.includes('{');
  const here = index.byPath.get(operation.path) ?? [];
  // A collection: records live below it, or it is both listed and posted to.
  const isCollection =
    index.byParent.has(collectionKey(operation.path)) || (!operation.path.endsWith('}') && here.some((o) => o.method === 'POST') && here.some((o) => o.method === 'GET'));
  if (operation.method === 'POST' && !operation.path.endsWith('}') && isCollection) {
    // A DELETE under the collection that the lifecycle did not take: the create's links put the record elsewhere.
    const elsewhere = index.byParent.get(collectionKey(operation.path))?.find((o) => o.method === 'DELETE');
    if (elsewhere) return `it creates records the run could not remove afterwards (the document has DELETE ${elsewhere.path}, but the create's links name the record at a path with no DELETE)`;
    return 'it creates records the run could not remove afterwards (the document has no DELETE one segment under its path)';
  }
  if (isCollection && operation.method !== 'POST') return 'it acts on a whole collection';
  // `POST /upload`, `POST /auth/local`: an action, or a create nothing lets the run undo.
  if (!hasParams && operation.method === 'POST') return 'it is an action, or a create the run could not undo (no item path with a DELETE lies under it)';
  if (!hasParams) return 'it changes a resource the run did not create (a singleton, with no id in its path)';
  // NocoBase's `POST /{collectionName}:create`: a create under a parameter, not a change to a record
  // (`POST /things/{id}:cancel` and `/things/{id}/publish` do change one: third review).
  if (operation.method === 'POST' && pathActions(operation.path).some(namesCreate)) {
    return "it goes under a parameter that names what the run did not create (none of the run's own creates makes one it could use)";
  }
  return "it changes a record the run did not create (none of the run's own creates makes one it could use)";
}
