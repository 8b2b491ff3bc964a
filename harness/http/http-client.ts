import { createHash } from 'node:crypto';
import { Agent, type Dispatcher } from 'undici';
import type { Evidence, RedirectHop, RequestEvidence, ResponseEvidence } from '../results.js';
import { BodyReadError, readBoundedBody } from './body-reader.js';
import { toCurl } from './curl.js';
import type { HttpExchange, HttpLimits, OutgoingRequest, TransportError } from './exchange-types.js';
import { secretsFromHeaders, type Redactor } from './redactor.js';
import { decideRedirect, normalizeForLoop, type RequestTarget } from './redirect-policy.js';
import { retryAfterMs, sleepUnlessAborted } from './retry-after.js';
import { safeLookup } from './safe-lookup.js';
import { classifyTransportError, noResponseMessage, seconds, transportError } from './transport-error.js';

export interface HttpClientOptions {
  /** The supplier's base URL; its origin is the only one requests and redirects may reach. */
  targetUrl: string;
  limits: HttpLimits;
  /** Applied to everything that goes into evidence. */
  redactor: Redactor;
  /** Connections per origin (default 8). */
  connections?: number;
}

export interface HttpClient {
  /** Send one request. Resolves with a response or a transport error; rejects only on harness bugs. */
  send(request: OutgoingRequest, signal?: AbortSignal): Promise<HttpExchange>;
  /** Destroy every connection. */
  close(): Promise<void>;
}

/** Bytes of a followed redirect's body read (and thrown away) so the connection can be reused. */
const REDIRECT_BODY_DUMP_BYTES = 64 * 1024;

