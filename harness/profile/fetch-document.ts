/**
 * A profile given as a URL (`--profile https://vendor.example/openapi.json`):
 * fetched with the harness's own bounded HTTP client (deadline, size cap,
 * same-origin redirects only) and parsed with the same bounds as a file.
 * Real products publish their document at a URL; it is untrusted input.
 */
import { createHash } from 'node:crypto';
import { HarnessError } from '../errors.js';
import type { HttpLimits } from '../http/exchange-types.js';
import type { HttpClient } from '../http/http-client.js';
import type { AllowedTargets } from '../http/target-allow-list.js';
import { createRedactor } from '../http/redactor.js';
import { parseDocumentText, type ReadDocument } from './read-document.js';

/** Profile URLs: an absolute http(s) URL. */
const PROFILE_URL = /^https?:\/\//i;

/** The wait and redirect bounds for fetching a profile; the size cap is the profile's own. */
export interface FetchLimits {
  requestTimeoutMs: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { requestTimeoutMs: 30_000, maxRedirects: 5 };

/**
 * True when a profile argument is a URL rather than a path or a bundled id.
 *
 * @example isProfileUrl('https://vendor.example/openapi.json') // true
 */
export function isProfileUrl(source: string): boolean {
  return PROFILE_URL.test(source.trim());
}

/**
 * Checks a profile URL: https anywhere, plain http only on this machine
 * (loopback), no credentials in it.
 *
 * @example parseProfileUrl('http://127.0.0.1:8080/openapi.yaml').origin // 'http://127.0.0.1:8080'
 * @throws HarnessError PROFILE_UNREADABLE
 */
export function parseProfileUrl(source: string): URL {
  let url: URL;
  try {
    url = new URL(source.trim());
  } catch {
    throw new HarnessError('PROFILE_UNREADABLE', `profile URL ${JSON.stringify(source)} is not a valid URL`);
  }
  if (url.username || url.password) {
    throw new HarnessError('PROFILE_UNREADABLE', `profile URL ${url.origin}${url.pathname} must not carry credentials`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    // A profile decides what is checked: over plain http anyone on the way could rewrite it.
    throw new HarnessError('PROFILE_UNREADABLE', `profile URL ${url.href} uses plain http; use https (plain http is accepted only on loopback)`);
  }
  url.hash = '';
  return url;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Credentials for the fetches of one origin, the run's target: a vendor's
 * document often needs the same token as its API (Directus serves only its
 * public part without one). Never sent to another origin, whatever `$ref`s
 * or `--allow-remote-refs` reach.
 */
export interface OriginCredentials {
  origin: string;
  /** Lower-case header names; the values are secrets. */
  headers: Record<string, string>;
  /** Given, but the profile is on another origin: sent nowhere, named in a refusal's hint. */
  withheld?: true;
}

/** The headers a fetch of `url` carries: the credentials, where they are not withheld and `url` is on their origin. */
export function credentialsFor(url: URL, credentials: OriginCredentials | undefined): Record<string, string> | undefined {
  return credentials !== undefined && !credentials.withheld && credentials.origin === url.origin ? credentials.headers : undefined;
}

/**
 * Fetches clients per origin for one load: the profile's origin, and (with
 * --allow-remote-refs) the origins its `$ref`s reach. Closed when the load ends.
 */
export interface DocumentFetcher {
  /** GET one document (the profile or a referenced file) and return its bytes; HarnessError on any failure. */
  fetch(url: URL, what: string): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * @example
 *   const fetcher = createDocumentFetcher({ maxBytes: 20 * 1024 * 1024 });
 *   try { const bytes = await fetcher.fetch(new URL('https://vendor.example/openapi.json'), 'profile'); } finally { await fetcher.close(); }
 */
export function createDocumentFetcher(options: { maxBytes: number; limits?: Partial<FetchLimits>; credentials?: OriginCredentials; allowedTargets?: AllowedTargets }): DocumentFetcher {
  const limits: HttpLimits = {
    ...DEFAULT_FETCH_LIMITS,
    ...options.limits,
    // One byte over the cap tells "too large" from "exactly at the cap".
    maxBodyBytes: options.maxBytes + 1,
    maxHeaderBytes: 64 * 1024,
    evidenceBodyBytes: 0,
    maxRetryWaitMs: 0,
  };
  const clients = new Map<string, HttpClient>();
  const clientFor = async (origin: string): Promise<HttpClient> => {
    // Loaded on the first fetch: a profile read from a file never pays for the HTTP client.
    const { createHttpClient } = await import('../http/http-client.js');
    let client = clients.get(origin);
    if (client === undefined) {
      // The run's allow-list binds its document fetches too, with the same pinned lookup (no DNS rebinding between check and connect).
      client = createHttpClient({
        targetUrl: origin,
        limits,
        redactor: createRedactor(Object.values(options.credentials?.headers ?? {})),
        connections: 2,
        ...(options.allowedTargets ? { allowedTargets: options.allowedTargets } : {}),
      });
      clients.set(origin, client);
    }
    return client;
  };
  return {
    async fetch(url: URL, what: string): Promise<Buffer> {
      // Redirects stay on the URL's origin (the client's rule), so credentials sent here stay there too.
      const credentials = credentialsFor(url, options.credentials);
      const exchange = await (await clientFor(url.origin)).send({
        method: 'GET',
        url: url.href,
        // The fetch's own Accept stays: a user's `-H Accept: application/json` is for the API, and a YAML-only document would answer 406.
        headers: { 'user-agent': 'interop-harness', ...credentials, accept: 'application/json, application/yaml;q=0.9, application/vnd.oai.openapi;q=0.9, */*;q=0.1' },
        followRedirects: true,
      });
      const response = exchange.response;
      if (!response) {
        throw new HarnessError('PROFILE_UNREADABLE', `cannot fetch ${what} ${url.href}: ${exchange.transportError?.message ?? 'no response'}`);
      }
      if (response.status >= 300 && response.status < 400) {
        // The evidence's copy: a hostile target may echo the credentials it was sent in Location.
        const location = exchange.evidence.response?.headers['location'] ?? '';
        throw new HarnessError('PROFILE_UNREADABLE', `cannot fetch ${what} ${url.href}: it redirects to ${location || 'nowhere'}, off its origin ${url.origin}; only same-origin redirects are followed (give the final URL)`);
      }
      if (response.status === 404 || response.status === 410) {
        throw new HarnessError('PROFILE_NOT_FOUND', `${what} not found: ${url.href} answered ${response.status}`);
      }
      if (response.status === 401 || response.status === 403) {
        throw new HarnessError('PROFILE_UNREADABLE', `cannot fetch ${what} ${url.href}: it answered ${response.status}, not 200, ${refusalHint(url, credentials, options.credentials)}`);
      }
      if (response.status !== 200) {
        throw new HarnessError('PROFILE_UNREADABLE', `cannot fetch ${what} ${url.href}: it answered ${response.status}, not 200`);
      }
      if (response.truncated || response.body.length > options.maxBytes) {
        throw new HarnessError('PROFILE_TOO_LARGE', `${what} ${url.href} is over the ${options.maxBytes}-byte limit (--max-profile raises it)`);
      }
      return response.body;
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.close()));
      clients.clear();
    },
  };
}

/** Why a document fetch may have been refused: with the credentials given, or without any, and why none were sent. */
function refusalHint(url: URL, sent: Record<string, string> | undefined, given: OriginCredentials | undefined): string {
  if (sent !== undefined) return `to the credentials given (${Object.keys(sent).join(', ')})`;
  if (given !== undefined) {
    return `sent without credentials: they go only with a profile on the target's origin ${given.origin}; save the document and give its path`;
  }
  return `sent without credentials: run and replay send the ones they are given (${DOCUMENT_CREDENTIAL_OPTIONS}) when the target is on this origin; otherwise save the document and give its path`;
}

/** The options whose credentials a document's fetch carries: those placed before the document says anything. */
export const DOCUMENT_CREDENTIAL_OPTIONS = '--header, --header-env, --cookie-env, --token-env or --basic-env';

/**
 * JSON when the text starts like JSON, else YAML: a URL's name says nothing
 * reliable about its content (`/v3/api-docs`).
 *
 * @example formatByContent('{"openapi": "3.0.3"}') // 'json'
 */
export function formatByContent(text: string): 'json' | 'yaml' {
  return /^\uFEFF?\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/**
 * Fetches and parses a profile from its URL.
 *
 * @example
 *   const read = await fetchDocument(new URL('https://vendor.example/openapi.json'), fetcher, 20 * 1024 * 1024);
 *   read.sha256; // of the bytes as served
 * @throws HarnessError PROFILE_NOT_FOUND, PROFILE_UNREADABLE, PROFILE_TOO_LARGE, PROFILE_PARSE
 */
export async function fetchDocument(url: URL, fetcher: DocumentFetcher, maxBytes: number): Promise<ReadDocument> {
  const bytes = await fetcher.fetch(url, 'profile');
  const text = bytes.toString('utf8');
  const format = formatByContent(text);
  const data = parseDocumentText(text, url.href, format, { maxBytes });
  return { path: url.href, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), format, data };
}
