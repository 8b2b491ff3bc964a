/**
 * Which redirects the harness follows. Only same-origin ones, so the
 * credentials on a request can never be carried to another host, port or scheme.
 */

/** Statuses that mean "go to Location". 300 and 304 do not. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface RequestTarget {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type RedirectDecision =
  /** Not a redirect at all: read the response. */
  | { kind: 'none' }
  /** A redirect that is not followed (off origin, unusable Location, or following disabled): it is the final response. */
  | { kind: 'stop'; location: string }
  | { kind: 'follow'; location: string; next: RequestTarget };

/**
 * Decide what to do with a response, before its body is read.
 *
 * @example
 *   decideRedirect(302, 'https://other.example/', current, 'https://api.example', true);
 *   // { kind: 'stop', location: 'https://other.example/' }
 */
export function decideRedirect(
  status: number,
  locationHeader: string | undefined,
  current: RequestTarget,
  targetOrigin: string,
  followRedirects: boolean,
): RedirectDecision {
  if (!REDIRECT_STATUSES.has(status) || locationHeader === undefined || locationHeader.trim() === '') {
    return { kind: 'none' };
  }
  let resolved: URL;
  try {
    resolved = new URL(locationHeader.trim(), current.url);
  } catch {
    return { kind: 'stop', location: locationHeader };
  }
  resolved.hash = '';
  const location = resolved.href;
  if (!followRedirects || resolved.origin !== targetOrigin) return { kind: 'stop', location };
  return { kind: 'follow', location, next: redirectedRequest(status, current, location) };
}

/**
 * The request for the next hop. 301/302/303 turn a method with a body into a
 * body-less GET (what browsers do; a write is never repeated elsewhere on a
 * 301/302); 307/308 repeat it unchanged. HEAD stays HEAD: turning it into GET
 * would fetch a body nobody asked for. QUERY stays QUERY, with its body, on
 * 301/302 (RFC 9110 allows the change to GET for POST only; a QUERY without
 * its body would ask another question); 303 ("see other") makes it a GET.
 */
function redirectedRequest(status: number, current: RequestTarget, location: string): RequestTarget {
  const method = current.method.toUpperCase();
  const keepsMethod = method === 'GET' || method === 'HEAD' || (method === 'QUERY' && status !== 303);
  const becomesGet = (status === 301 || status === 302 || status === 303) && !keepsMethod;
  if (!becomesGet) return { ...current, url: location };
  const headers = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(current.headers)) {
    // Headers that describe the dropped body would now be lies.
    if (!/^content-(type|length|encoding|language|location)$/i.test(name)) headers[name] = value;
  }
  return { method: 'GET', url: location, headers };
}

/**
 * The URL as compared for loop detection (fragment dropped: it never reaches the server).
 *
 * @example
 *   normalizeForLoop('http://a.example/x#top'); // 'http://a.example/x'
 */
export function normalizeForLoop(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}
