import type { LifecycleStep } from '../checks/check.js';
import { holdsNoRecord } from '../checks/no-record.js';
import type { HttpExchange } from '../http/exchange-types.js';
import { isRunMadeId, replannedPathValue, RUN_VALUE_PREFIX, type PlannedProbe, type PlanOptions } from '../plan/plan-probe.js';
import { evaluateExpression } from '../plan/runtime-expression.js';
import type { SampleValue } from '../plan/sample-value.js';
import { identifierFor, namesResource, otherIdentifierKeys, resourceName } from '../plan/value-harvest.js';
import { changesState, type Lifecycle, type LifecycleEntry } from '../plan/write-plan.js';
import { namedAsCreate } from '../plan/named-change.js';
import { ITEMS_IN_ALL, ITEMS_PER_LIST, type ListedRecords } from '../plan/listed-records.js';
import { parseJsonBody } from '../json-body.js';
import { isRecord, parsePointer } from '../json-pointer.js';
import type { HeldRecord, HeldRecords } from './held-records.js';
import type { OperationSpec } from '../profile/profile-types.js';

export type ReadyProbe = Extract<PlannedProbe, { kind: 'ready' }>;

/** What a lifecycle needs of the run: planning with bound ids, its one send path, and a way to record a step not sent. */
export interface LifecycleDriver {
  /**
   * Plan a step with the run's own ids bound. `scope` (`writeScope`): a step
   * that changes state takes its path parameters only from `bound` (or a --var
   * scoped to the operation; a root create's parent, any --var), never from the
   * harvest, an example or a generated value; without one it is a skip naming
   * the parameter.
   */
  plan(operation: OperationSpec, bound: Record<string, SampleValue>, scope?: PlanOptions): PlannedProbe;
  /** The run's tag: an id its creates made from it (runMadeIds), named back by an answer, is the run's own. Replay has none for a resent body. */
  runTag?: string;
  /**
   * Send through the run's one send path; undefined when the run stopped before sending.
   * `lifecycle` marks a read of a record the run created, so its lifecycle checks judge it.
   */
  send(probe: ReadyProbe, cleanup?: boolean, lifecycle?: LifecycleStep): Promise<{ exchange: HttpExchange; json(): unknown } | undefined>;
  /**
   * With --negative and --allow-writes: send bodies the document makes invalid
   * to `operation` (the create's collection, or an update of the run's own
   * record), each judged by its negative check; resolves to those answered 2xx
   * and those whose answer was lost or a 5xx (`mayHaveMadeUnnamed`): either may have made a record.
   * Absent otherwise.
   */
  negativeBodies?(operation: OperationSpec, valid: ReadyProbe): Promise<Array<{ request: ReadyProbe['request']; exchange: HttpExchange; json(): unknown }>>;
  /**
   * Whether the run judges the read after a delete (use-after-delete is one
   * of its checks): then it is sent even when the GET documents no 404/410.
   */
  judgesDeletion: boolean;
  skip(operation: OperationSpec, reason: string): void;
  /** Record a finding about a step (under the pseudo-check `probe`), e.g. an update the read-back does not show. */
  note(operation: OperationSpec, status: 'warn', message: string): void;
  /**
   * With --allow-writes: the list that showed, before the run wrote anything,
   * a record named `id`, or may have (see `ListedRecords`). A create naming
   * one is sent nothing but reads.
   */
  listedAt?: ListedRecords['listedAt'];
  /** The records the run's creates were given (`HeldRecords`): a create answered with one of them gets reads only. */
  heldRecords?: HeldRecords;
}

/** A record the run created, and whether it is gone again. */
export interface CreatedRecord {
  /** The record's URL, or the collection's when the supplier never said which record it created. */
  url: string;
  deleted: boolean;
  /** Why it is still there. */
  reason?: string;
  /** The request that removes it, for the clean-up at the end. */
  remove?: ReadyProbe;
  /** The clean-up DELETE that removed it (a 404 or 410 counts only when {@link CreatedRecord.seen}). */
  removedBy?: LifecycleStep['after'];
  /**
   * A read of the record's own URL answered 2xx: that URL named a record.
   * Only then does a 404 or 410 to its DELETE mean "gone"; to the first
   * request ever sent to a URL it more likely means the id or path is
   * wrong, and the record is still there under another URL.
   */
  seen?: boolean;
  /**
   * That read's body held a record (`holdsNoRecord` false): NocoBase answers `{"data": null}` with 200
   * to an id it does not have, so only then does the same empty answer after the DELETE show it gone.
   */
  heldRecord?: true;
  /** Its entry among the driver's `heldRecords`, released when it is removed. */
  held?: HeldRecord;
  /** Its DELETE answered as removing it, but the operation says it archives (`markRemoved`): kept by the supplier. */
  archived?: true;
  /**
   * Set when the id was chosen among several id fields of the create's answer
   * (`id` beside `documentId`): no update or DELETE goes to the record until a
   * read of it answered 2xx (`seen`). See `confirmChosenId`.
   */
  chosenAmong?: ChosenId;
}

/** An id the run (or replay) chose among the create's answer's id fields, and what can confirm it. */
interface ChosenId {
  /** The answer's other id fields, one of which the path may take instead. */
  others: string[];
  /** Where the run took the id from, and why it is the run's choice, for the reason a refuted one is left behind. */
  takenFrom: string;
  doubt: string;
  /** The record's GET with the id, when the document has one. */
  read?: ReadyProbe;
  /** That read as the lifecycle checks judge it (`resource-available`). */
  step: LifecycleStep;
  /** For the reason it is left behind. */
  answered: string;
  id: string;
  idParam: string;
  by: string;
  collectionUrl: string;
  /** Set once a read (or the lack of one) refuted the id: why, as the steps not sent say it. */
  refuted?: string;
}

/** Whether a DELETE's answer means the record is gone: a 2xx, or a 404/410 for a record its URL was seen to name. */
function removedByStatus(record: CreatedRecord, status: number | undefined): boolean {
  if (status === undefined) return false;
  if (status >= 200 && status < 300) return true;
  return (status === 404 || status === 410) && record.seen === true;
}

/**
 * A record whose DELETE was answered as removing it: deleted, or, where the
 * operation says it archives (Unleash's `archiveFeature`, "Archive a feature
 * flag", answered 202), kept by the supplier, archived, which the report
 * says rather than count it gone. Either way the run holds it no more.
 */
function markRemoved(record: CreatedRecord, remove: ReadyProbe, status: number, driver: Pick<LifecycleDriver, 'heldRecords'>): void {
  if (record.held) driver.heldRecords?.release(record.held);
  const archives = archiveWords(remove.operation);
  if (archives === undefined) {
    record.deleted = true;
    return;
  }
  record.deleted = false;
  record.archived = true;
  record.remove = undefined;
  record.reason = `${remove.request.method} ${remove.operation.path} (${archives}) answered ${status}: the document says it archives, so the supplier likely keeps the record, archived; remove it there if it must go`;
}

/**
 * How an operation says it archives rather than deletes, by the verb it
 * starts with (`archiveFeature`, "Archive a feature flag", "Move to trash";
 * not `deleteArchive`, which deletes an archive), or undefined.
 */
function archiveWords(operation: Pick<OperationSpec, 'operationId' | 'summary' | 'syntheticId'>): string | undefined {
  const named = operation.syntheticId ? undefined : operation.operationId;
  // The verb and then a word boundary: camelCase (`archiveFeature`), snake_case, or the end (`archived` is no verb).
  if (named !== undefined && /^(archive|softDelete|soft_delete|trash|moveToTrash|move_to_trash|recycle)(?![a-z])/.test(named.replace(/^[A-Z]/, (c) => c.toLowerCase()))) return named;
  const summary = operation.summary?.trim();
  if (summary !== undefined && /^(archives?|soft[- ]deletes?|trash(es)?|moves? (\S+ ){0,4}to (the )?(trash|archive|recycle bin))\b/i.test(summary)) {
    return `"${summary.length > 80 ? `${summary.slice(0, 80)}…` : summary}"`;
  }
  return undefined;
}

