/**
 * URLs in the bodies the harness sends point nowhere. A document's example
 * for a webhook or callback (`"url": "http://localhost:4242/webhook"`) sent to
 * a real product makes the product call that URL: traffic the harness caused,
 * to a place nobody chose. Every absolute http(s) or ws(s) URL in a body is
 * moved to a host under `.invalid`, which RFC 6761 reserves never to resolve,
 * keeping its path so the body still reads as the document meant it.
 */

/** The host every URL in a sent body is moved to. */
export const UNREACHABLE_HOST = 'interop-probe.invalid';

/** Nesting followed at most: examples come from the profile, which is already bounded in size. */
const MAX_DEPTH = 64;

const ABSOLUTE_URL = /^(https?|wss?):\/\/[^\s/?#]+([^\s]*)$/i;

/**
 * The value with every absolute URL string moved to the unreachable host.
 *
 * @example
 *   withUnreachableUrls({ url: 'http://localhost:4242/webhook', name: 'x' });
 *   // { url: 'https://interop-probe.invalid/webhook', name: 'x' }
 */
export function withUnreachableUrls(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const match = ABSOLUTE_URL.exec(value);
    if (!match) return value;
    const scheme = match[1]!.toLowerCase().startsWith('ws') ? 'wss' : 'https';
    const rest = match[2] ?? '';
    return `${scheme}://${UNREACHABLE_HOST}${rest.startsWith('/') || rest === '' ? rest || '/' : `/${rest}`}`;
  }
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => withUnreachableUrls(item, depth + 1));
  // Own keys only, into a plain object: a key named __proto__ stays a key.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, { value: withUnreachableUrls((value as Record<string, unknown>)[key], depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