/**
 * An HTTP client for a supplier nobody vouches for: every wait, body and
 * redirect chain is bounded, redirects never leave the target's origin, and
 * every failure is returned as a `transportError`, never thrown.
 *
 * @example
 *   const client = createHttpClient({ targetUrl: 'https://sandbox.vendor.example', limits, redactor });
 *   const exchange = await client.send({ method: 'GET', url: 'https://sandbox.vendor.example/persons', headers: {}, followRedirects: true });
 *   if (exchange.transportError) console.log(exchange.transportError.message); // e.g. 'no response within 10 s'
 *   await client.close();
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { limits, redactor } = options;
  const targetOrigin = new URL(options.targetUrl).origin;
  const agent = new Agent({
    connections: options.connections ?? 8,
    // undici's own timers are a second line of defence; the per-request deadline below is the bound.
    headersTimeout: limits.requestTimeoutMs,
    bodyTimeout: limits.requestTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    connect: { timeout: limits.requestTimeoutMs, lookup: safeLookup },
  });
  let closed = false;
  // Runs send the same credentials on every probe: reuse the extended redactor rather than rebuild its pattern.
  let lastExtension: { key: string; redactor: Redactor } | undefined;
  const redactorFor = (headers: Record<string, string>): Redactor => {
    const extra = secretsFromHeaders(headers);
    const key = JSON.stringify(extra);
    if (lastExtension?.key !== key) lastExtension = { key, redactor: redactor.withSecrets(extra) };
    return lastExtension.redactor;
  };

  async function send(request: OutgoingRequest, signal?: AbortSignal): Promise<HttpExchange> {
    if (closed) throw new Error('HttpClient.send called after close()');
    const startUrl = new URL(request.url);
    if (startUrl.origin !== targetOrigin) {
      // A planner bug, not a supplier's doing: refusing keeps credentials on the target's origin.
      throw new TypeError(`request URL ${startUrl.origin} is not on the target's origin ${targetOrigin}`);
    }
    // Credentials in this request's headers are redacted wherever the supplier echoes them,
    // even when the caller did not list them as secrets.
    const evidenceRedactor = redactorFor(request.headers);
    const started = performance.now();
    const first = await followChain(request, startUrl, signal, evidenceRedactor, started);
    const waitMs = retryWaitFor(first, limits.maxRetryWaitMs);
    if (waitMs === undefined) return first;

    // One retry after the wait the supplier asked for; a second 429 is the answer.
    const retryAfter = evidenceRedactor.text(first.response?.headers['retry-after'] ?? '');
    const waitStarted = performance.now();
    const waited = await sleepUnlessAborted(waitMs, signal);
    const retry = { status: 429, retryAfter, waitedMs: Math.round(performance.now() - waitStarted) };
    if (!waited) {
      const message = `request aborted: the run was stopped while waiting ${seconds(waitMs)} s (Retry-After: ${retryAfter}) to retry a 429`;
      const evidence: Evidence = { ...first.evidence, retries: [retry], transportError: { code: 'aborted', message } };
      return { evidence, transportError: transportError('aborted', message) };
    }
    const second = await followChain(request, startUrl, signal, evidenceRedactor, started);
    second.evidence.retries = [retry];
    return second;
  }

  /** The request and the same-origin redirects it leads to, up to the final response or a failure. */
  async function followChain(
    request: OutgoingRequest,
    startUrl: URL,
    signal: AbortSignal | undefined,
    evidenceRedactor: Redactor,
    started: number,
  ): Promise<HttpExchange> {
    const redirects: RedirectHop[] = [];
    const seen = new Set([normalizeForLoop(startUrl.href)]);
    let current: RequestTarget = {
      method: request.method.toUpperCase(),
      url: startUrl.href,
      headers: lowerCaseKeys(request.headers),
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
    let followed = 0;

    const finish = (outcome: HopResponse | { error: TransportError }): HttpExchange =>
      buildExchange(current, outcome, redirects, performance.now() - started, evidenceRedactor, limits);

    for (;;) {
      const hop = await exchangeOnce(current, request.followRedirects, signal);
      if (hop.kind === 'error') return finish({ error: hop.error });
      if (hop.kind === 'response') {
        if (hop.stoppedRedirect !== undefined) {
          redirects.push({ status: hop.status, from: current.url, location: hop.stoppedRedirect, followed: false });
        }
        return finish(hop);
      }
      const hopRecord: RedirectHop = { status: hop.status, from: current.url, location: hop.location, followed: false };
      const key = normalizeForLoop(hop.location);
      if (seen.has(key)) {
        redirects.push(hopRecord);
        const message = `redirect loop: ${current.url} redirects back to ${hop.location}, already visited`;
        return finish({ error: transportError('redirect-loop', message) });
      }
      if (followed >= limits.maxRedirects) {
        redirects.push(hopRecord);
        return finish({ error: transportError('too-many-redirects', `more than ${limits.maxRedirects} redirects`) });
      }
      redirects.push({ ...hopRecord, followed: true });
      seen.add(key);
      followed += 1;
      current = hop.next;
    }
  }

  /** One request/response on one URL, under its own deadline. */
  async function exchangeOnce(current: RequestTarget, followRedirects: boolean, outer?: AbortSignal): Promise<HopOutcome> {
    if (outer?.aborted) return { kind: 'error', error: transportError('aborted', 'request aborted: the run was stopped') };
    const url = new URL(current.url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const progress = { gotHeaders: false, bodyBytes: 0 };
    // The whole-request deadline: undici's headers/body timeouts reset on every
    // byte, so a body dripped one byte a second would otherwise never time out.
    // One controller for both causes (AbortSignal.any per request is costly on Node 20);
    // `deadline.timedOut` tells them apart.
    const hop = new AbortController();
    const deadline = { timedOut: false };
    const timer = setTimeout(() => {
      deadline.timedOut = true;
      hop.abort(new Error('request deadline passed'));
    }, limits.requestTimeoutMs);
    const onOuterAbort = () => hop.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const hopSignal = hop.signal;

    const explainFailure = (error: unknown): TransportError => {
      // Our own aborts first: undici reports them as whatever was in flight at the time.
      if (outer?.aborted) return transportError('aborted', 'request aborted: the run was stopped', error);
      if (deadline.timedOut) {
        const message = progress.gotHeaders
          ? `${noResponseMessage(limits.requestTimeoutMs)}: headers arrived but the body was still incomplete (${progress.bodyBytes} byte${progress.bodyBytes === 1 ? '' : 's'} received)`
          : noResponseMessage(limits.requestTimeoutMs);
        return transportError('timeout', message, error);
      }
      return classifyTransportError(error, {
        address: `${url.hostname}:${port}`,
        hostname: url.hostname,
        timeoutMs: limits.requestTimeoutMs,
        gotHeaders: progress.gotHeaders,
        bodyBytes: progress.bodyBytes,
        maxHeaderBytes: limits.maxHeaderBytes,
      });
    };
    const fail = (error: unknown): HopOutcome => ({ kind: 'error', error: explainFailure(error) });

    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: current.method,
          headers: current.headers,
          body: current.body ?? null,
          signal: hopSignal,
        });
      } catch (error) {
        return fail(error);
      }
      progress.gotHeaders = true;
      const headers = joinHeaders(response.headers);
      const decision = decideRedirect(response.statusCode, headers['location'], current, targetOrigin, followRedirects);
      if (decision.kind === 'follow') {
        await response.body.dump({ limit: REDIRECT_BODY_DUMP_BYTES }).catch(() => undefined);
        return { kind: 'follow', status: response.statusCode, location: decision.location, next: decision.next };
      }
      try {
        const read = await readBoundedBody(response.body, headers['content-encoding'], limits.maxBodyBytes);
        return {
          kind: 'response',
          status: response.statusCode,
          headers,
          body: read.body,
          truncated: read.truncated,
          ...(decision.kind === 'stop' ? { stoppedRedirect: decision.location } : {}),
        };
      } catch (error) {
        if (!(error instanceof BodyReadError)) throw error;
        progress.bodyBytes = error.rawBytes;
        if (error.kind === 'decode' && !outer?.aborted && !deadline.timedOut) {
          return { kind: 'error', error: transportError('decode', error.message, error.cause) };
        }
        return fail(error.cause);
      }
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await agent.destroy();
  }

  return { send, close };
}