/**
 * A 4xx to a DELETE other than 408 (timeout) and 429 (rate limited): the
 * supplier's answer, not a failure to reach it, so the clean-up does not
 * send it again (NocoDB answered 400 for a record another create had been
 * given and the run had deleted; sent again, the DELETE removed the record
 * someone else made under the freed id).
 */
function definiteRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** Why a DELETE did not remove the record; `what` is "DELETE" or "clean-up DELETE". */
function notRemovedReason(what: string, status: number | undefined, transport: string | undefined): string {
  if (status === undefined) return `${what} got no response (${transport ?? 'not sent'})`;
  if (status === 404 || status === 410) return `${what} answered ${status}: the record may still be there under another URL`;
  return `${what} answered ${status}`;
}

/**
 * Where a lifecycle step's path values may come from. Every write: only the
 * run's own records (and a --var scoped to it), never a list, an example or a
 * generated value. A root create's parent (`/orgs/{orgId}/things`) is no
 * record of the run's either: adding a record under someone else's changes
 * it (Unleash: a dependency added under a flag a list showed made that flag
 * depend on another, and its answer named nothing to delete), so it comes
 * only from a --var, where the user names a parent they may add records to.
 * A read takes any value. The run and --dry-run both ask, so the dry run
 * shows the URLs the run sends.
 *
 * @example
 *   writeScope(lifecycle, lifecycle.create, {}); // { ownRecords: true, userParents: true }: a root create
 *   writeScope(lifecycle, putThing, bound); // { ownRecords: true }
 */
export function writeScope(lifecycle: Lifecycle, operation: OperationSpec, inherited: Record<string, SampleValue>): PlanOptions {
  if (operation === lifecycle.create) return Object.keys(inherited).length > 0 ? { ownRecords: true } : { ownRecords: true, userParents: true };
  return changesState(operation) ? { ownRecords: true } : {};
}

/**
 * Run one lifecycle, in order: create, then each entry with the created id
 * bound, the delete, and the read that should now answer 404/410. A step
 * that cannot go ahead (the create failed, no id came back) is recorded as
 * not sent, naming why; nothing ever reaches a record the run did not create.
 *
 * @example
 *   await runLifecycle(plan.lifecycles[0], driver, ledger);
 */
export async function runLifecycle(lifecycle: Lifecycle, driver: LifecycleDriver, ledger: CreatedRecord[], inherited: Record<string, SampleValue> = {}): Promise<void> {
  const label = `${lifecycle.create.method} ${lifecycle.create.path}`;
  const create = driver.plan(lifecycle.create, inherited, writeScope(lifecycle, lifecycle.create, inherited));
  if (create.kind !== 'ready') {
    const why = create.kind === 'skip' ? create.reason : `no value for {${create.waitingFor.join('}, {')}}`;
    driver.skip(lifecycle.create, why);
    return skipRest(lifecycle.entries, driver, `the create step ${label} was not sent (${why})`);
  }
  const sentAt = performance.now();
  const sent = await driver.send(create);
  if (!sent) return skipRest(lifecycle.entries, driver, `the run stopped before ${label}`);
  const status = sent.exchange.response?.status;
  if (mayHaveMadeUnnamed(sent.exchange)) {
    // The supplier may have made the record and only the answer was lost (a timeout, a reset), or failed after storing it: say so.
    ledger.push({ url: create.request.url, deleted: false, reason: unnamedRecordReason(lifecycle.create, sent.exchange, sent.exchange.transportError?.message, { by: 'the run' }) });
  }
  if (status === undefined || status < 200 || status > 299) {
    const what = status === undefined ? 'got no response' : `answered ${status}`;
    return skipRest(lifecycle.entries, driver, `the create step ${label} ${what}, so the run has no record of its own to use`);
  }
  const { record, created } = recordCreated(lifecycle, create, sent.exchange, sent.json(), driver, inherited, { by: 'the run', sentAt });
  ledger.push(record);
  if (!created) return skipRest(lifecycle.entries, driver, `${label} did not say which record it created`);
  const createdBy = { method: create.request.method, url: create.request.url, status };
  await runEntries(lifecycle, driver, ledger, created.bound, record, { createdBy, idSource: created.idSource, readsOnly: created.readsOnly, listed: created.listed, ownFields: created.ownFields });
  if (driver.negativeBodies) await invalidCreates(lifecycle, create, driver, ledger, inherited);
}

/**
 * Invalid bodies sent to the collection the run just created in. A create
 * that took one made a record nobody wanted: it joins the ledger, so the
 * clean-up at the end deletes it, or the report lists it as left behind.
 */
async function invalidCreates(lifecycle: Lifecycle, create: ReadyProbe, driver: LifecycleDriver, ledger: CreatedRecord[], inherited: Record<string, SampleValue>): Promise<void> {
  const sentAt = performance.now();
  for (const accepted of await driver.negativeBodies!(lifecycle.create, create)) {
    if (mayHaveMadeUnnamed(accepted.exchange)) {
      ledger.push({ url: create.request.url, deleted: false, reason: unnamedRecordReason(lifecycle.create, accepted.exchange, accepted.exchange.transportError?.message, { by: 'the run', answering: 'an invalid body' }) });
      continue;
    }
    const answered = { ...create, request: accepted.request };
    ledger.push(recordCreated(lifecycle, answered, accepted.exchange, accepted.json(), driver, inherited, { by: 'the run', answering: 'an invalid body', sentAt }).record);
  }
}

/**
 * Whether a create may have made a record that nobody can name: no answer came, though the
 * request may have reached the supplier (a timeout, a reset), or a 5xx came, which says
 * nothing of what was stored (Platformatic DB stores a row whose text key is missing, then
 * answers 500). A refused connection, a name that did not resolve or a failed TLS handshake
 * sent nothing.
 */
export function mayHaveMadeUnnamed(exchange: HttpExchange): boolean {
  const status = exchange.response?.status;
  if (status !== undefined) return status >= 500;
  return !NOTHING_SENT.has(exchange.transportError?.code ?? '');
}

const NOTHING_SENT: ReadonlySet<string> = new Set(['connection-refused', 'dns', 'tls']);

/** Who made a record and what it answered, for the reason it is left behind: "the run", "the replay"; "an invalid body". */
export interface CreatedBy {
  by: string;
  answering?: string;
  /** When the create was sent (`performance.now()`): an id freed before then may be its own (`HeldRecords.clash`). */
  sentAt?: number;
}

/**
 * Why a create whose answer was lost (`mayHaveMadeUnnamed`, no response) is left behind: it may
 * have made a record, and nothing names it. `why` is the transport error's
 * message, redacted by a caller that shows it at once.
 *
 * @example
 *   lostAnswerReason({ method: 'POST', path: '/things' }, 'no response within 10 s', { by: 'the run' });
 *   // 'POST /things got no answer (no response within 10 s): it may have created a record, which the run cannot name, so it could not delete it'
 */
function lostAnswerReason(create: Pick<OperationSpec, 'method' | 'path'>, why: string | undefined, who: CreatedBy): string {
  const to = who.answering ? ` to ${who.answering}` : '';
  return `${create.method} ${create.path} got no answer${to} (${why ?? 'no response'}): it may have created a record, which ${who.by} cannot name, so it could not delete it`;
}

/**
 * Why a create that may have made an unnamed record (`mayHaveMadeUnnamed`) is
 * left behind: a lost answer (`lostAnswerReason`, with `why` the transport
 * error's message), or a server error.
 *
 * @example
 *   unnamedRecordReason({ method: 'POST', path: '/tags' }, exchange, undefined, { by: 'the run' });
 *   // 'POST /tags answered 500: a server error says nothing of what was stored, so it may have created a record, which the run cannot name, so it could not delete it'
 */
export function unnamedRecordReason(create: Pick<OperationSpec, 'method' | 'path'>, exchange: HttpExchange, why: string | undefined, who: CreatedBy): string {
  const status = exchange.response?.status;
  if (status === undefined) return lostAnswerReason(create, why, who);
  const to = who.answering ? ` to ${who.answering}` : '';
  return `${create.method} ${create.path} answered ${status}${to}: a server error says nothing of what was stored, so it may have created a record, which ${who.by} cannot name, so it could not delete it`;
}

