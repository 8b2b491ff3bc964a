/**
 * What replay does about the records it creates. With --allow-writes a
 * recorded POST to a collection is sent again, and a 2xx answer means a new
 * record on the target (often a vendor's sandbox the user does not control).
 * It is removed as a run's lifecycle removes its own: the id from the
 * create's answer, the DELETE the write plan names for that lifecycle, sent
 * with fresh credentials and its own deadline. What cannot be removed is
 * said, with its URL and why, for someone to remove by hand.
 */
import { bodyReadInPart } from './check-exchange.js';
import { parseJsonBody } from '../json-body.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import type { HttpClient } from '../http/http-client.js';
import type { Redactor } from '../http/redactor.js';
import { planProbe, type PlanContext } from '../plan/plan-probe.js';
import type { SampleValue } from '../plan/sample-value.js';
import { createValueHarvest } from '../plan/value-harvest.js';
import { createListedRecords, type ListedRecords } from '../plan/listed-records.js';
import { namedAsChange } from '../plan/named-change.js';
import { lifecycleCreating, type WritePlan } from '../plan/write-plan.js';
import type { OperationSpec } from '../profile/profile-types.js';
import type { Report } from '../report/report-types.js';
import { cleanUp, cleanUpSignal, jsonBody, mayHaveMadeUnnamed, recordCreated, unnamedRecordReason, type CreatedRecord } from './lifecycles.js';

/** What became of the record a replayed create made. URLs are redacted: a query credential never shows. */
export type CreatedByReplay =
  | { outcome: 'removed'; url: string; removedBy: { method: string; url: string; status: number } }
  | { outcome: 'left-behind'; url: string; reason: string };

export interface ReplayCleanUp {
  /** The prepared run's write plan: which lifecycle a create belongs to, and its DELETE. */
  writePlan: WritePlan;
  /** The replay's plan context, with the fresh credentials the replayed requests carry. */
  planContext: PlanContext;
  /** The replay's client: its origin, bounds and limits. */
  client: HttpClient;
  requestTimeoutMs: number;
  /** --max-json-values: the bound on what a create or DELETE answered. */
  maxJsonValues: number;
  redactor: Redactor;
  /** Every operation of the profile: the collection's GET, which lists what is there before a create. */
  operations: readonly OperationSpec[];
}

/**
 * Before a create is sent again: what its collection lists now (the
 * document's GET at the POST's path, planned as a run plans it, with the
 * replay's fresh credentials, under the base the POST goes to), so an
 * answer naming one of those records (an upsert, an "already exists" sent as
 * 201) is never deleted, as in a run (listed-records.ts). Undefined when
 * the document has no such GET, it is named as a change, or it answered no list.
 */
export async function listBeforeReplayedCreate(operation: OperationSpec, request: OutgoingRequest, context: ReplayCleanUp, signal: AbortSignal): Promise<ListedRecords | undefined> {
  const list = request.method === 'POST' ? context.operations.find((o) => o.method === 'GET' && o.path === operation.path) : undefined;
  const base = sentBase(request.url, operation.path);
  if (!list || namedAsChange(list) !== undefined || base === undefined) return undefined;
  const planned = planProbe(list, { ...context.planContext, target: base }, createValueHarvest(), false);
  if (planned.kind !== 'ready') return undefined;
  const listing = await context.client.send(planned.request, signal);
  const status = listing.response?.status;
  // A 2xx, or no answer whole (its status unknown): what a run's lists count too.
  if (status !== undefined && (status < 200 || status >= 300)) return undefined;
  const listed = createListedRecords();
  const body = jsonBody(listing, context.maxJsonValues);
  if (body !== undefined) listed.record(operation.path, body);
  // A list not read whole (too large, or cut short after its headers) may show the record the create names: as in a run, it is not taken as new.
  else if (bodyReadInPart(listing, () => parseJsonBody(listing.response!.body, context.maxJsonValues))) listed.recordUnread(operation.path);
  else return undefined;
  return listed;
}

/**
 * Remove the record a replayed create made, if it made one (answered 2xx);
 * undefined otherwise. Sent whether or not the replay is stopping: the
 * DELETE has its own deadline, as a run's clean-up has.
 */
