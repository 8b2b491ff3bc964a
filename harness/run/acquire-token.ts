import { HarnessError } from '../errors.js';
import { isRecord } from '../json-pointer.js';
import type { HttpLimits } from '../http/exchange-types.js';
import type { Redactor } from '../http/redactor.js';
import type { AllowedTargets } from '../http/target-allow-list.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Absolute token endpoint. */
  tokenUrl: string;
}

/**
 * The token endpoint a profile declares: the first OAuth 2.0 security scheme
 * with a client-credentials flow. A relative URL resolves against the target,
 * as OpenAPI resolves relative URLs against the server.
 *
 * @example
 *   declaredTokenUrl(doc, new URL('http://127.0.0.1:8080')) // 'http://127.0.0.1:8080/oauth/token'
 */
export function declaredTokenUrl(document: Record<string, unknown>, target: URL): string | undefined {
  const components = document.components;
  const schemes = isRecord(components) && isRecord(components.securitySchemes) ? components.securitySchemes : {};
  for (const scheme of Object.values(schemes)) {
    const flows = isRecord(scheme) && scheme.type === 'oauth2' && isRecord(scheme.flows) ? scheme.flows : undefined;
    const flow = flows && isRecord(flows.clientCredentials) ? flows.clientCredentials : undefined;
    if (flow && typeof flow.tokenUrl === 'string') {
      try {
        return new URL(flow.tokenUrl, target.href.endsWith('/') ? target.href : `${target.href}/`).href;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Fetch an access token with the OAuth 2.0 client-credentials grant (RFC 6749
 * section 4.4), client authenticated with HTTP Basic. The secret goes only to
 * the token endpoint, through a client confined to that endpoint's origin.
 * Failure is bad input (exit 2): without a token nothing protected can be judged.
 */
export async function acquireToken(credentials: ClientCredentials, limits: HttpLimits, redactor: Redactor, signal?: AbortSignal, allowedTargets?: AllowedTargets): Promise<string> {
  // Loaded when a token is fetched: a dry run never loads the HTTP client.
  const { createHttpClient } = await import('../http/http-client.js');
  const client = createHttpClient({ targetUrl: credentials.tokenUrl, limits, redactor, connections: 1, ...(allowedTargets ? { allowedTargets } : {}) });
  const basic = Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64');
  try {
    const exchange = await client.send(
      {
        method: 'POST',
        url: credentials.tokenUrl,
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: 'grant_type=client_credentials',
        followRedirects: false,
      },
      signal,
    );
    const where = `token request to ${credentials.tokenUrl}`;
    if (!exchange.response) throw new HarnessError('TOKEN_FAILED', `${where} failed: ${exchange.transportError?.message ?? 'no response'}`);
    const { status, body } = exchange.response;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const token = isRecord(parsed) && typeof parsed.access_token === 'string' ? parsed.access_token : undefined;
    if (status !== 200 || !token) {
      const reason = isRecord(parsed) && typeof parsed.error === 'string' ? `: ${parsed.error}` : '';
      throw new HarnessError('TOKEN_FAILED', redactor.text(`${where} answered ${status}${reason}; check --client-id and --client-secret-env`));
    }
    return token;
  } finally {
    await client.close();
  }
}