/**
 * A write sent outside every lifecycle because an include filter named it
 * (`WritePlan.namedWrites`): whatever it created, the run does not delete,
 * since it never planned to. A create (a POST, a read named as one such as
 * `GET /createGroup`, or any write answered 201) answered 2xx, or not at all
 * (which may have made one), is a record left behind, so the cleanup's count
 * and list say so; undefined for any other write or answer.
 *
 * @example
 *   namedCreateLeftBehind(createThing, 'http://…/things', exchange);
 *   // { url: 'http://…/things', deleted: false, reason: 'POST /things answered 201 (its Location: /things/9), but it was sent because …' }
 */
export function namedCreateLeftBehind(operation: Pick<OperationSpec, 'method' | 'path' | 'operationId' | 'syntheticId'>, url: string, exchange: HttpExchange): CreatedRecord | undefined {
  const status = exchange.response?.status;
  if (operation.method !== 'POST' && !namedAsCreate(operation) && status !== 201) return undefined;
  if (mayHaveMadeUnnamed(exchange)) return { url, deleted: false, reason: unnamedRecordReason(operation, exchange, exchange.transportError?.message, { by: 'the run' }) };
  if (status === undefined || status < 200 || status > 299) return undefined;
  const location = exchange.response!.headers.location;
  // The supplier's words, in a sentence for someone removing the record by hand: cut to a URL's length.
  const at = location === undefined ? '' : ` (its Location: ${location.length > 200 ? `${location.slice(0, 200)}…` : location})`;
  return { url, deleted: false, reason: `${operation.method} ${operation.path} answered ${status}${at}, but it was sent because --operations or --paths named it, outside the run's create-and-delete lifecycles, so the run did not delete what it may have created` };
}

/**
 * The create request as the id-finding reads it: what was sent, the path
 * values it was sent with, and (for a run's create) the concrete path it went to.
 */
export type SentCreate = Pick<ReadyProbe, 'request' | 'pathValues' | 'valueSources'> & Partial<Pick<ReadyProbe, 'concretePath' | 'pathSamples'>>;

/**
 * The record a create answered 2xx made, as the clean-up needs it: the
 * DELETE the write plan names for it (`lifecycle.remove`), planned with the
 * id the create gave, or why there is none, so it is listed as left behind.
 * `created` (absent when the supplier named no record) holds the values the
 * lifecycle's later steps are bound to, and `readsOnly` why nothing but
 * reads may go to it. One implementation for a run's lifecycles, their
 * invalid creates, and replay's creates sent again.
 */
export function recordCreated(
  lifecycle: Lifecycle,
  create: SentCreate,
  exchange: HttpExchange,
  responseBody: unknown,
  driver: Pick<LifecycleDriver, 'plan' | 'listedAt' | 'runTag' | 'heldRecords'>,
  inherited: Record<string, SampleValue>,
  who: CreatedBy,
): { record: CreatedRecord; created?: { bound: Record<string, SampleValue>; idSource: LifecycleStep['idSource']; readsOnly?: string; listed?: true; ownFields?: Map<string, string> } } {
  const { plan } = driver;
  const answered = `${lifecycle.create.method} ${lifecycle.create.path} answered ${exchange.response?.status}${who.answering ? ` to ${who.answering}` : ''}`;
  const { found, ignored } = createdId(lifecycle, create, exchange, responseBody, driver.runTag);
  if (found === undefined) {
    // A body that was there but not read (cut at --max-body, past --max-json-values, not JSON) may name it: say so.
    const unread = responseBody === undefined && (exchange.response?.body.length ?? 0) > 0;
    const why = ignored
      ? `no link reading its answer named the record's {${lifecycle.idParam}}, and ${ignored}`
      : unread
        ? `neither its links nor a Location header named the record's {${lifecycle.idParam}}, and its body was not read as JSON (${exchange.response?.truncated ? 'cut at the size limit' : 'not JSON, or past --max-json-values'})`
        : Array.isArray(responseBody)
          ? // An id inside a list may be any record's: only the one item that carries the values the run sent is read.
            `neither its links nor a Location header named the record's {${lifecycle.idParam}}, and its body is an array, in which no single item both carries the values the run sent and names an id`
          : `neither its links, a Location header nor its body (at its top level, or in its data) named the record's {${lifecycle.idParam}}`;
    return { record: { url: create.request.url, deleted: false, reason: `${answered}, but ${why}, so ${who.by} could not delete it` } };
  }
  const bound = boundAfterCreate(inherited, create, lifecycle.idParam, found.id);
  if (found.unconfirmed) {
    // The body is often the document's example ({"id": "1"}), and a link may read it back or be a
    // constant: a supplier that ignored it made its own record, and record 1 may be someone else's.
    // Reads with the id are harmless; a DELETE is never sent.
    const reason = `${answered}, but the supplier did not say which record it created (${found.unconfirmed.missing}); the {${lifecycle.idParam}} ${JSON.stringify(found.id)} ${found.unconfirmed.from} was not confirmed, so ${who.by} sent no DELETE to a record that may not be its own`;
    const readsOnly = `the supplier did not say which record it created, and ${found.unconfirmed.step} was not confirmed: nothing but reads goes to a record that may not be the run's`;
    return { record: { url: create.request.url, deleted: false, reason }, created: { bound, idSource: found.source, readsOnly } };
  }
  // A record a list showed before the run wrote anything was not made by this create, whatever its 201
  // says ("already exists", an upsert): it may be someone else's, so it is read, never changed or deleted.
  // So is one a list may have shown past the items the run keeps of it.
  const listedAt = create.concretePath === undefined ? undefined : driver.listedAt?.(create.concretePath, lifecycle.idParam, found.id, lifecycle.collectionPath.includes('{'));
  if (listedAt !== undefined) {
    const named = `the {${lifecycle.idParam}} ${JSON.stringify(found.id)} it named`;
    const listed =
      listedAt.keptInPart === 'items'
        ? `GET ${listedAt.path} listed more records before ${who.by} wrote anything than it keeps (${ITEMS_PER_LIST.toLocaleString('en-GB')} a list, ${ITEMS_IN_ALL.toLocaleString('en-GB')} in all), so ${named} may be one of those it did not keep, a record that was already there`
        : listedAt.keptInPart === 'body'
          ? `GET ${listedAt.path} answered before ${who.by} wrote anything with a list it could not read whole (past --max-body or --max-json-values, or cut short after its headers), so ${named} may be one it showed, a record that was already there`
          : `${named} was listed by GET ${listedAt.path} before ${who.by} wrote anything, so it may be a record that was already there`;
    const reason = `${answered}, but ${listed}: ${who.by} sent no DELETE to a record that may not be its own`;
    return { record: { url: create.request.url, deleted: false, reason }, created: { bound, idSource: found.source, readsOnly: `${listed}: nothing but reads goes to it`, listed: true } };
  }
  const remove = plan(lifecycle.remove, bound, { ownRecords: true });
  if (driver.heldRecords?.clash(lifecycle.collectionPath, found.id, who.sentAt ?? performance.now())) {
    const named = `the {${lifecycle.idParam}} ${JSON.stringify(found.id)} it named was given to another create of ${who.by}, still held or removed only after this one was sent`;
    const reason = `${answered}, but ${named} (as a supplier that answers creates sent together with one id does): ${who.by} sent no DELETE for it, and what this create made may be under another id (--concurrency 1 sends creates one at a time)`;
    return { record: { url: create.request.url, deleted: false, reason }, created: { bound, idSource: found.source, readsOnly: `${named}: nothing but reads goes to it` } };
  }
  const held = driver.heldRecords?.hold(lifecycle.collectionPath, found.id);
  const record: CreatedRecord =
    remove.kind === 'ready'
      ? { url: remove.request.url, deleted: false, remove }
      : { url: create.request.url, deleted: false, reason: `${answered}, but no DELETE could be planned for it: ${remove.kind === 'skip' ? remove.reason : `no value for {${remove.waitingFor.join('}, {')}}`}` };
  if (held) record.held = held;
  if (found.otherIdFields || found.byName !== undefined) {
    // The run's choice, not the supplier's word: confirmed by a read before any write (confirmChosenId),
    // whether or not a DELETE could be planned (an update or a nested create writes to it too).
    const read = lifecycle.read ? plan(lifecycle.read, bound) : undefined;
    const status = exchange.response!.status;
    const others = found.otherIdFields ?? [];
    record.chosenAmong = {
      others,
      takenFrom: found.byName !== undefined ? `from the answer's \`${found.byName}\`` : "from one of the answer's id fields",
      doubt: found.byName !== undefined ? "the answer gave no id, only the run's own value there, which may be no id at all" : `the path may take ${others.join(' or ')}`,
      ...(read?.kind === 'ready' ? { read } : {}),
      step: { role: 'read-created', after: { method: create.request.method, url: create.request.url, status }, idSource: found.source, ...(others.length > 0 ? { otherIdFields: others } : {}) },
      answered,
      id: found.id,
      idParam: lifecycle.idParam,
      by: who.by,
      collectionUrl: create.request.url,
    };
  }
  const ownFields = runValueFields(create.request.body, responseBody);
  return { record, created: { bound, idSource: found.source, ...(ownFields.size > 0 ? { ownFields } : {}) } };
}

