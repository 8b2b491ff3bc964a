/**
 * Removing pairs from a URL's query without rewriting the rest. URLSearchParams
 * re-serialises every pair it keeps (a space becomes `+`, a lone JSON text gets
 * a stray `=`), so a request stripped of its API key through it asks another
 * question than the one it was stripped from.
 */

/**
 * The URL without the `name=value` pairs whose (decoded) name `drop` picks; the
 * others are kept byte for byte. The same string when nothing is dropped.
 *
 * @example
 *   withoutQueryPairs('http://h/s?%7B%22q%22%3A%22a%20b%22%7D&api_key=k', (name) => name === 'api_key');
 *   // 'http://h/s?%7B%22q%22%3A%22a%20b%22%7D'
 */
export function withoutQueryPairs(raw: string, drop: (name: string) => boolean): string {
  const url = new URL(raw);
  if (url.search === '') return raw;
  const pairs = url.search.slice(1).split('&');
  // A pair without `=` is no named value: an OpenAPI 3.2 query string written whole (JSON text), never a credential.
  const kept = pairs.filter((pair) => pair !== '' && !(pair.includes('=') && drop(pairName(pair))));
  if (kept.length === pairs.length) return raw;
  url.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  return url.href;
}

/** The decoded name of one `name=value` pair (form rules: `+` is a space); the raw text when it does not decode. */
function pairName(pair: string): string {
  const name = pair.slice(0, pair.indexOf('=')).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
