import { CREDENTIAL_OPTIONS } from '../plan/credentials.js';
import type { ReceivedResponse } from './check.js';

/**
 * What an undocumented status was doing, when the headers say: a redirect the
 * harness did not follow (it never follows one to another origin), a rate
 * limit it could not wait out, or a 401/403 to a request that carried no
 * credentials. Empty when there is nothing to add.
 *
 * @example
 *   statusHint({ status: 302, headers: { location: 'https://elsewhere.example/' }, … });
 *   // ' (a redirect to https://elsewhere.example/ was not followed)'
 *   statusHint({ status: 429, headers: { 'retry-after': '999999' }, … });
 *   // ' (rate limited, Retry-After: 999999; retried at most once, and only after a wait within --max-retry-wait)'
 *   statusHint({ status: 401, headers: {} }, { carriesCredentials: false });
 *   // ' (no credentials were sent: if the operation needs them, pass --token-env VAR, --api-key-env VAR, --client-id or --header)'
 *   statusHint({ status: 401, headers: {} }, { carriesCredentials: false, securityExempt: true });
 *   // ' (no credentials were sent: the document marks this operation `security: []`, …)'
 */
export function statusHint(response: Pick<ReceivedResponse, 'status' | 'headers'>, request: { carriesCredentials?: boolean; securityExempt?: boolean } = {}): string {
  const location = response.headers['location'];
  if (response.status >= 300 && response.status < 400 && location !== undefined && location.trim() !== '') {
    return ` (a redirect to ${location.trim()} was not followed)`;
  }
  if (response.status === 429) {
    const retryAfter = response.headers['retry-after'];
    return retryAfter === undefined
      ? ' (rate limited, with no Retry-After)'
      : ` (rate limited, Retry-After: ${retryAfter}; retried at most once, and only after a wait within --max-retry-wait)`;
  }
  if ((response.status === 401 || response.status === 403) && request.carriesCredentials === false) {
    // NocoBase marks `/auth:check` `security: []`: telling a user who passed --token-env to pass it would mislead.
    if (request.securityExempt === true) return ' (no credentials were sent: the document marks this operation `security: []`, so none the run was given went to it; if it needs them, its security should say so)';
    return ` (no credentials were sent: if the operation needs them, pass ${CREDENTIAL_OPTIONS})`;
  }
  return '';
}

/** Said of a refusal when the Authorization header carried a credential with no scheme (`authorizationWithoutScheme`). */
export const UNSCHEMED_AUTHORIZATION_HINT = 'the Authorization header carried it with no scheme: if the API expects "Bearer <token>" there, pass it with --token-env';

/**
 * Whether the Authorization header carried a credential with no scheme, as an
 * apiKey scheme `in: header, name: Authorization` puts it: Directus documents
 * its token so, but takes only `Bearer <token>` there.
 *
 * @example
 *   authorizationWithoutScheme({ authorization: 'abc123' }); // true
 *   authorizationWithoutScheme({ authorization: 'Bearer abc123' }); // false
 */
export function authorizationWithoutScheme(headers: Readonly<Record<string, string>> | undefined): boolean {
  const value = headers?.['authorization']?.trim();
  // A scheme with a credential after it, or a scheme's name alone (`Bearer`, sent empty): not a bare key.
  return !(value === undefined || value === '' || /^\S+\s+\S/.test(value) || /^(bearer|basic|digest|token|apikey|negotiate)$/i.test(value));
}