/**
 * A response body as JSON, or undefined when it is none: parsed as every body is
 * (strict, within the run's --max-json-values), and never a body cut at the
 * size limit, whose ids could be cut too.
 */
export function jsonBody(exchange: HttpExchange, maxJsonValues: number): unknown {
  const response = exchange.response;
  if (!response || response.truncated) return undefined;
  const outcome = parseJsonBody(response.body, maxJsonValues);
  return outcome.ok ? outcome.value : undefined;
}

/**
 * The values a lifecycle's later steps are planned with once its create made a
 * record: the parent's, the create's own path values (`/orgs/{orgId}/things`),
 * then the new record's id. The run binds the id it was given; --dry-run a
 * placeholder.
 */
export function boundAfterCreate(inherited: Record<string, SampleValue>, create: Pick<SentCreate, 'pathValues' | 'pathSamples' | 'valueSources'>, idParam: string, id: string): Record<string, SampleValue> {
  const bound: Record<string, SampleValue> = { ...inherited };
  // A value that was no text (an array) is bound as it was, so the next step writes it as the create did.
  for (const name of Object.keys(create.pathValues)) bound[name] ??= { value: replannedPathValue(create, name), source: create.valueSources[`path:${name}`] ?? 'created' };
  bound[idParam] = { value: id, source: 'created' };
  return bound;
}

/** What the lifecycle's reads are judged against: the create as answered, and where the id came from. */
interface CreateOutcome {
  createdBy: LifecycleStep['after'];
  idSource: LifecycleStep['idSource'];
  /** Why nothing but reads goes to the record (its id was never confirmed, or a list showed it before the create). */
  readsOnly?: string | undefined;
  /** The id names a record a list showed before the create: its reads are not judged as the created record's. */
  listed?: true | undefined;
  /** Fields of the create's answer holding a value unique to the run (`runValueFields`): the record read back must not hold others. */
  ownFields?: Map<string, string> | undefined;
}

async function runEntries(lifecycle: Lifecycle, driver: LifecycleDriver, ledger: CreatedRecord[], bound: Record<string, SampleValue>, record: CreatedRecord, created: CreateOutcome): Promise<void> {
  const entries = lifecycle.entries;
  let lastUpdate: { probe: ReadyProbe; ok: boolean } | undefined;
  let deletedBy: LifecycleStep['after'] | undefined;
  let readBack = false;
  // Set when the read-back showed that an id the run took from the answer's body names no record.
  let refuted: string | undefined;
  /** Updates of the record that succeeded: the valid requests its invalid updates change. */
  const updates: ReadyProbe[] = [];
  for (const [index, entry] of entries.entries()) {
    const writes = entry.kind === 'child' || entry.role !== 'read';
    if (writes && !created.readsOnly && !refuted) {
      const confirmed = await confirmChosenId(record, (probe, step) => driver.send(probe, false, step));
      // A stop before the read refutes nothing: the clean-up, with its own deadline, asks again.
      if (confirmed === 'stopped') return skipRest(entries.slice(index), driver, 'the run stopped first');
      // An id chosen among the answer's id fields that no read confirmed: nothing but reads goes to it.
      if (confirmed === 'refuted') refuted = record.chosenAmong!.refuted!;
    }
    // An id the supplier never confirmed, one a list showed before the create, or one a read refuted:
    // the record may be someone else's, so only reads go to it.
    const notOurs = created.readsOnly ?? refuted;
    if (entry.kind === 'child') {
      if (notOurs) skipRest([entry], driver, notOurs);
      else await runLifecycle(entry.lifecycle, driver, ledger, bound);
      continue;
    }
    if (notOurs && entry.role !== 'read') {
      driver.skip(entry.operation, `not sent: ${notOurs}`);
      continue;
    }
    if (entry.role === 'read-deleted' && !record.deleted && !record.archived) {
      driver.skip(entry.operation, `the read after the delete is only sent once the delete succeeded`);
      continue;
    }
    if (entry.role === 'read-deleted' && !documentsGone(entry.operation) && !driver.judgesDeletion) {
      // Its 404 would be judged undocumented: a failure the run itself caused. (With
      // use-after-delete in the run, status-code calls that 404 a warning, not a failure.)
      driver.skip(entry.operation, `the read after the delete is not sent: ${entry.operation.method} ${entry.operation.path} documents no 404 or 410 to expect`);
      continue;
    }
    if (entry.role === 'delete' && driver.negativeBodies) {
      // Invalid updates of the run's own record, last, so no read above compares against them.
      for (const update of updates) await driver.negativeBodies(update.operation, update);
    }
    if (entry.role === 'delete' && !record.remove) {
      // The DELETE is only ever the one recordCreated planned for the record's confirmed id.
      driver.skip(entry.operation, `not sent: ${record.reason ?? 'no DELETE was planned for the record'}`);
      continue;
    }
    const probe = entry.role === 'delete' && record.remove ? record.remove : driver.plan(entry.operation, bound, writeScope(lifecycle, entry.operation, bound));
    if (probe.kind !== 'ready') {
      driver.skip(entry.operation, probe.kind === 'skip' ? probe.reason : `no value for {${probe.waitingFor.join('}, {')}}`);
      continue;
    }
    const firstReadBack = entry.role === 'read' && entry.operation.path === lifecycle.itemPath && !readBack;
    const sent = await driver.send(probe, false, lifecycleStep(entry, lifecycle, record, created, deletedBy, readBack));
    if (!sent) return skipRest(entries.slice(index + 1), driver, 'the run stopped first');
    if (entry.role === 'read' && entry.operation.path === lifecycle.itemPath) readBack = true;
    const status = sent.exchange.response?.status;
    if (entry.role === 'read' && entry.operation.path === lifecycle.itemPath && status !== undefined && status >= 200 && status < 300) {
      record.seen = true;
      if (!holdsNoRecord(sent.exchange.response!.body, sent.json())) record.heldRecord = true;
    }
    // The read-back of an id chosen among the answer's id fields is the read that confirms it, or not.
    if (firstReadBack && record.chosenAmong && !record.seen) refuted = refuteChosenId(record, readRefutes(record.chosenAmong, probe.request.url, status));
    // Whatever gave the id, a record read back holding other values where the create's answer held the run's is someone else's.
    const other = firstReadBack && record.seen && created.ownFields ? otherRecordRead(created.ownFields, sent.json()) : undefined;
    if (other !== undefined && !refuted) {
      refuted = notTheRunsRecord(record, created.createdBy.url, `${probe.request.method} ${probe.request.url} read back ${other}, where the create's answer held the run's own value`);
      driver.note(entry.operation, 'warn', refuted);
    }
    if (entry.role === 'delete') {
      if (status !== undefined && status >= 200 && status < 300) deletedBy = { method: probe.request.method, url: probe.request.url, status };
      if (removedByStatus(record, status)) {
        markRemoved(record, probe, status!, driver);
      } else {
        record.reason = notRemovedReason('DELETE', status, sent.exchange.transportError?.message ?? 'no response');
        // A refusal is the answer: sent again at the end, the DELETE may reach a record that took the id since.
        if (status !== undefined && definiteRefusal(status)) record.remove = undefined;
      }
    } else if (entry.role === 'read-deleted' && status !== undefined && status >= 200 && status < 300) {
      // A 2xx holding no record (NocoBase's `{"data": null}`) where the read before the DELETE held one: the record is gone,
      // and use-after-delete warns of the status. Where that read was as empty, the answer shows nothing (fourth review).
      const empty = holdsNoRecord(sent.exchange.response!.body, sent.json());
      if (empty && !record.heldRecord) {
        record.deleted = false;
        record.reason = `its DELETE answered ${deletedBy?.status ?? 'a 2xx'}, but no read showed the record before or after it (GET answered ${status} with none): whether it is gone cannot be told`;
        // Its DELETE was answered 2xx: sent again at the end, it may reach a record that took the id since.
        record.remove = undefined;
      } else if (!empty) {
        record.deleted = false;
        record.reason = `still readable after its DELETE (GET answered ${status})`;
      }
    } else if (entry.role === 'update') {
      lastUpdate = { probe, ok: status !== undefined && status >= 200 && status < 300 };
      if (lastUpdate.ok) updates.push(probe);
    } else if (entry.role === 'action' && status === 201) {
      // An action that answers 201 made something (Unleash's clone of a flag), which deleting the record may not remove.
      // The record's own URL is its DELETE's: without one, `record.url` may be the collection's, under which everything lies.
      const made = actionCreated(probe, sent.exchange, record.remove?.request.url);
      if (made) ledger.push(made);
    } else if (entry.role === 'read-updated' && lastUpdate?.ok && status !== undefined && status >= 200 && status < 300) {
      const differences = unchangedFields(lastUpdate.probe, sent.json());
      if (differences.length > 0) {
        const update = `${lastUpdate.probe.request.method} ${lastUpdate.probe.operation.path}`;
        driver.note(entry.operation, 'warn', `after ${update} answered success, reading the record back shows ${differences.join(', ')}`);
      }
    }
  }
}

