/**
 * Walk a paginated collection to its end and collect the ids of its items, so
 * an export can be compared with what the API itself lists. The walk is not
 * bounded by `--max-pages` (a 1,000,000-record collection is 1,000 pages or
 * more): it ends at the last page, at a broken or repeated next link, when the
 * run's deadline aborts its requests, or past `MAX_LISTED_IDS` ids. Memory is
 * a fixed-size fingerprint per id and per page (see `listed-ids.ts`), never
 * the pages themselves.
 */
import { nextLinkRefusal } from '../plan/next-link.js';
import type { HttpExchange } from '../http/exchange-types.js';
import { getAtPointer, isRecord, joinPointer, localRefToPointer } from '../json-pointer.js';
import { parseJsonBody } from '../json-body.js';
import { nextPageUrl, readPaginationAnnotation } from '../profile/pagination-annotation.js';
import type { ExportTransport } from './export-transport.js';
import { createIdFingerprints } from './id-fingerprints.js';
import { createListedIds, type ListedIds } from './listed-ids.js';

export type CollectionWalk =
  | {
      ok: true;
      /** Item ids in the order listed (each once). */
      listed: ListedIds;
      /** False when the walk stopped with a next link still to follow; `stopped` says why. */
      complete: boolean;
      stopped?: string;
      pages: number;
      exchange: HttpExchange;
    }
  | { ok: false; message: string; exchange?: HttpExchange };

/** Page size asked for when the document states no maximum for the limit parameter. */
const DEFAULT_PAGE_SIZE = 100;

/** Listed ids held at most (about 40 bytes each): past this the walk stops, incomplete. */
export const MAX_LISTED_IDS = 5_000_000;

export interface WalkBounds {
  /** Pages read at most (default: no bound but the run's deadline). */
  maxPages?: number;
  /** Distinct ids held at most (default `MAX_LISTED_IDS`). */
  maxIds?: number;
}

/**
 * @example
 *   const walk = await walkCollection(transport, document, '/v1/persons');
 *   if (walk.ok && walk.complete) console.log(walk.listed.size);
 */
export async function walkCollection(transport: ExportTransport, document: Record<string, unknown>, path: string, bounds: WalkBounds = {}): Promise<CollectionWalk> {
  const maxPages = bounds.maxPages ?? Infinity;
  const maxIds = bounds.maxIds ?? MAX_LISTED_IDS;
  const operation = getAtPointer(document, joinPointer('/paths', path, 'get'));
  const annotation = readPaginationAnnotation(operation) ?? { next: 'link-header', items: '/data' };
  let url = new URL(transport.resolve(path));
  if (annotation.limitParam) url.searchParams.set(annotation.limitParam, String(largestPage(document, operation, annotation.limitParam)));
  const listed = createListedIds();
  const seenPages = createIdFingerprints();
  seenPages.add(url.href, 1);
  let exchange: HttpExchange | undefined;
  let page = 0;
  const incomplete = (stopped: string): CollectionWalk => ({ ok: true, listed, complete: false, stopped, pages: page, exchange: exchange! });
  while (page < maxPages) {
    page += 1;
    exchange = await transport.send({ method: 'GET', url: url.href, headers: { ...transport.headers, accept: 'application/json' }, followRedirects: true });
    const response = exchange.response;
    if (!response) return { ok: false, message: `listing ${path} page ${page} got no response: ${exchange.transportError?.message ?? 'no response'}`, exchange };
    if (response.status !== 200) return { ok: false, message: `listing ${path} page ${page} answered ${response.status}`, exchange };
    const body = parseJsonBody(response.body);
    const items = body.ok ? getAtPointer(body.value, annotation.items) : undefined;
    if (!Array.isArray(items)) return { ok: false, message: `listing ${path} page ${page} has no item array at ${annotation.items}`, exchange };
    for (const item of items) {
      const id = isRecord(item) ? item['id'] : undefined;
      if (typeof id === 'string' || typeof id === 'number') listed.add(String(id));
    }
    const next = nextPageUrl(response.headers['link'], body.ok ? body.value : undefined, annotation.next, url);
    if (next === undefined) return { ok: true, listed, complete: true, pages: page, exchange };
    // The pagination check judges broken next links; here they only end the walk, incomplete.
    if (next === null || next.origin !== transport.target.origin) return incomplete(`the next link of page ${page} is not a URL on the target`);
    const refused = nextLinkRefusal(url, next);
    if (refused !== undefined) return incomplete(`the next link of page ${page} was not followed: ${refused}`);
    if (seenPages.add(next.href, page + 1) !== undefined) return incomplete(`the next link of page ${page} leads back to an earlier page`);
    if (listed.size >= maxIds) return incomplete(`the walk stopped at ${maxIds.toLocaleString('en-GB')} ids, the most it holds`);
    url = next;
  }
  return incomplete(`the walk stopped after ${page} pages`);
}

/** The limit parameter's `maximum`, so a long collection takes as few pages as the supplier allows. */
function largestPage(document: Record<string, unknown>, operation: unknown, limitParam: string): number {
  const parameters = isRecord(operation) && Array.isArray(operation['parameters']) ? operation['parameters'] : [];
  for (const raw of parameters) {
    const parameter = deref(document, raw);
    if (!isRecord(parameter) || parameter['name'] !== limitParam) continue;
    const schema = deref(document, parameter['schema']);
    const maximum = isRecord(schema) ? schema['maximum'] : undefined;
    if (typeof maximum === 'number' && Number.isInteger(maximum) && maximum >= 1) return Math.min(maximum, 1000);
  }
  return DEFAULT_PAGE_SIZE;
}

function deref(document: Record<string, unknown>, value: unknown): unknown {
  for (let hops = 0; hops < 10 && isRecord(value) && typeof value['$ref'] === 'string'; hops++) {
    const pointer = localRefToPointer(value['$ref']);
    if (pointer === undefined) return undefined;
    value = getAtPointer(document, pointer);
  }
  return value;
}
