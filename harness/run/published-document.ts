import type { PublishedDocument } from '../checks/check.js';
import { HarnessError } from '../errors.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import { isRecord } from '../json-pointer.js';
import { DEFAULT_MAX_BYTES, parseDocumentText } from '../profile/read-document.js';

/** Where suppliers commonly publish their OpenAPI document, tried when a profile names none. */
export const DEFAULT_DISCOVERY_PATHS = ['/openapi.json', '/.well-known/openapi.json', '/openapi.yaml', '/v3/api-docs', '/swagger.json'];

/** The discovery paths a profile declares in `x-interop.discovery.paths`, else the defaults. */
export function discoveryPaths(document: Record<string, unknown>): string[] {
  const xInterop = document['x-interop'];
  const discovery = isRecord(xInterop) ? xInterop.discovery : undefined;
  const paths = isRecord(discovery) && Array.isArray(discovery.paths) ? discovery.paths.filter((p): p is string => typeof p === 'string') : [];
  return paths.length > 0 ? paths : DEFAULT_DISCOVERY_PATHS;
}

/**
 * Fetch the supplier's own OpenAPI document: the first discovery path that
 * answers 200 with a JSON or YAML object carrying `openapi: 3.x`. It is parsed
 * with the profile's bounds (expanded size, duplicate keys, linear time): the
 * supplier's document is untrusted input.
 *
 * @example
 *   const published = await fetchPublishedDocument(send, target, headers, ['/openapi.json']);
 */
export async function fetchPublishedDocument(
  send: (request: OutgoingRequest) => Promise<HttpExchange>,
  target: URL,
  headers: Record<string, string>,
  paths: string[],
): Promise<PublishedDocument> {
  const tried: string[] = [];
  let last: { reason: string; evidence?: HttpExchange['evidence'] } = { reason: 'no discovery path' };
  for (const path of paths) {
    const url = target.href.replace(/\/$/, '') + (path.startsWith('/') ? path : `/${path}`);
    tried.push(path);
    const exchange = await send({ method: 'GET', url, headers: { ...headers, accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' }, followRedirects: true });
    if (!exchange.response) {
      last = { reason: `${path}: ${exchange.transportError?.message ?? 'no response'}`, evidence: exchange.evidence };
      continue;
    }
    if (exchange.response.status !== 200) {
      last = { reason: `${path} answered ${exchange.response.status}`, evidence: exchange.evidence };
      continue;
    }
    if (exchange.response.truncated) {
      // A cut document would fail to parse with a misleading line number.
      last = { reason: `${path} answered 200 but the document is larger than the body limit (${exchange.response.body.length} bytes read; raise --max-body)`, evidence: exchange.evidence };
      continue;
    }
    const parsed = parseDocument(exchange.response.body, url);
    if ('reason' in parsed) {
      last = { reason: `${path} answered 200 but ${parsed.reason}`, evidence: exchange.evidence };
      continue;
    }
    const document = parsed.document;
    if (typeof document.openapi !== 'string' || !/^3\.[012]\./.test(document.openapi)) {
      last = { reason: `${path} answered a document without openapi: 3.0.x, 3.1.x or 3.2.x`, evidence: exchange.evidence };
      continue;
    }
    return { found: true, url, document, evidence: exchange.evidence };
  }
  return { found: false, tried, ...last };
}

/** JSON when it looks like JSON, else YAML; the profile parser's bounds either way. */
function parseDocument(body: Buffer, url: string): { document: Record<string, unknown> } | { reason: string } {
  const text = body.toString('utf8');
  const format = /^\s*[{[]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'yaml';
  let value: unknown;
  try {
    value = parseDocumentText(text, url, format, { maxBytes: DEFAULT_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    // The message starts with the URL; the caller names the path.
    return { reason: `the document was refused: ${error.message.slice(url.length + 2)}` };
  }
  return isRecord(value) ? { document: value } : { reason: 'not with a JSON or YAML object' };
}