/**
 * What an action on the run's record answered 201 made (a clone, a copy),
 * for the report to list: the run plans no DELETE for it, and deleting the
 * record may not remove it. None where its Location lies under the record
 * (`/orders/1/items/1`): a part of the record, which goes with it.
 */
function actionCreated(probe: ReadyProbe, exchange: HttpExchange, recordUrl: string | undefined): CreatedRecord | undefined {
  const location = exchange.response?.headers.location;
  if (location !== undefined && recordUrl !== undefined && underRecord(location, probe.request.url, recordUrl)) return undefined;
  const at = location === undefined ? '' : ` (its Location: ${location.length > 200 ? `${location.slice(0, 200)}…` : location})`;
  return {
    url: probe.request.url,
    deleted: false,
    reason: `${probe.request.method} ${probe.operation.path}, an action on the run's own record, answered 201 Created${at}: it may have made a record apart from the run's, which the run does not delete`,
  };
}

/** Whether `location`, resolved against the request, names something under the record's URL. */
function underRecord(location: string, requestUrl: string, recordUrl: string): boolean {
  try {
    const resolved = new URL(location, requestUrl);
    const record = new URL(recordUrl);
    return resolved.origin === record.origin && resolved.pathname.startsWith(`${record.pathname.replace(/\/+$/, '')}/`);
  } catch {
    return false;
  }
}

/**
 * Whether an update or DELETE may go to the record: always, unless its id was
 * chosen among several id fields of the create's answer (`chosenAmong`) and no
 * read has shown it yet. Then its GET is sent with the id, once: a 2xx shows the
 * id names it (`seen`); anything else, or no GET in the document, leaves it
 * behind saying why, and no DELETE is sent, whose 2xx would say nothing (Strapi
 * answers 204 to a DELETE of any id, and routes by `documentId`). One rule for a
 * run's lifecycles, their invalid creates, the clean-up at the end and replay.
 */
export async function confirmChosenId(record: CreatedRecord, send: (read: ReadyProbe, step: LifecycleStep) => Promise<{ exchange: HttpExchange } | undefined>): Promise<'confirmed' | 'refuted' | 'stopped'> {
  const chosen = record.chosenAmong;
  if (!chosen || record.seen) return 'confirmed';
  if (chosen.refuted) return 'refuted';
  if (!chosen.read) {
    refuteChosenId(record, `${chosen.by} took the {${chosen.idParam}} ${JSON.stringify(chosen.id)} ${chosen.takenFrom} (${chosen.doubt}) and no read of the record could confirm it`);
    return 'refuted';
  }
  const sent = await send(chosen.read, chosen.step);
  // Not sent (the run stopped first): nothing was learnt.
  if (!sent) return 'stopped';
  const status = sent.exchange.response?.status;
  if (status !== undefined && status >= 200 && status < 300) {
    record.seen = true;
    return 'confirmed';
  }
  refuteChosenId(record, readRefutes(chosen, chosen.read.request.url, status));
  return 'refuted';
}

/** Why a read of an id chosen among the answer's id fields refutes it: it answered `status`, or nothing. */
function readRefutes(chosen: ChosenId, readUrl: string, status: number | undefined): string {
  const answered = status === undefined ? 'got no answer' : `answered ${status}`;
  return `the read of the record (${readUrl}) ${answered}, so the {${chosen.idParam}} ${JSON.stringify(chosen.id)} ${chosen.by} took from the create's answer may not name the record it made (${chosen.doubt})`;
}

/**
 * The fields of a create's answer (its record: see `recordsOf`) whose values
 * are ones unique to the run that the create sent (`interop-probe-<tag>`): a
 * record read back under the id taken must hold the same there.
 */
function runValueFields(sentBody: string | undefined, answer: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (sentBody === undefined) return fields;
  let sent: unknown;
  try {
    sent = JSON.parse(sentBody);
  } catch {
    return fields;
  }
  const own = runValuesSent(sent);
  if (own.size === 0) return fields;
  // The first of the answer's possible records that holds the run's values is the record.
  for (const record of recordsOf(answer)) {
    for (const [key, value] of Object.entries(record)) if (typeof value === 'string' && own.has(value)) fields.set(key, value);
    if (fields.size > 0) return fields;
  }
  return fields;
}

/**
 * Where an answer may hold its record, best first: its `data` envelope's, its
 * `result` envelope's, the answer itself; each with JSON:API's `attributes`
 * among its fields.
 */
function recordsOf(answer: unknown): Array<Record<string, unknown>> {
  if (!isRecord(answer)) return [];
  return [answer.data, answer.result, answer].filter(isRecord).map((record) => (isRecord(record.attributes) ? { ...record.attributes, ...record } : record));
}

/**
 * How a record read back shows it is not the run's (`name: "World"` where the
 * create's answer held `name: "interop-probe-…"`), or undefined. A field the
 * read leaves out shows nothing (a read may give a summary of the record),
 * nor does one read back masked (`i***@example.org`), and any field read back
 * as the run wrote it shows the record is the run's.
 */
function otherRecordRead(ownFields: ReadonlyMap<string, string>, readBack: unknown): string | undefined {
  // The read-back's record: the first of its possible records that holds one of those fields.
  const record = recordsOf(readBack).find((candidate) => [...ownFields.keys()].some((key) => typeof candidate[key] === 'string'));
  if (record === undefined) return undefined;
  // Any field read back as the run wrote it shows the record is the run's (a read may mask an address the create echoed).
  if ([...ownFields].some(([key, value]) => record[key] === value)) return undefined;
  for (const [key, value] of ownFields) {
    const read = record[key];
    // An address read back masked (`i***@example.org`, as reads of addresses often are) shows nothing; another does.
    if (typeof read === 'string' && read !== value && !maskedAddress(value, read)) return `${JSON.stringify(key)}: ${JSON.stringify(read.length > 60 ? `${read.slice(0, 60)}…` : read)}`;
  }
  return undefined;
}

