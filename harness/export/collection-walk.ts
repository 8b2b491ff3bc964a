/**
 * Walk a paginated collection to its end and collect the ids of its items, so
 * an export can be compared with what the API itself lists. Bounded by
 * `--max-pages`: a collection longer than that is reported as not walked to
 * its end, never followed forever.
 */
import type { HttpExchange } from '../http/exchange-types.js';
import { getAtPointer, isRecord, joinPointer, localRefToPointer } from '../json-pointer.js';
import { parseJsonBody } from '../checks/json-body.js';
import { nextPageUrl, readPaginationAnnotation } from '../profile/pagination-annotation.js';
import type { ExportTransport } from './export-transport.js';

export type CollectionWalk =
  | {
      ok: true;
      /** Item ids in the order listed. */
      ids: string[];
      /** False when the walk stopped at --max-pages with a next link still to follow. */
      complete: boolean;
      pages: number;
      exchange: HttpExchange;
    }
  | { ok: false; message: string; exchange?: HttpExchange };

/** Page size asked for when the document states no maximum for the limit parameter. */
const DEFAULT_PAGE_SIZE = 100;

/**
 * @example
 *   const walk = await walkCollection(transport, document, '/v1/persons');
 *   if (walk.ok && walk.complete) console.log(walk.ids.length);
 */
export async function walkCollection(transport: ExportTransport, document: Record<string, unknown>, path: string): Promise<CollectionWalk> {
  const operation = getAtPointer(document, joinPointer('/paths', path, 'get'));
  const annotation = readPaginationAnnotation(operation) ?? { next: 'link-header', items: '/data' };
  let url = new URL(transport.resolve(path));
  if (annotation.limitParam) url.searchParams.set(annotation.limitParam, String(largestPage(document, operation, annotation.limitParam)));
  const ids: string[] = [];
  const seenPages = new Set<string>([url.href]);
  let exchange: HttpExchange | undefined;
  for (let page = 1; page <= transport.limits.maxPages; page++) {
    exchange = await transport.send({ method: 'GET', url: url.href, headers: { ...transport.headers, accept: 'application/json' }, followRedirects: true });
    const response = exchange.response;
    if (!response) return { ok: false, message: `listing ${path} page ${page} got no response: ${exchange.transportError?.message ?? 'no response'}`, exchange };
    if (response.status !== 200) return { ok: false, message: `listing ${path} page ${page} answered ${response.status}`, exchange };
    const body = parseJsonBody(response.body);
    const items = body.ok ? getAtPointer(body.value, annotation.items) : undefined;
    if (!Array.isArray(items)) return { ok: false, message: `listing ${path} page ${page} has no item array at ${annotation.items}`, exchange };
    for (const item of items) {
      const id = isRecord(item) ? item['id'] : undefined;
      if (typeof id === 'string' || typeof id === 'number') ids.push(String(id));
    }
    const next = nextPageUrl(response.headers['link'], body.ok ? body.value : undefined, annotation.next, url);
    if (next === undefined) return { ok: true, ids, complete: true, pages: page, exchange };
    if (next === null || next.origin !== transport.target.origin || seenPages.has(next.href)) {
      // The pagination check judges broken next links; here they only end the walk, incomplete.
      return { ok: true, ids, complete: false, pages: page, exchange };
    }
    seenPages.add(next.href);
    url = next;
  }
  return { ok: true, ids, complete: false, pages: transport.limits.maxPages, exchange: exchange! };
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