export async function removeReplayedCreate(operation: OperationSpec, request: OutgoingRequest, exchange: HttpExchange, context: ReplayCleanUp, listed?: ListedRecords): Promise<CreatedByReplay | undefined> {
  const status = exchange.response?.status;
  // Reads create nothing; the one write replay sends again is a POST to a collection (planReplay).
  if (request.method !== 'POST') return undefined;
  if (mayHaveMadeUnnamed(exchange)) {
    // Only the answer may have been lost (a timeout, a reset), or the supplier failed after storing it: the record may be there, and unnamed.
    const why = context.redactor.text(exchange.transportError?.message ?? 'no response');
    return { outcome: 'left-behind', url: context.redactor.text(request.url), reason: unnamedRecordReason(operation, exchange, why, { by: 'the replay' }) };
  }
  if (status === undefined || status < 200 || status > 299) return undefined;
  const lifecycle = lifecycleCreating(context.writePlan, operation);
  // Only untemplated collections are sent again (planReplay), so the create has no path values of its own.
  const create = { request, pathValues: {}, valueSources: {}, concretePath: operation.path };
  // The DELETE goes under the base the POST was sent to: `--target` keeps the recorded path, so the
  // replay target's own base path may name another API (or another tenant's) on the same origin.
  const base = sentBase(request.url, operation.path);
  let record: CreatedRecord;
  if (!lifecycle) {
    record = { url: request.url, deleted: false, reason: `${operation.method} ${operation.path} answered ${status}, and the document names no DELETE for what it creates, so the replay could not remove it` };
  } else if (base === undefined) {
    record = { url: request.url, deleted: false, reason: `${operation.method} ${operation.path} answered ${status}, but the URL it was sent to does not end with ${operation.path}, so the replay could not tell under which base path to send its DELETE` };
  } else {
    const planContext = { ...context.planContext, target: base };
    // Never an invented value (final: false): a DELETE to a made-up id could remove a record this replay did not create.
    const plan = (remove: OperationSpec, bound: Record<string, SampleValue>) => planProbe(remove, planContext, createValueHarvest(), false, bound);
    // An id chosen among the answer's id fields is read before its DELETE, in cleanUp (confirmChosenId).
    record = recordCreated(lifecycle, create, exchange, jsonBody(exchange, context.maxJsonValues), { plan, ...(listed ? { listedAt: listed.listedAt } : {}) }, {}, { by: 'the replay' }).record;
  }
  await cleanUp([record], {
    async send(probe) {
      const sent = await context.client.send(probe.request, cleanUpSignal(context.requestTimeoutMs));
      return { exchange: sent, json: () => jsonBody(sent, context.maxJsonValues) };
    },
  });
  const text = (value: string) => context.redactor.text(value);
  if (record.deleted && record.removedBy) return { outcome: 'removed', url: text(record.url), removedBy: { ...record.removedBy, url: text(record.removedBy.url) } };
  return { outcome: 'left-behind', url: text(record.url), reason: text(record.reason ?? 'not deleted') };
}

/**
 * The base URL a create was sent to: its URL with the operation's path taken
 * off the end (`http://h/a/things` for `/things` -> `http://h/a`), or
 * undefined when the path does not end that way.
 */
export function sentBase(url: string, operationPath: string): URL | undefined {
  let sent: URL;
  try {
    sent = new URL(url);
  } catch {
    return undefined;
  }
  const path = sent.pathname;
  // The sent URL's path is percent-encoded (`/m%C3%A4ngel`); the document's is as written (`/mängel`): compare like with like.
  let encoded: string;
  try {
    encoded = new URL(operationPath, 'http://x').pathname;
  } catch {
    return undefined;
  }
  if (operationPath === '' || !path.endsWith(encoded)) return undefined;
  return new URL(`${sent.origin}${path.slice(0, path.length - encoded.length)}`);
}

/**
 * The replay's records as a run's report states its own (`cleanup`): the
 * creates sent again, and the lifecycles run again (their run's clean-up).
 */
export function replayCleanupRecord(created: ReadonlyArray<CreatedByReplay | undefined>, rerun: Report | { error: string } | undefined): NonNullable<Report['cleanup']> {
  const own = created.filter((c): c is CreatedByReplay => c !== undefined);
  const rerunCleanup = rerun && 'cleanup' in rerun ? rerun.cleanup : undefined;
  return {
    created: own.length + (rerunCleanup?.created ?? 0),
    deleted: [...own.flatMap((c) => (c.outcome === 'removed' ? [c.url] : [])), ...(rerunCleanup?.deleted ?? [])],
    leftBehind: [...own.flatMap((c) => (c.outcome === 'left-behind' ? [{ url: c.url, reason: c.reason }] : [])), ...(rerunCleanup?.leftBehind ?? [])],
  };
}