/** Whether `read` is the address `value` as a read masks it: its domain, and stars, bullets or an ellipsis before it. */
function maskedAddress(value: string, read: string): boolean {
  const at = value.lastIndexOf('@');
  return at > 0 && read.endsWith(value.slice(at)) && /[*•…]/.test(read.slice(0, read.length - (value.length - at)));
}

/** Take the record out of the run's hands: no update, nested create or DELETE goes to it; it is left behind, saying why. */
function notTheRunsRecord(record: CreatedRecord, collectionUrl: string, why: string): string {
  const reason = `${why}: the id taken names another record, so the run sent it no update or DELETE, and what its create made is left behind`;
  record.url = collectionUrl;
  record.reason = reason;
  delete record.remove;
  return reason;
}

/**
 * The id is refuted: no update, DELETE or nested create goes to it, and the
 * record is left behind under its collection's URL saying why (where a DELETE
 * had been planned; otherwise its reason already says why none was).
 * Returns the full reason, for the steps not sent.
 */
function refuteChosenId(record: CreatedRecord, why: string): string {
  const chosen = record.chosenAmong!;
  chosen.refuted = `${chosen.answered}, but ${why}; ${chosen.by} sent no update or DELETE to it`;
  if (record.remove) {
    record.url = chosen.collectionUrl;
    record.reason = chosen.refuted;
    delete record.remove;
  }
  return chosen.refuted;
}

/**
 * The lifecycle step a read is, when a lifecycle check judges it: the first
 * read of the record itself after its create, and the read after a DELETE
 * that answered 2xx (a 404 to the DELETE says nothing about reads).
 */
function lifecycleStep(entry: Extract<LifecycleEntry, { kind: 'step' }>, lifecycle: Lifecycle, record: CreatedRecord, created: CreateOutcome, deletedBy: LifecycleStep['after'] | undefined, readBack: boolean): LifecycleStep | undefined {
  // An id chosen among the answer's id fields: the step its confirming read is judged as, whichever read sends it.
  if (entry.role === 'read' && entry.operation.path === lifecycle.itemPath && !readBack) {
    // A record that was there before the create is no evidence that the create made one: a plain read.
    if (created.listed) return undefined;
    return record.chosenAmong?.step ?? { role: 'read-created', after: created.createdBy, idSource: created.idSource };
  }
  if (entry.role === 'read-deleted' && deletedBy) return { role: 'read-deleted', after: deletedBy, idSource: created.idSource, ...(record.heldRecord ? { heldRecordBefore: true as const } : {}) };
  return undefined;
}

function skipRest(entries: LifecycleEntry[], driver: LifecycleDriver, reason: string): void {
  for (const entry of entries) {
    if (entry.kind === 'child') {
      driver.skip(entry.lifecycle.create, reason);
      skipRest(entry.lifecycle.entries, driver, reason);
    } else driver.skip(entry.operation, reason);
  }
}

/**
 * Remove what lifecycles created and did not delete (a step failed, the run
 * stopped). A 2xx removes it; a 404 or 410 only when a read showed the
 * record at that URL before (`seen`): otherwise, and always for replay, it
 * is listed as left behind, since the record may be there under another URL.
 * Sent even after the run's time limit (`driver.send` gives each
 * its own deadline, {@link cleanUpSignal}): leaving records behind on a
 * vendor's sandbox is worse than a late finish.
 */
export async function cleanUp(ledger: CreatedRecord[], driver: Pick<LifecycleDriver, 'send' | 'heldRecords'>): Promise<void> {
  for (const record of ledger) {
    if (record.deleted || !record.remove || record.reason?.startsWith('still readable')) continue;
    const confirmed = await confirmChosenId(record, (read, step) => driver.send(read, true, step));
    if (confirmed === 'stopped') record.reason = 'the read that would confirm the id it was given could not be sent, so no DELETE was';
    if (confirmed !== 'confirmed') continue;
    const sent = await driver.send(record.remove!, true);
    const status = sent?.exchange.response?.status;
    if (removedByStatus(record, status)) {
      const remove = record.remove;
      markRemoved(record, remove, status!, driver);
      if (record.deleted) {
        record.removedBy = { method: remove.request.method, url: remove.request.url, status: status! };
        delete record.reason;
      }
    } else {
      record.reason = notRemovedReason('clean-up DELETE', status, sent?.exchange.transportError?.message);
    }
  }
}

/** A clean-up request's own deadline, apart from the run's (or replay's): twice one request's wait. */
export function cleanUpSignal(requestTimeoutMs: number): AbortSignal {
  return AbortSignal.timeout(requestTimeoutMs * 2);
}

/** An id the supplier never confirmed: only reads go to it. `step` says, for a skipped step, what gave it. */
interface Unconfirmed {
  /** Why the answer named no record, e.g. "no links, Location header or id in its answer". */
  missing: string;
  /** Where the id came from, after `the {thingId} "1"`: "sent in the request body". */
  from: string;
  /** The same for a step not sent: "the {thingId} sent in the create's body". */
  step: string;
}

interface FoundId {
  id: string;
  source: LifecycleStep['idSource'];
  /** For an id read from the answer's body: its other identifier-like fields (`documentId`), one of which the path may take. */
  otherIdFields?: string[];
  /** Set when the id did not come from the supplier's answer (its `source` is then `request-body`). */
  unconfirmed?: Unconfirmed;
  /** The answer's member named for the resource (`collection`) the id was read from: the run's guess, confirmed by a read before any write. */
  byName?: string;
}

/**
 * The id of the record a create made, and where it came from: a link reading
 * its answer, its Location (or Content-Location) header, its body, or
 * (unconfirmed, never a DELETE's target) what the run itself sent: a link
 * reading the request or giving a constant, or the body it was sent.
 * `ignored` says why a Location that was there named nothing.
 */
function createdId(lifecycle: Lifecycle, create: SentCreate, exchange: HttpExchange, responseBody: unknown, runTag: string | undefined): { found?: FoundId; ignored?: string } {
  let requestBody: unknown;
  try {
    requestBody = create.request.body === undefined ? undefined : JSON.parse(create.request.body);
  } catch {
    requestBody = undefined;
  }
  const outcome = answeredId(lifecycle, create, exchange, responseBody, requestBody);
  const found = outcome.found;
  if (found === undefined || found.unconfirmed !== undefined) return outcome;
  // An answer naming the very id the create sent says nothing of whose record it is: an upsert on a
  // document example's `id: 10`, or an echo of the body, names record 10, which may be someone else's.
  // Unless the run made that id for itself: then no one else's record has it.
  const sent = sentId(lifecycle, requestBody);
  if (sent === undefined || sent !== found.id || isRunMadeId(sent, runTag)) return outcome;
  const missing = `its answer names the {${lifecycle.idParam}} the create itself sent, as an upsert of an existing record or an echo of the request would`;
  return { ...outcome, found: { id: found.id, source: 'request-body', unconfirmed: { missing, from: 'sent in the request body and named back', step: `the {${lifecycle.idParam}} the create sent and its answer named back` } } };
}

/** The id the create's body (parsed) carried for the record, when it carried one. */
function sentId(lifecycle: Lifecycle, body: unknown): string | undefined {
  // A batch of one carries it in its one item.
  const record = Array.isArray(body) && body.length === 1 ? body[0] : body;
  return identifierFor(record, lifecycle.idParam, resourceName(lifecycle.collectionPath), true);
}

