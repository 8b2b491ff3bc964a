import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import { FORGED_AUTHORIZATION } from '../http/forged-token.js';
import { isSecretFieldName, isSensitiveHeader } from '../http/redactor.js';
import type { Finding } from '../results.js';
import { isRecord } from '../json-pointer.js';
import { withoutQueryPairs } from '../query-pairs.js';
import { apiKeyHeaderNames, apiKeyParameterNames } from '../plan/credentials.js';
import { error, fail, pass, skip, type ProbeCheck } from './check.js';

/** Headers that carry credentials, dropped for the "no credentials" request. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$|token|secret|session|auth/i;

/**
 * Whether a request carries credentials: as the planner marks it, else by its
 * headers (an `Authorization` header, or any header the redactor treats as a secret).
 *
 * @example
 *   requestCarriesCredentials({ method: 'GET', url, headers: { authorization: 'Bearer …' }, followRedirects: true }); // true
 */
export function requestCarriesCredentials(request: Pick<OutgoingRequest, 'headers' | 'carriesCredentials'>): boolean {
  return request.carriesCredentials ?? Object.keys(request.headers).some((name) => name.toLowerCase() === 'authorization' || isSensitiveHeader(name));
}

/**
 * NCSC API security guidance and OAuth 2.0 (RFC 6750 section 3.1): a
 * protected operation refuses a request without credentials and one with an
 * invalid token, with 401. Asked twice more, on the same URL.
 */
export const authRequired: ProbeCheck = {
  kind: 'probe',
  id: 'auth-required',
  scope: 'profile',
  title: 'Authentication enforced',
  description: 'An operation the profile marks as secured, with no empty security requirement making credentials optional, answers 401 with a WWW-Authenticate header to the same request sent without credentials, and to one sent with an invalid bearer token (a 5xx is no evidence either way).',
  async run({ operation, request, send, document }) {
    if (!operation.secured) return skip('the profile does not mark this operation as secured');
    // `security: [{}, {bearer: []}]`: an answer without credentials is allowed, so it shows nothing.
    if (operation.anonymousAllowed) return skip('credentials are optional for this operation (one of its security requirements is empty)');
    // The document's own apiKey headers too: a key named like no credential (`x-rapidapi-key`, `Ocp-Apim-Subscription-Key`) is still one.
    const keyHeaders = apiKeyHeaderNames(document);
    const anonymous = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !CREDENTIAL_HEADERS.test(name) && !isSensitiveHeader(name) && !keyHeaders.has(name.toLowerCase())));
    const url = withoutQueryCredentials(request.url, document);
    const without = await send({ ...request, url, headers: anonymous });
    const verdict = judge(without, 'without credentials');
    if (verdict.status !== 'pass') return verdict;
    const forged = await send({ ...request, url, headers: { ...anonymous, authorization: FORGED_AUTHORIZATION } });
    const second = judge(forged, 'with an invalid bearer token');
    if (second.status !== 'pass') return second;
    return { ...pass('answered 401 without credentials and with an invalid token'), evidence: forged.evidence };
  },
};

/** The URL without API keys in its query (the document's apiKey-in-query parameters, and secret-named ones). */
function withoutQueryCredentials(raw: string, document: unknown): string {
  const names = new Set(isRecord(document) ? apiKeyParameterNames(document) : []);
  return withoutQueryPairs(raw, (name) => names.has(name) || isSecretFieldName(name));
}

function judge(exchange: HttpExchange, how: string): Finding {
  if (!exchange.response) return { ...error(`not checked: ${exchange.transportError?.message ?? 'no response'}`), evidence: exchange.evidence };
  const status = exchange.response.status;
  const detail = { expected: `401 ${how}`, actual: String(status), evidence: exchange.evidence };
  if (status === 401) {
    // RFC 6750 section 3: a 401 says how to authenticate, so a client can recover.
    if (!exchange.response.headers['www-authenticate']) return fail(`answered 401 ${how} but without a WWW-Authenticate header`, { ...detail, expected: '401 with WWW-Authenticate: Bearer', actual: '401 without WWW-Authenticate' });
    return pass(`answered 401 ${how}`);
  }
  if (status >= 500) {
    // A failing server says nothing either way about whether it checks credentials.
    return { ...error(`answered ${status} ${how}: whether authentication is enforced could not be judged`), evidence: exchange.evidence };
  }
  if (status >= 200 && status < 300) return fail(`answered ${status} ${how}: the operation is not protected`, detail);
  return fail(`answered ${status} ${how}; expected 401`, detail);
}
