/**
 * Fetch a bearer token from a running reference supplier, for tests that
 * probe its protected `/v1/` operations directly, without the harness.
 */

/** What a token helper needs of a running supplier. */
export interface TokenSource {
  url: string;
  clientId: string;
  clientSecret: string;
}

/**
 * POST /oauth/token with the client credentials grant (HTTP Basic) and return
 * the access token. Throws on anything but a 200 Bearer token.
 *
 * @example
 *   const supplier = await startReferenceSupplier();
 *   const token = await referenceToken(supplier);
 *   await run({ profile: 'baseline', target: supplier.url, token });
 */
export async function referenceToken(supplier: TokenSource): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(supplier.clientId)}:${encodeURIComponent(supplier.clientSecret)}`).toString('base64');
  const response = await fetch(`${supplier.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: unknown; token_type?: unknown };
  if (response.status !== 200 || typeof body.access_token !== 'string' || body.token_type !== 'Bearer') {
    throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}