/** `createdId` before its check of an id the create sent itself. */
function answeredId(lifecycle: Lifecycle, create: SentCreate, exchange: HttpExchange, responseBody: unknown, requestBody: unknown): { found?: FoundId; ignored?: string } {
  const response = exchange.response!;
  const context = {
    url: create.request.url,
    method: create.request.method,
    statusCode: response.status,
    pathValues: create.pathValues,
    requestHeaders: create.request.headers,
    requestBody,
    responseHeaders: response.headers,
    responseBody,
  };
  const evaluate = (expression: string) => {
    const value = evaluateExpression(expression, context);
    return (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
  };
  let ignored: string | undefined;
  const notCreated = notACreateAnswer(lifecycle.create, exchange);
  if (notCreated !== undefined) {
    // Its links (declared for the 201, say), Location and body may name a job or a record that was
    // already there: nothing in it is taken as the run's own record.
    ignored = notCreated;
  } else {
    // Only a link that reads the answer is the supplier's word. `$request.body#/id`, `$request.path.x`
    // or a constant give back what the run sent or the document wrote, whatever record was made.
    for (const expression of lifecycle.idExpressions.filter(readsResponse)) {
      const id = evaluate(expression);
      if (id === undefined) continue;
      const doubt = doubtAboutLink(expression, id, lifecycle, responseBody, requestBody);
      if (doubt === undefined) return { found: { id, source: 'link' } };
      // `{id: 3, user: {id: 105}}`: an invitation naming its user, or a record naming its parent. Nothing in the
      // answer says which record the create made: reads only.
      const missing = `its link reads ${expression}, inside an object that does not hold the values the run sent, ${doubt}, so which record it made is not certain`;
      return { found: { id, source: 'request-body', unconfirmed: { missing, from: `its link reads (${expression})`, step: `the {${lifecycle.idParam}} its link reads (${expression}), which may name another record` } } };
    }
    const header = response.headers.location ?? response.headers['content-location'];
    const fromLocation = idFromLocation(lifecycle, create, response.status, header);
    if (fromLocation.id !== undefined) return { found: { id: fromLocation.id, source: 'location' } };
    ignored = fromLocation.ignored;
    const resource = resourceName(lifecycle.collectionPath);
    const enveloped = responseBody !== null && typeof responseBody === 'object' ? (responseBody as Record<string, unknown>).data : undefined;
    // A batch of one sent (the create takes only a list): a list of one in the answer is that record.
    const wrapped = onlyItemOfBatch(requestBody, enveloped) ?? enveloped;
    // Keys that name an id only (the parameter's own, `id`, `<resource>Id`, `uuid`, the key its name ends in):
    // an envelope's `code` (201) is no record's id, and a DELETE to it would reach someone else's.
    // The envelope's `data` first: its top level holds the envelope's own fields (`code: 201`), not the record's.
    const inWrapped = identifierFor(wrapped, lifecycle.idParam, resource, 'record-id');
    const top = onlyItemOfBatch(requestBody, responseBody) ?? responseBody;
    const inTop = identifierFor(top, lifecycle.idParam, resource, 'record-id');
    // The record under its resource's own name: n8n answers an invite to /users with `[{user: {id, email}, error: ""}]`.
    // Only one that carries a value unique to the run the create sent: `{status, member: {id: 3}}` may name
    // someone else's record (the inviter, the one it matched), and the clean-up would DELETE it.
    const named = inWrapped === undefined && inTop === undefined ? memberNamed(top, resource, requestBody) : undefined;
    const inNamed = named === undefined ? undefined : identifierFor(named, lifecycle.idParam, resource, 'record-id');
    const fromBody = inWrapped ?? inTop ?? inNamed;
    // The record's name under its resource's own name, when it is the run's own value: Directus answers POST /collections
    // with `{data: {collection: "interop-probe-…", meta, schema}}` and no other id, and routes by that name. The run's
    // reading, not the supplier's word (a comment's text is under `comment` too): an id the run sent, whose reads are
    // judged as such (a 404 is a warning); no one else's record has that value, so its DELETE can reach no other.
    const byName = fromBody === undefined && lifecycle.idTakesText !== false ? (runNamedAs(wrapped, resource, requestBody) ?? runNamedAs(top, resource, requestBody)) : undefined;
    if (byName !== undefined) return { found: { id: byName.value, source: 'request-body', byName: byName.key } };
    if (fromBody !== undefined) {
      const otherIdFields = otherIdentifierKeys(inWrapped !== undefined ? wrapped : inTop !== undefined ? top : named, fromBody, lifecycle.idParam, resource);
      return { found: { id: fromBody, source: 'response-body', ...(otherIdFields.length > 0 ? { otherIdFields } : {}) } };
    }
  }
  const noAnswer = ignored ? `no link reading its answer named it, and ${ignored}` : 'no links, Location header or id in its answer';
  // The report schema knows four id sources: every id the supplier did not confirm is `request-body`.
  for (const expression of lifecycle.idExpressions.filter((e) => !readsResponse(e))) {
    const id = evaluate(expression);
    if (id === undefined) continue;
    const constant = !expression.includes('$');
    const missing = `${constant ? 'its links give a constant' : 'its links read the request'}, not its answer; ${noAnswer.replace(/^no links, /, 'no ')}`;
    const unconfirmed: Unconfirmed = constant
      ? { missing, from: 'its links give as a constant', step: `the {${lifecycle.idParam}} the create's links give as a constant` }
      : { missing, from: `its links take from the request (${expression})`, step: `the {${lifecycle.idParam}} the create's links take from its request (${expression})` };
    return { found: { id, source: 'request-body', unconfirmed }, ignored };
  }
  const resource = resourceName(lifecycle.collectionPath);
  const fromRequest = identifierFor(requestBody, lifecycle.idParam, resource, true);
  if (fromRequest === undefined) return { ignored };
  return { found: { id: fromRequest, source: 'request-body', unconfirmed: { missing: noAnswer, from: 'sent in the request body', step: `the {${lifecycle.idParam}} sent in the create's body` } }, ignored };
}

/**
 * The one record of an answer to a create sent a list of one record (a batch
 * of one): the answer, or its `data`, as a list of exactly one object that
 * holds a value unique to the run the create sent (`interop-probe-<tag>`, in
 * a name or email field). Anything else gives undefined: a list answering a
 * create may be the collection as it was (one foreign record in it), or an
 * upsert's match, and only the run's own value shows the record is the one it sent.
 */
function onlyItemOfBatch(requestBody: unknown, answer: unknown): unknown {
  if (!Array.isArray(requestBody) || requestBody.length !== 1 || !Array.isArray(answer) || answer.length !== 1) return undefined;
  const [item] = answer;
  if (!isRecord(item)) return undefined;
  const sent = runValuesSent(requestBody[0]);
  return stringsIn(item).some((value) => sent.has(value)) ? item : undefined;
}

/**
 * The object an answer holds under the resource's own name (`user` for
 * `/users`), when it carries a value unique to the run that the create sent
 * (`interop-probe-<tag>`, in a name or email field): only that shows it is
 * the record the run made.
 */
function memberNamed(value: unknown, resource: string, requestBody: unknown): Record<string, unknown> | undefined {
  const key = isRecord(value) ? keyNamedFor(value, resource) : undefined;
  const member = key === undefined ? undefined : (value as Record<string, unknown>)[key];
  if (!isRecord(member)) return undefined;
  const sent = runValuesSent(requestBody);
  return stringsIn(member).some((text) => sent.has(text)) ? member : undefined;
}

/**
 * The value of a record's member named for its resource (`collection` in an
 * answer from /collections), only when it is a value unique to the run that
 * the create sent: then it names no record but the run's.
 */
function runNamedAs(value: unknown, resource: string, requestBody: unknown): { key: string; value: string } | undefined {
  const key = isRecord(value) ? keyNamedFor(value, resource) : undefined;
  const member = key === undefined ? undefined : (value as Record<string, unknown>)[key];
  return key !== undefined && typeof member === 'string' && runValuesSent(requestBody).has(member) ? { key, value: member } : undefined;
}

/** The values unique to the run (`interop-probe-<tag>`) a create's body sent. */
function runValuesSent(body: unknown): Set<string> {
  return new Set(stringsIn(body).filter((value) => value.startsWith(RUN_VALUE_PREFIX)));
}

/** The key of `record` named for the resource in any case and with any separators (`user` for `/users`), if any. */
function keyNamedFor(record: Record<string, unknown>, resource: string): string | undefined {
  return Object.keys(record).find((name) => namesResource(name, resource));
}

/** Every string in a JSON value, a few levels deep. */
function stringsIn(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (depth > 4 || value === null || typeof value !== 'object') return [];
  return Object.values(value as Record<string, unknown>).flatMap((member) => stringsIn(member, depth + 1));
}

/**
 * Why an answer to a create cannot name the record it made, or undefined when it can.
 * A 201 is the create's own answer. A 202 describes the request's status and points to a
 * status monitor (RFC 9110 15.3.3). A 200 is taken as the create's answer only when the
 * document gives the create 200 and not 201 (LoopBack answers creates with 200); where it
 * documents 201 (or 2XX), a 200 is something else, such as "already exists" naming a record
 * that was there before, which the run must never delete. An answer reached through a
 * redirect is the record the redirect led to, never a new one.
 */
function notACreateAnswer(create: Lifecycle['create'], exchange: HttpExchange): string | undefined {
  const status = exchange.response!.status;
  // RFC 9110 9.3.3: a POST whose record exists may be answered 303 to it; what the redirect led to is that record.
  if ((exchange.evidence.redirects?.length ?? 0) > 0) return `the answer came after a redirect (to ${exchange.evidence.request.url}), so it names a record that was there, not one the create made`;
  if (status === 201) return undefined;
  if (status === 202) return "a 202 (accepted, not yet done) describes the request's status, not the record: its links, Location and body may name a job or status monitor";
  const documented = new Set(create.responses.map((r) => r.key.toUpperCase()));
  // `2XX` covers 201 too: with it, a 200 may be the "already exists" answer.
  if (status === 200 && documented.has('200') && !documented.has('201') && !documented.has('2XX')) return undefined;
  return `a ${status} is taken as a create's answer only where the document gives the create 200 and neither 201 nor 2XX, so what it names may be a record that was already there`;
}

/**
 * Why a link into a nested object of the answer (`#/user/id`,
 * `#/result/object/id`) may name a record other than the one made, or
 * undefined when it names that one. It may name the record made (an
 * invitation's user) or one it refers to (a region's parent, embedded):
 * only the run's values in that object's own members settle it (fourth and
 * fifth reviews). Without them, an object under the resource's own name
 * (`region` in an answer to POST /regions) may be another of its kind, and
 * one beside an id of the answer's own is in doubt.
 */
function doubtAboutLink(expression: string, id: string, lifecycle: Lifecycle, answer: unknown, requestBody: unknown): string | undefined {
  const pointer = /\$response\.body#(\/[^}]*)/.exec(expression)?.[1];
  const tokens = pointer === undefined ? undefined : parsePointer(pointer);
  if (tokens === undefined || tokens.length < 2) return undefined;
  const around: Array<Record<string, unknown>> = [];
  let node: unknown = answer;
  for (const token of tokens.slice(0, -1)) {
    if (isRecord(node)) around.push(node);
    node = Array.isArray(node) ? node[Number(token)] : isRecord(node) ? node[token] : undefined;
  }
  if (!isRecord(node)) return undefined;
  const sent = runValuesSent(requestBody);
  // Its own members only: a parent that lists its children holds the run's record deeper down.
  if (Object.values(node).some((value) => typeof value === 'string' && sent.has(value))) return undefined;
  const resource = resourceName(lifecycle.collectionPath);
  const kind = tokens.slice(0, -1).find((token) => namesResource(token, resource));
  if (kind !== undefined) return `under \`${kind}\`, which may be another ${resource} the answer embeds (a parent, a child)`;
  for (const outer of around) {
    const own = identifierFor(outer, lifecycle.idParam, resource, 'record-id');
    if (own !== undefined && own !== id) return `beside the answer's own {${lifecycle.idParam}} ${JSON.stringify(own)}`;
  }
  return undefined;
}

/**
 * Whether a link's expression takes its value from the create's answer:
 * `$response.body#/id`, `$response.header.Location`, or a template whose
 * every embedded expression does (`T-{$response.body#/n}`).
 */
function readsResponse(expression: string): boolean {
  if (expression.startsWith('$')) return /^\$response\.(body|header)\b/.test(expression);
  const embedded = [...expression.matchAll(/\{(\$[^}]+)\}/g)].map((m) => m[1]!);
  return embedded.length > 0 && embedded.every((e) => /^\$response\.(body|header)\b/.test(e));
}