interface HopResponse {
  kind: 'response';
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  /** The Location of a redirect that was not followed (this 3xx is the final response). */
  stoppedRedirect?: string;
}

type HopOutcome =
  | HopResponse
  | { kind: 'follow'; status: number; location: string; next: RequestTarget }
  | { kind: 'error'; error: TransportError };

/** Everything a reader or a check needs, with secrets redacted in the evidence only. */
function buildExchange(
  finalRequest: RequestTarget,
  outcome: HopResponse | { error: TransportError },
  redirects: RedirectHop[],
  elapsedMs: number,
  redactor: Redactor,
  limits: HttpLimits,
): HttpExchange {
  const requestEvidence: RequestEvidence = {
    method: finalRequest.method,
    url: redactor.text(finalRequest.url),
    headers: redactor.headers(finalRequest.headers),
    ...(finalRequest.body !== undefined
      ? { body: redactor.excerpt(Buffer.from(finalRequest.body, 'utf8'), limits.evidenceBodyBytes) }
      : {}),
  };
  const evidence: Evidence = {
    request: requestEvidence,
    durationMs: Math.round(elapsedMs),
    curl: toCurl(requestEvidence),
  };
  if (redirects.length > 0) {
    evidence.redirects = redirects.map((hop) => ({
      ...hop,
      from: redactor.text(hop.from),
      location: redactor.text(hop.location),
    }));
  }
  if ('error' in outcome) {
    const message = redactor.text(outcome.error.message);
    evidence.transportError = { code: outcome.error.code, message };
    return { evidence, transportError: transportError(outcome.error.code, message, outcome.error.cause) };
  }
  const responseEvidence: ResponseEvidence = {
    status: outcome.status,
    headers: redactor.headers(outcome.headers),
    bodyExcerpt: redactor.excerpt(outcome.body, limits.evidenceBodyBytes),
    bodyBytes: outcome.body.length,
    bodySha256: createHash('sha256').update(outcome.body).digest('hex'),
    truncated: outcome.truncated,
  };
  evidence.response = responseEvidence;
  return {
    evidence,
    response: { status: outcome.status, headers: outcome.headers, body: outcome.body, truncated: outcome.truncated },
  };
}

/**
 * How long to wait before retrying, or undefined for no retry: only a 429
 * whose Retry-After asks for no more than `maxWaitMs`. Without the header, or
 * with a longer or unreadable one, the 429 is the answer and checks judge it.
 */
function retryWaitFor(exchange: HttpExchange, maxWaitMs: number): number | undefined {
  if (exchange.response?.status !== 429) return undefined;
  const wait = retryAfterMs(exchange.response.headers['retry-after']);
  return wait !== undefined && wait <= maxWaitMs ? wait : undefined;
}

/** undici gives repeated headers as arrays; the contract joins them with ', '. */
function joinHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(', ') : value;
    out[lower] = out[lower] === undefined ? joined : `${out[lower]}, ${joined}`;
  }
  return out;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = out[lower] === undefined ? String(value) : `${out[lower]}, ${String(value)}`;
  }
  return out;
}
