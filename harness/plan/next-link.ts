import { namedChange } from './named-change.js';

/**
 * Why a same-origin next link is not followed, or undefined where it may be. Pages are
 * read with the run's credentials, in read-only runs too: a link to the same path (a
 * trailing slash aside: Django REST framework's `/items` -> `/items/?page=2`) is a page; one
 * to another path is followed as GitHub's are (`/repositories/42/issues?page=2`), unless
 * its names say it is an action (`/items:destroy?filterByTk=1`), which an RPC server runs on GET.
 *
 * @example
 *   nextLinkRefusal(new URL('http://x/items'), new URL('http://x/items:destroy?filterByTk=1'));
 *   // 'it goes to /items:destroy, which is named as a change (its path\'s action is "destroy")'
 */
export function nextLinkRefusal(current: URL, next: URL): string | undefined {
  const trimmed = (path: string) => path.replace(/\/+$/, '');
  if (trimmed(current.pathname) === trimmed(next.pathname)) return undefined;
  let path = next.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: judged as written.
  }
  const named = namedChange({ method: 'GET', path, operationId: '', syntheticId: true });
  return named === undefined ? undefined : `it goes to ${next.pathname}, which is ${named}`;
}
