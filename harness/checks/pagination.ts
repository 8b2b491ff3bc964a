import { getAtPointer, isRecord } from '../json-pointer.js';
import { nextPageUrl, readPaginationAnnotation } from '../profile/pagination-annotation.js';
import type { Evidence, Finding } from '../results.js';
import { error, fail, pass, skip, type ProbeCheck } from './check.js';
import { nextLinkRefusal } from '../plan/next-link.js';
import { parseJsonBody } from '../json-body.js';
import { createIdFingerprints } from '../export/id-fingerprints.js';

/** Page size asked for when the profile names the limit parameter, small so a walk crosses several pages. */
export const PAGE_SIZE = 5;

/**
 * RFC 8288 and GDS API standards: a collection is paginated with next links
 * that lead, page by page, to the end; no item appears twice; the page size
 * asked for is honoured. Reads the operation's `x-interop-pagination`.
 */
export const pagination: ProbeCheck = {
  kind: 'probe',
  id: 'pagination',
  scope: 'profile',
  title: 'Pagination',
  description: 'Following next links (Link header or a body pointer, per x-interop-pagination) from the first page reaches a last page within --max-pages pages, with no item id twice and no page larger than the limit asked for. A next link off the origin fails; one on it whose changed path segments or query name an action is not followed, and leaves the check unverified.',
  async run({ operation, method, response, request, document, maxPages, send }) {
    const annotation = readPaginationAnnotation(getAtPointer(document, operation.pointer));
    if (!annotation) return skip('the profile does not mark this operation as a paginated collection (x-interop-pagination)');
    if (method !== 'GET' || response.status !== 200) return skip('only a successful GET of the collection is walked');
    let url = new URL(request.url);
    if (annotation.limitParam) url.searchParams.set(annotation.limitParam, String(PAGE_SIZE));
    const origin = url.origin;
    // Pages and items are remembered as seeded 64-bit fingerprints (see id-fingerprints.ts):
    // a fixed size per item however large the supplier makes it, and no chosen collisions.
    const seen = createIdFingerprints();
    seen.add(url.href, 1);
    const ids = createIdFingerprints();
    let items = 0;
    let evidence: Evidence | undefined;
    const failing = (message: string, detail: Omit<Finding, 'status' | 'message' | 'evidence'> = {}): Finding => ({ ...fail(message, detail), ...(evidence ? { evidence } : {}) });

    // A next link that never ends must not hold the run: the walk is bounded.
    for (let page = 1; page <= maxPages; page++) {
      const exchange = await send({ ...request, url: url.href });
      evidence = exchange.evidence;
      if (!exchange.response) return { ...error(`not checked: page ${page}: ${exchange.transportError?.message ?? 'no response'}`), evidence };
      if (exchange.response.status !== 200) return failing(`page ${page} answered ${exchange.response.status}`, { expected: '200', actual: String(exchange.response.status) });
      const body = parseJsonBody(exchange.response.body);
      const list = body.ok ? getAtPointer(body.value, annotation.items) : undefined;
      if (!Array.isArray(list)) return failing(`page ${page} has no item array at ${annotation.items}`);
      if (annotation.limitParam && list.length > PAGE_SIZE) {
        return failing(`page ${page} has ${list.length} items although ${annotation.limitParam}=${PAGE_SIZE} was asked for`, { expected: `at most ${PAGE_SIZE} items`, actual: `${list.length} items` });
      }
      for (const item of list) {
        const id = isRecord(item) && (typeof item.id === 'string' || typeof item.id === 'number') ? String(item.id) : JSON.stringify(item);
        const first = ids.add(id, page);
        if (first !== undefined) return failing(`item ${id.slice(0, 80)} appears on page ${first} and again on page ${page}`, { expected: 'each item once', actual: `duplicate ${id.slice(0, 80)}` });
      }
      items += list.length;
      const next = nextPageUrl(exchange.response.headers['link'], body.ok ? body.value : undefined, annotation.next, url);
      if (next === undefined) return { ...pass(`walked ${page} page${page === 1 ? '' : 's'} to the end: ${items} items, none twice`), ...(evidence ? { evidence } : {}) };
      if (next === null) return failing(`the next link of page ${page} is not a URL`);
      if (next.origin !== origin) return failing(`the next link of page ${page} leaves the supplier's origin (${next.origin}); not followed`, { expected: `a next link on ${origin}`, actual: next.href });
      // A GET to a path named as an action (`/items:destroy?filterByTk=1`, third review) would act, with the run's credentials.
      const refused = nextLinkRefusal(url, next);
      if (refused !== undefined) return { ...error(`not verified: the next link of page ${page} was not followed: ${refused}`), ...(evidence ? { evidence } : {}) };
      const earlier = seen.add(next.href, page + 1);
      if (earlier !== undefined) return failing(`the next link of page ${page} leads back to page ${earlier}: the pages cycle`, { expected: 'a last page', actual: `a cycle after ${page} pages` });
      url = next;
    }
    return failing(`no last page after ${maxPages} pages (${items} items): the next links do not end (raise --max-pages for a larger collection)`, {
      expected: `a last page within ${maxPages} pages`,
      actual: `${maxPages} pages and still a next link`,
    });
  },
};
