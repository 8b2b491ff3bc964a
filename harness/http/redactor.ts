/**
 * Keeps secrets out of everything the harness writes: evidence, curl lines,
 * reports. Suppliers echo what they receive (tokens in error bodies, cookies in
 * headers), so redaction works on values, not only on where a value is expected.
 */
import { setOwnValue } from '../json-pointer.js';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are ignored by `text()`: replacing `abc` everywhere would shred the evidence. */
const MIN_SECRET_LENGTH = 4;

/** Header names that always carry credentials, whatever their value. */
const SENSITIVE_HEADER_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Fragments that make any header name sensitive (`x-auth-token`, `api-key`, `x-session-id`...). */
const SENSITIVE_NAME_FRAGMENTS = ['token', 'secret', 'key', 'session', 'password', 'auth'];

/**
 * Authentication *challenges* name a scheme and realm, never a credential, and a
 * 401 without one is itself a finding: keep them readable in evidence.
 */
const CHALLENGE_HEADER_NAMES = new Set(['www-authenticate', 'proxy-authenticate']);

/** Headers whose value is `<scheme> <credentials>`: the scheme stays, the credentials go. */
const SCHEMED_HEADER_NAMES = new Set(['authorization', 'proxy-authorization']);

export interface Redactor {
  /** Every known secret, and its base64, URL-encoded and JSON-escaped forms, replaced by `[redacted]`. */
  text(s: string): string;
  /** Values of sensitive header names redacted outright; other values through `text()`. Names are kept as given. */
  headers(h: Record<string, string>): Record<string, string>;
  /** A redacted deep copy of a JSON-like value (strings and object keys through `text()`). */
  deep<T>(value: T): T;
  /**
   * The first `maxBytes` bytes decoded as UTF-8 (with replacement), redacted. A
   * secret that straddles the cut is redacted too, so no prefix of it survives.
   */
  excerpt(bytes: Uint8Array, maxBytes: number): string;
  /** A redactor that also knows `extra` (e.g. credentials found in one request's headers). */
  withSecrets(extra: readonly string[]): Redactor;
}

/**
 * Build a redactor for a run's secrets (token, API keys, client secrets).
 *
 * @example
 *   const redactor = createRedactor([process.env.TOKEN ?? '']);
 *   redactor.text('{"echo":"s3cr3t-token"}'); // '{"echo":"[redacted]"}'
 *   redactor.headers({ Authorization: 'Bearer s3cr3t-token' }); // { Authorization: 'Bearer [redacted]' }
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const known = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
  const forms = [...new Set(known.flatMap(encodedForms))].sort((a, b) => b.length - a.length);
  // One alternation, longest first, so overlapping forms are replaced in a single pass.
  // Case-insensitive: a supplier that echoes a token upper- or lower-cased still leaks it.
  const pattern = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'gi') : null;
  const longestForm = forms[0]?.length ?? 0;

  function text(s: string): string {
    return pattern === null ? s : s.replace(pattern, REDACTED);
  }

  function headers(h: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(h)) setOwnValue(out, name, redactHeaderValue(name, String(value), text));
    return out;
  }

  function deep<T>(value: T): T {
    // A run's report copies every result: a Map (dropped with the call) is cheaper than a WeakMap.
    return deepCopy(value, pattern === null ? keep : text, new Set(), new Map()) as T;
  }

  function excerpt(bytes: Uint8Array, maxBytes: number): string {
    const limit = Math.max(0, Math.min(maxBytes, bytes.length));
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, limit).toString('utf8');
    if (pattern === null) return head;
    // Decode a little further than the cut (4 bytes per char at worst) so a secret
    // that starts before the cut is seen whole and redacted, not left as a prefix.
    const windowEnd = Math.min(bytes.length, limit + 4 * longestForm);
    const window = Buffer.from(bytes.buffer, bytes.byteOffset, windowEnd).toString('utf8');
    const cut = head.length;
    let out = '';
    let position = 0;
    // Match in the window, copy from the head: both agree before the cut, and the
    // head is exactly "the first maxBytes bytes" (a split character stays U+FFFD).
    pattern.lastIndex = 0;
    for (let match = pattern.exec(window); match !== null; match = pattern.exec(window)) {
      if (match.index >= cut) break;
      out += head.slice(position, match.index) + REDACTED;
      position = match.index + match[0].length;
    }
    pattern.lastIndex = 0;
    if (position < cut) out += head.slice(position, cut);
    return out;
  }

  function withSecrets(extra: readonly string[]): Redactor {
    const added = extra.filter((s) => s.length >= MIN_SECRET_LENGTH && !known.includes(s));
    return added.length === 0 ? redactor : createRedactor([...known, ...added]);
  }

  const redactor: Redactor = { text, headers, deep, excerpt, withSecrets };
  return redactor;
}

/**
 * Whether a header's value is a credential by its name alone.
 *
 * @example
 *   isSensitiveHeader('X-Auth-Token'); // true
 *   isSensitiveHeader('WWW-Authenticate'); // false: a challenge, not a credential
 */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (CHALLENGE_HEADER_NAMES.has(lower)) return false;
  return SENSITIVE_HEADER_NAMES.has(lower) || SENSITIVE_NAME_FRAGMENTS.some((f) => lower.includes(f));
}

