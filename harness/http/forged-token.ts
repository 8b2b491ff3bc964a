/**
 * The bearer token the harness forges to see that a supplier enforces its
 * credentials (the `auth-required` check, the negative phase's invalid-token
 * case, and their replay). No issuer signed it and it is published here, so it
 * is no secret: evidence shows it as sent, and its curl line repeats the request.
 */
export const FORGED_BEARER_TOKEN = 'interop-harness-invalid-token';

/** The Authorization value that carries it. */
export const FORGED_AUTHORIZATION = `Bearer ${FORGED_BEARER_TOKEN}`;