/**
 * `Location: /things/T-9` (absolute or relative) read against the item
 * template `/things/{thingId}`. Only a 201's: RFC 9110 has a 201's Location
 * name the record created, while a 200's or 202's may name anything (a
 * status monitor, an existing record). The record must sit right under the
 * collection the create was sent to, one segment and no more, or, relative to the API root, right
 * under the collection's own path: `/a/queue/things/7` or `/b/things/7`
 * (target `/a`) name something else.
 */
function idFromLocation(lifecycle: Lifecycle, create: SentCreate, status: number, location: string | undefined): { id?: string; ignored?: string } {
  if (!location) return {};
  if (status !== 201) return { ignored: `a ${status}'s Location header need not name the record it created (only a 201's does)` };
  const notARecord = { ignored: `its Location header (${location}) does not name a record of ${lifecycle.collectionPath}` };
  let url: URL;
  try {
    url = new URL(location, create.request.url);
  } catch {
    return notARecord;
  }
  const collectionUrl = new URL(create.request.url);
  if (url.origin !== collectionUrl.origin) return notARecord;
  // The segment right after the collection's own URL, wherever the API's base path is.
  const base = collectionUrl.pathname.replace(/\/$/, '');
  if (url.pathname.startsWith(`${base}/`)) {
    // One segment, the record itself: `/things/7/revisions/3` names a revision of 7, which may be old.
    const rest = url.pathname.slice(base.length + 1).replace(/\/$/, '');
    const id = rest.includes('/') ? undefined : decodeSegment(rest);
    return id === undefined ? notARecord : { id };
  }
  // Some suppliers answer with the path relative to the API root: then it is exactly the collection's
  // path (the sent URL's last segments, as many as the template has) and one segment more, nothing before.
  const depth = lifecycle.collectionPath.split('/').filter((s) => s !== '').length;
  const collection = base.split('/').filter((s) => s !== '').slice(-depth);
  if (depth === 0 || collection.length !== depth) return notARecord;
  const prefix = `/${collection.join('/')}/`;
  const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length).replace(/\/$/, '') : '';
  const id = rest.includes('/') ? undefined : decodeSegment(rest);
  return id === undefined ? notARecord : { id };
}

function decodeSegment(segment: string): string | undefined {
  if (segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Top-level scalar fields the update sent that the read-back shows with another value (absent fields are not judged: a representation may leave them out). */
function unchangedFields(update: ReadyProbe, readBack: unknown): string[] {
  let sent: unknown;
  try {
    sent = update.request.body === undefined ? undefined : JSON.parse(update.request.body);
  } catch {
    return [];
  }
  if (sent === null || typeof sent !== 'object' || Array.isArray(sent) || readBack === null || typeof readBack !== 'object' || Array.isArray(readBack)) return [];
  // The record itself, inside an envelope's `data` (Directus's `{"data": {...}}`) where the top level lacks the fields sent.
  // A top level with an `id` is the record, and its `data` a field of its own.
  const top = readBack as Record<string, unknown>;
  const envelope = top.data;
  const inEnvelope = envelope !== null && typeof envelope === 'object' && !Array.isArray(envelope) && !Object.hasOwn(top, 'id') && !Object.keys(sent).some((key) => Object.hasOwn(top, key));
  const read = (inEnvelope ? envelope : top) as Record<string, unknown>;
  const differences: string[] = [];
  for (const [key, value] of Object.entries(sent)) {
    if (value !== null && typeof value === 'object') continue;
    if (Object.hasOwn(read, key) && read[key] !== value) differences.push(`${key} ${JSON.stringify(read[key])} where the update sent ${JSON.stringify(value)}`);
  }
  return differences;
}

/** Whether an operation documents the answer for a record that is gone: 404, 410, 4XX or default. */
function documentsGone(operation: OperationSpec): boolean {
  return operation.responses.some((r) => r.key === '404' || r.key === '410' || r.key === '4XX' || r.key === 'default');
}
