import { namedChange, queryActionChange } from './named-change.js';

/**
 * Why a same-origin next link is not followed, or undefined where it may be. Pages are
 * read with the run's credentials, in read-only runs too: a link to the same path (a
 * trailing slash aside: Django REST framework's `/items` -> `/items/?page=2`) is a page; one
 * to another path is followed as GitHub's are (`/repositories/42/issues?page=2`), unless
 * the segments it changes name an action (`/items:destroy?filterByTk=1`), which an RPC
 * server runs on GET, or its query does (`?method=SitesManager.deleteSite`).
 *
 * @example
 *   nextLinkRefusal(new URL('http://x/items'), new URL('http://x/items:destroy?filterByTk=1'));
 *   // 'it goes to /items:destroy, which is named as a change (its path\'s action is "destroy")'
 */
export function nextLinkRefusal(current: URL, next: URL): string | undefined {
  const action = queryActionChange(next.searchParams);
  if (action) return `its query parameter ${action[0]} is ${JSON.stringify(action[1].slice(0, 80))}, which names a change (${action[2]})`;
  // Only what the link changes is judged: the base path and the ids both pages share say nothing (`/sync/api/…`, `/post/1/…`).
  const segments = (url: URL) => url.pathname.replace(/\/+$/, '').split('/');
  const here = segments(current);
  const changed = segments(next).filter((segment, i) => segment !== here[i]);
  if (changed.length === 0) return undefined;
  let path = `/${changed.join('/')}`;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: judged as written.
  }
  const named = namedChange({ method: 'GET', path, operationId: '', syntheticId: true });
  return named === undefined ? undefined : `it goes to ${next.pathname}, which is ${named}`;
}
