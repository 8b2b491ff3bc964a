/**
 * The bearer token the harness forges to see that a supplier enforces its
 * credentials (the `auth-required` check, the negative phase's invalid-token
 * case, and their replay). No issuer signed it and it is published here, so it
 * is no secret: evidence shows it as sent, and its curl line repeats the request.
 */
export const FORGED_BEARER_TOKEN = 'interop-harness-invalid-token';

/** The Authorization value that carries it. */
export const FORGED_AUTHORIZATION = `Bearer ${FORGED_BEARER_TOKEN}`;

/**
 * The API key the negative phase forges for an apiKey scheme (a header, query
 * parameter or cookie the document names), for the same purpose: published,
 * so shown as sent wherever it sits.
 */
export const FORGED_API_KEY = 'interop-harness-invalid-key';