/**
 * The credential strings inside sensitive request headers, so that a supplier
 * echoing them back (in a body, a header, a Location) is redacted even when the
 * caller did not list them as secrets.
 *
 * @example
 *   secretsFromHeaders({ Authorization: 'Basic dXNlcjpwYXNzd29yZA==' });
 *   // ['dXNlcjpwYXNzd29yZA==', 'user:password', 'password']
 */
export function secretsFromHeaders(h: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, raw] of Object.entries(h)) {
    if (!isSensitiveHeader(name)) continue;
    const value = String(raw).trim();
    const lower = name.toLowerCase();
    if (SCHEMED_HEADER_NAMES.has(lower)) {
      const match = /^(\S+)\s+(\S.*)$/.exec(value);
      const credentials = match?.[2] ?? value;
      found.push(credentials);
      if (match?.[1]?.toLowerCase() === 'basic') {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        found.push(decoded);
        const colon = decoded.indexOf(':');
        if (colon >= 0) found.push(decoded.slice(colon + 1));
      }
    } else if (lower === 'cookie') {
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        found.push(eq >= 0 ? pair.slice(eq + 1).trim() : pair.trim());
      }
    } else {
      found.push(value);
    }
  }
  return found.filter((s) => s.length >= MIN_SECRET_LENGTH);
}

function redactHeaderValue(name: string, value: string, text: (s: string) => string): string {
  const lower = name.toLowerCase();
  if (!isSensitiveHeader(lower)) return text(value);
  if (SCHEMED_HEADER_NAMES.has(lower)) {
    // Keep the scheme: "Bearer [redacted]" still tells a reader which auth was used.
    const match = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s+\S/.exec(value);
    if (match) return `${match[1]} ${REDACTED}`;
  }
  return REDACTED;
}

/** The spellings under which a secret is likely to be echoed back. */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const uri = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [
    secret,
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    uri.replace(/%20/g, '+'),
    json,
    // Some serialisers (PHP, older Java) also escape '/'.
    json.replace(/\//g, '\\/'),
    ...embeddedBase64Forms(bytes),
  ];
  return forms.filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * The base64 characters that encode the secret whatever bytes surround it
 * (e.g. the token inside `Basic base64(user:token)` echoed in a body). Base64
 * works in 3-byte groups, so there are three alignments; for each, keep only the
 * characters computed from the secret's bits alone.
 */
function embeddedBase64Forms(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const offset of [1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const total = offset + bytes.length;
    const fullGroups = Math.floor(total / 3);
    const rest = total % 3;
    // Chars of a partial last group that depend only on real bytes: 1 byte -> 1 char, 2 bytes -> 2 chars.
    const end = fullGroups * 4 + rest;
    const start = offset === 1 ? 2 : 3; // chars of the first group still touched by the filler bytes
    const core = encoded.slice(start, end);
    // Short cores could match innocent base64 elsewhere; only use distinctive ones.
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  if (bytes.length % 3 !== 0) {
    const encoded = bytes.toString('base64');
    const core = encoded.slice(0, Math.floor(bytes.length / 3) * 4 + (bytes.length % 3));
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The identity `text()` of a redactor without secrets; recognised so the copy skips calling it. */
function keep(s: string): string {
  return s;
}

/**
 * `copies` remembers what each object became, so an object shared by many
 * places (one probe's evidence behind every check's result) is redacted once
 * and stays shared in the copy.
 */
function deepCopy(value: unknown, text: (s: string) => string, ancestors: Set<object>, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string') return text === keep ? value : text(value);
  if (value === null || typeof value !== 'object') return value;
  // Serialise the way JSON.stringify would (Date, Buffer, URL...), then redact that form.
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return deepCopy(withToJson.toJSON(), text, ancestors, copies);
  if (ancestors.has(value)) throw new TypeError('redactor.deep: cyclic value');
  if (copies.has(value)) return copies.get(value);
  ancestors.add(value);
  try {
    let out: unknown;
    if (Array.isArray(value)) out = value.map((item) => deepCopy(item, text, ancestors, copies));
    else {
      const record: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const key of Object.keys(source)) setOwnValue(record, text === keep ? key : text(key), deepCopy(source[key], text, ancestors, copies));
      out = record;
    }
    copies.set(value, out);
    return out;
  } finally {
    ancestors.delete(value);
  }
}

