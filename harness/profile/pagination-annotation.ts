/**
 * The `x-interop-pagination` annotation of a collection operation, and how to
 * find the next page from it: read by the pagination check and by the export
 * checks, which walk the same collections to compare them with an export.
 */
import { getAtPointer, isRecord } from '../json-pointer.js';

export interface PaginationAnnotation {
  /** `link-header` (RFC 8288 `Link: <…>; rel="next"`) or a JSON pointer to the next URL in the body. */
  next: string;
  /** JSON pointer to the item array. */
  items: string;
  limitParam?: string;
}

/**
 * The operation's annotation, or undefined when it is not marked as a paginated collection.
 *
 * @example readPaginationAnnotation({ 'x-interop-pagination': { items: '/data' } }) // { next: 'link-header', items: '/data' }
 */
export function readPaginationAnnotation(operation: unknown): PaginationAnnotation | undefined {
  const raw = isRecord(operation) ? operation['x-interop-pagination'] : undefined;
  if (!isRecord(raw)) return undefined;
  return {
    next: typeof raw.next === 'string' ? raw.next : 'link-header',
    items: typeof raw.items === 'string' ? raw.items : '/data',
    ...(typeof raw.limitParam === 'string' ? { limitParam: raw.limitParam } : {}),
  };
}

/**
 * The next page's URL, undefined at the end, null when the link is not a URL.
 *
 * @example nextPageUrl('<https://x.example/p?cursor=2>; rel="next"', undefined, 'link-header', base) // URL https://x.example/p?cursor=2
 */
export function nextPageUrl(linkHeader: string | undefined, body: unknown, next: string, base: URL): URL | undefined | null {
  let raw: unknown;
  if (next === 'link-header') {
    for (const match of (linkHeader ?? '').matchAll(/<([^>]*)>\s*((?:;[^,;]*)*)/g)) {
      if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2] ?? '')) raw = match[1];
    }
  } else {
    raw = getAtPointer(body, next);
  }
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return null;
  try {
    return new URL(raw, base);
  } catch {
    return null;
  }
}
