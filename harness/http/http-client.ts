import { createHash, hash as digestOf } from 'node:crypto';
import { Readable } from 'node:stream';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { HarnessError } from '../errors.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { EventStreamRead, Evidence, RedirectHop, RequestEvidence, ResponseEvidence } from '../results.js';
import { mediaTypeEssence } from '../media-type.js';
import { BodyReadError, readBoundedBody, streamBody, type BoundedBody } from './body-reader.js';
import { toCurl } from './curl.js';
import type {
  BodySink,
  DownloadExchange,
  DownloadOptions,
  HttpExchange,
  HttpLimits,
  OutgoingRequest,
  ResponseHead,
  TransportError,
} from './exchange-types.js';
import { secretsFromHeaders, type Redactor } from './redactor.js';
import { decideRedirect, normalizeForLoop, type RequestTarget } from './redirect-policy.js';
import { retryAfterMs, sleepUnlessAborted } from './retry-after.js';
import { safeLookup } from './safe-lookup.js';
import { admitUrl, allowedTargetsLookup, type AllowedTargets } from './target-allow-list.js';
import { classifyTransportError, noResponseMessage, seconds, transportError } from './transport-error.js';

export interface HttpClientOptions {
  /** The supplier's base URL; its origin is the only one requests and redirects may reach. */
  targetUrl: string;
  limits: HttpLimits;
  /** Applied to everything that goes into evidence. */
  redactor: Redactor;
  /** Connections per origin (default 8). */
  connections?: number;
  /**
   * The operator's allow-list: the target must be on it (else HarnessError
   * TARGET_NOT_ALLOWED) and every connection goes only to a resolved address
   * it allows. Unset: any address.
   */
  allowedTargets?: AllowedTargets;
}

export interface HttpClient {
  /** Send one request. Resolves with a response or a transport error; rejects only on harness bugs. */
  send(request: OutgoingRequest, signal?: AbortSignal): Promise<HttpExchange>;
  /**
   * Stream a (possibly huge) body to a sink with constant memory. Same origin
   * rules, redirect policy, redaction and evidence as `send()`; no 429 retry.
   * `openSink` sees the final response's status and headers and says where the
   * body goes; returning undefined reads it as `send()` would (e.g. a 404 problem).
   * The request deadline holds until the headers; then, while the body streams,
   * it is an idle timeout (no byte for `requestTimeoutMs`), and the overall bound
   * is `options.signal`. Resolves with a response or a transport error; rejects
   * only on harness bugs (including `openSink` or the sink throwing).
   *
   * @example
   *   const hash = createHash('sha256');
   *   const exchange = await client.download(request, (head) => (head.status === 200 ? { write: (c) => hash.update(c) } : undefined), { maxBytes: 2 ** 31, signal });
   *   if (exchange.transportError || exchange.response?.truncated) console.log('incomplete file');
   */
  download(
    request: OutgoingRequest,
    openSink: (head: ResponseHead) => BodySink | undefined,
    options: DownloadOptions,
  ): Promise<DownloadExchange>;
  /** Destroy every connection. */
  close(): Promise<void>;
}

/**
 * Bytes of a followed redirect's body read (and thrown away) so the connection
 * can be reused, and how long that read may take: a body dripped slowly, or
 * never ended, is dropped with its connection rather than hold the hop to `--timeout`.
 */
const REDIRECT_BODY_DUMP_BYTES = 64 * 1024;
const REDIRECT_BODY_DUMP_MS = 1000;

/**
 * Bytes kept beyond the evidence excerpt of a download: the redactor looks past
 * the cut so a secret straddling it is redacted whole (see `Redactor.excerpt`).
 */
const EXCERPT_LOOKAHEAD_BYTES = 16 * 1024;

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
  let lookup = safeLookup;
  if (options.allowedTargets) {
    // Redirects stay on this origin, so admitting it once covers every request; the lookup covers what its name resolves to.
    const admission = admitUrl(options.allowedTargets, options.targetUrl);
    if (!admission.allowed) throw new HarnessError('TARGET_NOT_ALLOWED', `not sent: ${admission.reason}`);
    lookup = allowedTargetsLookup(options.allowedTargets, admission.rule);
  }
  const agent = new Agent({
    connections: options.connections ?? 8,
    // undici's own timers are a second line of defence; the per-request deadline below is the bound.
    headersTimeout: limits.requestTimeoutMs,
    bodyTimeout: limits.requestTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    connect: { timeout: limits.requestTimeoutMs, lookup },
  });
  let closed = false;
  // Runs send the same credentials on every probe: reuse the extended redactor rather than rebuild its pattern.
  let lastExtension: { key: string; redactor: Redactor } | undefined;
  const redactorFor = (headers: Record<string, string>): Redactor => {
    const extra = secretsFromHeaders(headers);
    if (extra.length === 0) return redactor;
    const key = JSON.stringify(extra);
    if (lastExtension?.key !== key) lastExtension = { key, redactor: redactor.withSecrets(extra) };
    return lastExtension.redactor;
  };

  const hopSettings: HopSettings = { agent, limits, targetOrigin };
  /** A final response read whole, up to `maxBodyBytes`: what every probe does. */
  const exchangeWhole: Exchange<BoundedBody> = (current, followRedirects, outer, parsed) =>
    dispatchWhole(hopSettings, current, followRedirects, outer, parsed);

  function startUrlOf(request: OutgoingRequest, method: string): URL {
    if (closed) throw new Error(`HttpClient.${method} called after close()`);
    const startUrl = new URL(request.url);
    if (startUrl.origin !== targetOrigin) {
      // A planner bug, not a supplier's doing: refusing keeps credentials on the target's origin.
      throw new TypeError(`request URL ${startUrl.origin} is not on the target's origin ${targetOrigin}`);
    }
    return startUrl;
  }

  async function send(request: OutgoingRequest, signal?: AbortSignal): Promise<HttpExchange> {
    const startUrl = startUrlOf(request, 'send');
    // Credentials in this request's headers are redacted wherever the supplier echoes them,
    // even when the caller did not list them as secrets.
    const evidenceRedactor = redactorFor(request.headers);
    const started = performance.now();
    const first = buildExchange(await followChain(request, startUrl, signal, exchangeWhole), started, evidenceRedactor, limits);
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
    const second = buildExchange(await followChain(request, startUrl, signal, exchangeWhole), started, evidenceRedactor, limits);
    second.evidence.retries = [retry];
    return second;
  }

  async function download(
    request: OutgoingRequest,
    openSink: (head: ResponseHead) => BodySink | undefined,
    options: DownloadOptions,
  ): Promise<DownloadExchange> {
    const startUrl = startUrlOf(request, 'download');
    const { maxBytes, signal } = options;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`download maxBytes must be a whole number of bytes, got ${maxBytes}`);
    const evidenceRedactor = redactorFor(request.headers);
    const started = performance.now();
    const readToSink: ReadBody<DownloadedBody> = async (body, status, headers, hop, timer) => {
      const sink = openSink({ status, headers });
      if (sink === undefined) {
        const whole = await readBoundedBody(body, headers['content-encoding'], limits.maxBodyBytes);
        const sha256 = digestOf('sha256', whole.body, 'hex');
        return { bytes: whole.body.length, sha256, head: whole.body, truncated: whole.truncated, body: whole.body };
      }
      // From here the deadline is an idle timeout: every byte restarts it.
      hop.streaming = true;
      timer.refresh();
      const hash = createHash('sha256');
      const head = createHeadKeeper(limits.evidenceBodyBytes + EXCERPT_LOOKAHEAD_BYTES);
      const streamed = await streamBody(body, headers['content-encoding'], {
        maxBytes,
        onChunk(chunk) {
          hash.update(chunk);
          head.keep(chunk);
          sink.write(chunk);
        },
        onWireBytes(rawBytes) {
          hop.bodyBytes = rawBytes;
          timer.refresh();
        },
      });
      return { bytes: streamed.bytes, sha256: hash.digest('hex'), head: head.bytes(), truncated: streamed.truncated };
    };
    const chain = await followChain(request, startUrl, signal, (current, followRedirects, outer, parsed) =>
      exchangeOnce(current, followRedirects, outer, readToSink, parsed));
    return buildDownloadExchange(chain, started, evidenceRedactor, limits);
  }

  /** The request and the same-origin redirects it leads to, up to the final response (read by `exchange`) or a failure. */
  async function followChain<B>(
    request: OutgoingRequest,
    startUrl: URL,
    signal: AbortSignal | undefined,
    exchange: Exchange<B>,
  ): Promise<ChainEnd<B>> {
    const redirects: RedirectHop[] = [];
    const seen = new Set([startUrl.hash === '' ? startUrl.href : normalizeForLoop(startUrl.href)]);
    let current: RequestTarget = {
      method: request.method.toUpperCase(),
      url: startUrl.href,
      headers: lowerCaseKeys(request.headers),
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
    let followed = 0;

    const finish = (outcome: HopResponse<B> | { error: TransportError }): ChainEnd<B> => ({ final: current, redirects, outcome });

    for (;;) {
      const hop = await exchange(current, request.followRedirects, signal, followed === 0 ? startUrl : undefined);
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

  /**
   * One request/response on one URL, under its own deadline; the final response's
   * body read by `readBody` from undici's body stream. Downloads only: probes go
   * through `dispatchWhole`, which reads the same way without a stream per response.
   */
  async function exchangeOnce<B>(
    current: RequestTarget,
    followRedirects: boolean,
    outer: AbortSignal | undefined,
    readBody: ReadBody<B>,
    /** `current.url`, when the caller has it parsed already. */
    parsed?: URL,
  ): Promise<HopOutcome<B>> {
    if (outer?.aborted) return { kind: 'error', error: transportError('aborted', 'request aborted: the run was stopped') };
    const url = parsed ?? new URL(current.url);
    const progress: HopProgress = { gotHeaders: false, bodyBytes: 0, streaming: false, timedOut: false };
    // The whole-request deadline: undici's headers/body timeouts reset on every
    // byte, so a body dripped one byte a second would otherwise never time out.
    // One controller for both causes (AbortSignal.any per request is costly on Node 20);
    // `progress.timedOut` tells them apart.
    const hop = new HopAbort();
    const timer = setTimeout(() => {
      progress.timedOut = true;
      hop.abort(new Error('request deadline passed'));
    }, limits.requestTimeoutMs);
    const stopWatching = outer === undefined ? undefined : watchOuter(outer, hop);

    const fail = (error: unknown): HopOutcome<B> => ({ kind: 'error', error: explainFailure(error, progress, outer, url, limits) });

    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: current.method,
          headers: current.headers,
          body: current.body ?? null,
          signal: hop,
        });
      } catch (error) {
        return fail(error);
      }
      progress.gotHeaders = true;
      const headers = joinHeaders(response.headers);
      const decision = decideRedirect(response.statusCode, headers['location'], current, targetOrigin, followRedirects);
      if (decision.kind === 'follow') {
        await response.body.dump({ limit: REDIRECT_BODY_DUMP_BYTES, signal: AbortSignal.timeout(REDIRECT_BODY_DUMP_MS) }).catch(() => undefined);
        return { kind: 'follow', status: response.statusCode, location: decision.location, next: decision.next };
      }
      try {
        const body = await readBody(response.body, response.statusCode, headers, progress, timer);
        return {
          kind: 'response',
          status: response.statusCode,
          headers,
          body,
          ...(decision.kind === 'stop' ? { stoppedRedirect: decision.location } : {}),
        };
      } catch (error) {
        if (!(error instanceof BodyReadError)) {
          response.body.destroy(); // a harness bug (a sink that threw): free the connection, then report it
          throw error;
        }
        progress.bodyBytes = error.rawBytes;
        if (error.kind === 'decode' && !outer?.aborted && !progress.timedOut) {
          return { kind: 'error', error: bodyFailure(transportError('decode', error.message, error.cause)) };
        }
        return fail(error.cause);
      }
    } finally {
      clearTimeout(timer);
      stopWatching?.();
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await agent.destroy();
  }

  return { send, download, close };
}

/** Where one hop stands, for the message when it fails. */
interface HopProgress {
  /** Response headers had arrived. */
  gotHeaders: boolean;
  /** Body bytes received on the wire, as far as known. */
  bodyBytes: number;
  /** The body is streaming to a sink: the hop's timer is now an idle timeout. */
  streaming: boolean;
  /** The hop's timer fired (rather than the caller's signal). */
  timedOut: boolean;
}

/**
 * Why a hop failed, in words a supplier's engineer can act on. Our own aborts
 * come first: undici reports them as whatever was in flight at the time.
 */
function explainFailure(error: unknown, progress: HopProgress, outer: AbortSignal | undefined, url: URL, limits: HttpLimits): TransportError {
  const explained = failureCause(error, progress, outer, url, limits);
  return progress.gotHeaders ? bodyFailure(explained) : explained;
}

/** A failure of the body, its status and headers having come (`afterHeaders`). */
function bodyFailure(error: TransportError): TransportError {
  error.afterHeaders = true;
  return error;
}

function failureCause(error: unknown, progress: HopProgress, outer: AbortSignal | undefined, url: URL, limits: HttpLimits): TransportError {
  if (outer?.aborted) {
    const message = progress.streaming
      ? `request aborted: the run was stopped after ${progress.bodyBytes} bytes of body`
      : 'request aborted: the run was stopped';
    return transportError('aborted', message, error);
  }
  if (progress.timedOut && progress.streaming) {
    // Same words as undici's own body timeout, which may fire first.
    return transportError('timeout', bodyStalledMessage(limits.requestTimeoutMs, progress.bodyBytes), error);
  }
  if (progress.timedOut) {
    const message = progress.gotHeaders
      ? `${noResponseMessage(limits.requestTimeoutMs)}: headers arrived but the body was still incomplete (${progress.bodyBytes} byte${progress.bodyBytes === 1 ? '' : 's'} received)`
      : noResponseMessage(limits.requestTimeoutMs);
    return transportError('timeout', message, error);
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return classifyTransportError(error, {
    address: `${url.hostname}:${port}`,
    hostname: url.hostname,
    timeoutMs: limits.requestTimeoutMs,
    gotHeaders: progress.gotHeaders,
    bodyBytes: progress.bodyBytes,
    maxHeaderBytes: limits.maxHeaderBytes,
  });
}

/** One hop of a redirect chain: send `current`, follow or read what comes back. */
type Exchange<B> = (
  current: RequestTarget,
  followRedirects: boolean,
  outer: AbortSignal | undefined,
  /** `current.url`, when the caller has it parsed already. */
  parsed: URL | undefined,
) => Promise<HopOutcome<B>>;

/** What every hop of one client shares. */
interface HopSettings {
  agent: Agent;
  limits: HttpLimits;
  targetOrigin: string;
}

/**
 * One request/response on one URL, under its own deadline, the final
 * response's body read whole up to `maxBodyBytes`: what every probe does.
 * Same outcomes, messages and bounds as `exchangeOnce` with `readBoundedBody`,
 * but through `agent.dispatch()`: an uncoded body (nearly every probe's) is
 * collected straight into Buffers, with no body stream, no promise per read
 * and no `agent.request()` wrapper per response (measured 102 -> 77 µs of
 * client CPU per 2 KB JSON response, concurrency 8).
 */
function dispatchWhole(
  settings: HopSettings,
  current: RequestTarget,
  followRedirects: boolean,
  outer: AbortSignal | undefined,
  parsed: URL | undefined,
): Promise<HopOutcome<BoundedBody>> {
  if (outer?.aborted) return Promise.resolve({ kind: 'error', error: transportError('aborted', 'request aborted: the run was stopped') });
  const url = parsed ?? new URL(current.url);
  return new Promise((resolve, reject) => {
    const handler = new WholeResponseHandler(settings, current, followRedirects, outer, url, resolve, reject);
    settings.agent.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: current.method,
        headers: current.headers,
        body: current.body ?? null,
      },
      handler,
    );
  });
}

/**
 * What a `WholeResponseHandler` does with the body, decided when the headers arrive:
 * nothing yet (`waiting`); an uncoded body kept as it comes, up to the limit
 * (`collect`); a Content-Encoding fed to `readBoundedBody` through a stream,
 * which decodes and bounds it (`decode`); a followed redirect's body read up to
 * `REDIRECT_BODY_DUMP_BYTES` and thrown away (`dump`); an uncoded event stream
 * read until its first event, `EVENT_STREAM_READ_MS` or `EVENT_STREAM_MAX_BYTES`,
 * then closed (`event-stream`). A coded event stream is decoded (`decode`) and
 * its decoded bytes read the same way.
 */
type BodyMode = 'waiting' | 'collect' | 'decode' | 'dump' | 'event-stream';

/**
 * undici's handler for one probe hop. It uses the controller hooks
 * (onRequestStart/onResponseStart/...), the API undici 7 documents; the legacy
 * hooks (onConnect/onHeaders/...) are deprecated there. undici 7 runs these
 * through a small shim that parses the headers with the same `parseHeaders`
 * `agent.request()` uses, so header records stay exactly what they were.
 *
 * The handler is its own progress record (`HopProgress`) and abort switch
 * (`Abortable`): the deadline timer and the run's signal call `abort`, which
 * aborts the request through undici's controller, so undici's own errors, and
 * only they, reach `onResponseError` and `classifyTransportError`.
 */
class WholeResponseHandler implements Dispatcher.DispatchHandler, HopProgress, Abortable {
  gotHeaders = false;
  bodyBytes = 0;
  readonly streaming = false;
  timedOut = false;

  private mode: BodyMode = 'waiting';
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: unknown = undefined;
  private aborted = false;
  private settled = false;
  private complete = false;
  private readonly timer: NodeJS.Timeout;
  private readonly stopWatching: (() => void) | undefined;
  private status = 0;
  private headers: Record<string, string> | undefined;
  private stoppedRedirect: string | undefined;
  private followed: HopOutcome<BoundedBody> | undefined;
  private chunks: Buffer[] = [];
  private bytes = 0;
  private stream: Readable | undefined;
  /** Whether the body is an event stream (coded or not), when its headers came, its read timer, and the last bytes read (a blank line may straddle two chunks). */
  private eventStream = false;
  private eventStreamStarted = 0;
  private eventStreamTimer: NodeJS.Timeout | undefined;
  private eventStreamTail = '';
  /** A followed redirect's body read time (`REDIRECT_BODY_DUMP_MS`). */
  private dumpTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: HopSettings,
    private readonly current: RequestTarget,
    private readonly followRedirects: boolean,
    private readonly outer: AbortSignal | undefined,
    private readonly url: URL,
    private readonly resolve: (outcome: HopOutcome<BoundedBody>) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    // The whole-request deadline: undici's headers/body timeouts reset on every
    // byte, so a body dripped one byte a second would otherwise never time out.
    this.timer = setTimeout(onDeadline, settings.limits.requestTimeoutMs, this);
    this.stopWatching = outer === undefined ? undefined : watchOuter(outer, this);
  }

  /** Stop the request (deadline or run signal); undici then calls `onResponseError` with `reason`. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    // Before `onRequestStart` the request is still queued: it is aborted there, as `agent.request()` does.
    if (!this.settled) this.controller?.abort(reason as Error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.aborted) controller.abort(this.abortReason as Error);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, rawHeaders: IncomingHttpHeaders): void {
    if (status < 200) return; // 1xx: the final response is still to come
    this.gotHeaders = true;
    const headers = joinHeaders(rawHeaders);
    const { limits, targetOrigin } = this.settings;
    const decision = decideRedirect(status, headers['location'], this.current, targetOrigin, this.followRedirects);
    if (decision.kind === 'follow') {
      this.mode = 'dump';
      this.followed = { kind: 'follow', status, location: decision.location, next: decision.next };
      this.dumpTimer = setTimeout(onDumpTime, REDIRECT_BODY_DUMP_MS, controller);
      // As undici's `body.dump()`: a body announced beyond the limit is not read at all.
      if (this.current.method !== 'HEAD' && Number(headers['content-length']) > REDIRECT_BODY_DUMP_BYTES) controller.abort(new undiciErrors.RequestAbortedError());
      return;
    }
    this.status = status;
    this.headers = headers;
    if (decision.kind === 'stop') this.stoppedRedirect = decision.location;
    const contentEncoding = headers['content-encoding'];
    // An event stream never ends on its own: its start is read, then it is closed.
    if (this.current.method !== 'HEAD' && mediaTypeEssence(headers['content-type'] ?? '') === 'text/event-stream') {
      this.eventStream = true;
      this.eventStreamStarted = performance.now();
      this.eventStreamTimer = setTimeout(onEventStreamTime, EVENT_STREAM_READ_MS, this);
    }
    // `identity` is no coding at all (RFC 9110 8.4.1): such a body is read as an uncoded one.
    if (contentEncoding === undefined || contentEncoding.trim().toLowerCase() === 'identity') {
      this.mode = this.eventStream ? 'event-stream' : 'collect';
      return;
    }
    // Decoding is rare and costly anyway: the existing stream decoder does it, with its bounds on the decoded size.
    this.mode = 'decode';
    const stream = new Readable({
      highWaterMark: BODY_STREAM_HIGH_WATER_MARK,
      read: () => this.controller?.resume(),
      destroy: (error, callback) => {
        // A reader that stops early (limit, unknown coding) frees the connection, as undici's body stream does.
        if (!this.complete) this.controller?.abort(error ?? new undiciErrors.RequestAbortedError());
        callback(error);
      },
    });
    this.stream = stream;
    // A compressed event stream (Express's compression middleware compresses one, flushing each event): its decoded bytes are read as an uncoded one's.
    const read: Promise<BoundedBody> = this.eventStream
      ? streamBody(stream, contentEncoding, { maxBytes: eventStreamMaxBytes(limits.maxBodyBytes), onChunk: (decoded) => this.readEventStream(decoded, Infinity) }).then((streamed) =>
          streamed.truncated ? this.eventStreamRead('size') : { body: this.collected(), rawBytes: streamed.rawBytes, truncated: false },
        )
      : readBoundedBody(stream, contentEncoding, limits.maxBodyBytes);
    read.then(
      (body) => this.respond(body),
      (error: unknown) => {
        if (!(error instanceof BodyReadError)) return this.settle(undefined, error);
        this.bodyBytes = error.rawBytes;
        if (error.kind === 'decode' && !this.outer?.aborted && !this.timedOut) {
          return this.settle({ kind: 'error', error: bodyFailure(transportError('decode', error.message, error.cause)) });
        }
        this.fail(error.cause);
      },
    );
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    switch (this.mode) {
      case 'collect': {
        this.bodyBytes += chunk.length;
        const room = this.settings.limits.maxBodyBytes - this.bytes;
        if (chunk.length > room) {
          // Stop at the bound with what was read; aborting drops the connection, so the rest is never fetched.
          if (room > 0) this.chunks.push(chunk.subarray(0, room));
          this.bytes += room;
          this.respond({ body: this.collected(), rawBytes: this.bodyBytes, truncated: true });
          controller.abort(new undiciErrors.RequestAbortedError());
          return;
        }
        this.chunks.push(chunk);
        this.bytes += chunk.length;
        return;
      }
      case 'decode':
        this.bodyBytes += chunk.length;
        if (!(this.stream as Readable).push(chunk)) controller.pause();
        return;
      case 'dump':
        this.bodyBytes += chunk.length;
        if (this.bodyBytes > REDIRECT_BODY_DUMP_BYTES) controller.abort(new undiciErrors.RequestAbortedError());
        return;
      case 'event-stream': {
        this.bodyBytes += chunk.length;
        const room = eventStreamMaxBytes(this.settings.limits.maxBodyBytes) - this.bytes;
        this.readEventStream(chunk.length > room ? chunk.subarray(0, room) : chunk, room);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Keep the next (decoded) bytes of an event stream, `kept`, and stop at its
   * first complete event or once `room` bytes are kept. An event, or a
   * comment, is complete at a blank line: a line end right after another
   * (WHATWG HTML 9.2.6: a line ends in CRLF, LF or CR). After CRLF or LF, a CR
   * or LF begins the next; after a lone CR, only a CR.
   */
  private readEventStream(kept: Buffer, room: number): void {
    if (this.settled) return;
    this.chunks.push(kept);
    this.bytes += kept.length;
    const text = this.eventStreamTail + kept.toString('latin1');
    if (/(?:\r\n|\n)[\r\n]|\r\r/.test(text)) return this.endEventStream('first-event');
    this.eventStreamTail = text.slice(-3);
    if (kept.length >= room) this.endEventStream('size');
  }

  /** Whether the body is an event stream still being read: its deadline ends the read rather than fail it. */
  readingEventStream(): boolean {
    return this.eventStream && !this.settled;
  }

  /** Stop reading an event stream: what came so far is the body, and the connection is dropped. */
  endEventStream(until: EventStreamRead['until']): void {
    if (this.settled) return;
    this.respond(this.eventStreamRead(until));
    this.controller?.abort(new undiciErrors.RequestAbortedError());
    // A coded one's decoder is let go too; its reader's rejection comes after the outcome, and is ignored.
    this.stream?.destroy();
  }

  private eventStreamRead(until: EventStreamRead['until']): BoundedBody {
    return { body: this.collected(), rawBytes: this.bodyBytes, truncated: false, eventStream: { readMs: Math.round(performance.now() - this.eventStreamStarted), until } };
  }

  onResponseEnd(): void {
    this.complete = true;
    switch (this.mode) {
      case 'collect':
      // An event stream the supplier ended itself is a whole body.
      case 'event-stream':
        this.respond({ body: this.collected(), rawBytes: this.bodyBytes, truncated: false });
        return;
      case 'decode':
        (this.stream as Readable).push(null);
        return;
      case 'dump':
        this.settle(this.followed);
        return;
      default:
        return;
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.settled) return;
    // A 204 or 304 ends at its headers whatever they announce (RFC 9112 6.3), and a 304 may carry the
    // Content-Length of what it stands for (RFC 9110 8.6); undici counts the 0 bytes read as a body cut short.
    if ((this.status === 204 || this.status === 304) && this.bodyBytes === 0 && (error as { code?: unknown }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      this.stream?.destroy();
      this.respond({ body: Buffer.alloc(0), rawBytes: 0, truncated: false });
      return;
    }
    switch (this.mode) {
      case 'decode':
        // The decoder's reader turns this into a BodyReadError, as it would for undici's body stream.
        (this.stream as Readable).destroy(error);
        return;
      case 'dump':
        // As `body.dump().catch(() => undefined)`: a redirect body that failed does not stop the redirect.
        this.settle(this.followed);
        return;
      default:
        this.fail(error);
    }
  }

  private collected(): Buffer {
    // Most bodies arrive in one chunk: no copy then.
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.bytes);
  }

  private respond(body: BoundedBody): void {
    const outcome: HopResponse<BoundedBody> = { kind: 'response', status: this.status, headers: this.headers as Record<string, string>, body };
    if (this.stoppedRedirect !== undefined) outcome.stoppedRedirect = this.stoppedRedirect;
    this.settle(outcome);
  }

  private fail(error: unknown): void {
    this.settle({ kind: 'error', error: explainFailure(error, this, this.outer, this.url, this.settings.limits) });
  }

  /** The hop's one outcome (or, for a harness bug, its one rejection); the timer and the run-signal watch end here. */
  private settle(outcome: HopOutcome<BoundedBody> | undefined, bug?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    clearTimeout(this.eventStreamTimer);
    clearTimeout(this.dumpTimer);
    this.stopWatching?.();
    this.chunks = [];
    if (outcome === undefined) this.reject(bug);
    else this.resolve(outcome);
  }
}

/** As undici's own body stream: the decoder's input is paused beyond this. */
const BODY_STREAM_HIGH_WATER_MARK = 64 * 1024;

/**
 * How long a probe reads an event stream that has sent no complete event, and
 * how much of one it keeps: enough to show the supplier streams, without
 * holding a run up for a body that never ends.
 */
const EVENT_STREAM_READ_MS = 1000;
const EVENT_STREAM_MAX_BYTES = 64 * 1024;

function eventStreamMaxBytes(maxBodyBytes: number): number {
  return Math.min(maxBodyBytes, EVENT_STREAM_MAX_BYTES);
}

/** A redirect body still coming after its read time: dropped with its connection, and the redirect followed (`onResponseError`). */
function onDumpTime(controller: Dispatcher.DispatchController): void {
  controller.abort(new undiciErrors.RequestAbortedError());
}

function onEventStreamTime(handler: WholeResponseHandler): void {
  handler.endEventStream('time');
}

function onDeadline(handler: WholeResponseHandler): void {
  // A deadline shorter than the read time (--timeout below 1 s) ends the read, as the read time would.
  if (handler.readingEventStream()) return handler.endEventStream('time');
  handler.timedOut = true;
  handler.abort(new Error('request deadline passed'));
}

/**
 * How `exchangeOnce` reads a download's final response body, once status and
 * headers are known: streamed to a sink, or whole into memory when no sink is
 * opened (probes read whole through `dispatchWhole` instead). A reader that
 * streams sets `hop.streaming` and restarts `timer` as bytes arrive. Throws
 * `BodyReadError` for the supplier's failures; anything else is a harness bug.
 */
type ReadBody<B> = (
  body: Readable,
  status: number,
  headers: Record<string, string>,
  hop: HopProgress,
  timer: NodeJS.Timeout,
) => Promise<B>;

interface HopResponse<B> {
  kind: 'response';
  status: number;
  headers: Record<string, string>;
  body: B;
  /** The Location of a redirect that was not followed (this 3xx is the final response). */
  stoppedRedirect?: string;
}

type HopOutcome<B> =
  | HopResponse<B>
  | { kind: 'follow'; status: number; location: string; next: RequestTarget }
  | { kind: 'error'; error: TransportError };

/** Where a redirect chain ended: the last request sent, the hops on the way, and its outcome. */
interface ChainEnd<B> {
  final: RequestTarget;
  redirects: RedirectHop[];
  outcome: HopResponse<B> | { error: TransportError };
}

/** What a download read: counted and hashed as it streamed, with the start kept for evidence. */
interface DownloadedBody {
  bytes: number;
  sha256: string;
  /** The first bytes, for the evidence excerpt. */
  head: Buffer;
  truncated: boolean;
  /** The whole body, when no sink was opened. */
  body?: Buffer;
}

/** Everything a reader or a check needs, with secrets redacted in the evidence only. */
function buildExchange(chain: ChainEnd<BoundedBody>, started: number, redactor: Redactor, limits: HttpLimits): HttpExchange {
  const evidence = chainEvidence(chain, started, redactor, limits);
  const { outcome } = chain;
  if ('error' in outcome) return failedExchange(evidence, outcome.error, redactor);
  const { status, headers, body: read } = outcome;
  // One call, not a Hash object: every probe hashes its body (the one-shot form is about a fifth cheaper for a small one).
  const sha256 = digestOf('sha256', read.body, 'hex');
  evidence.response = responseEvidence(status, headers, read.body, read.body.length, sha256, read.truncated, redactor, limits, read.eventStream !== undefined);
  const response: NonNullable<HttpExchange['response']> = { status, headers, body: read.body, truncated: read.truncated };
  if (read.eventStream) response.eventStream = evidence.response.eventStream = read.eventStream;
  // Every part went through the redactor above: the report keeps it rather than redact it again.
  redactor.markRedacted(evidence);
  return { evidence, response };
}

/** The response part of the evidence: headers redacted, an excerpt of the first bytes, the size and hash of all of them. */
function responseEvidence(
  status: number,
  headers: Record<string, string>,
  excerptFrom: Buffer,
  bodyBytes: number,
  bodySha256: string,
  truncated: boolean,
  redactor: Redactor,
  limits: HttpLimits,
  stoppedReading = false,
): ResponseEvidence {
  // A body the client stopped reading (--max-body, an event stream closed) ends mid-value, as an excerpt cut short does.
  return { status, headers: redactor.headers(headers), bodyExcerpt: redactor.responseExcerpt(excerptFrom, limits.evidenceBodyBytes, truncated || stoppedReading), bodyBytes, bodySha256, truncated };
}

/** `buildExchange` for a download: byte count and hash were taken while the body streamed. */
function buildDownloadExchange(chain: ChainEnd<DownloadedBody>, started: number, redactor: Redactor, limits: HttpLimits): DownloadExchange {
  const evidence = chainEvidence(chain, started, redactor, limits);
  const { outcome } = chain;
  if ('error' in outcome) return failedExchange(evidence, outcome.error, redactor);
  const { status, headers, body: read } = outcome;
  evidence.response = responseEvidence(status, headers, read.head, read.bytes, read.sha256, read.truncated, redactor, limits);
  redactor.markRedacted(evidence);
  const response: NonNullable<DownloadExchange['response']> = { status, headers, bytes: read.bytes, sha256: read.sha256, truncated: read.truncated };
  if (read.body !== undefined) response.body = read.body;
  return { evidence, response };
}

/** The request side of the evidence: the final request, its curl line, the redirects and the time taken. */
function chainEvidence(chain: ChainEnd<unknown>, started: number, redactor: Redactor, limits: HttpLimits): Evidence {
  const { final, redirects } = chain;
  const requestEvidence: RequestEvidence = {
    method: final.method,
    url: redactor.requestUrl(final.url),
    headers: redactor.requestHeaders(final.headers),
    ...(final.body !== undefined ? { body: redactor.excerpt(Buffer.from(final.body, 'utf8'), limits.evidenceBodyBytes) } : {}),
  };
  const evidence: Evidence = {
    request: requestEvidence,
    durationMs: Math.round(performance.now() - started),
    // Through text() as a whole, as the report's redaction of the evidence would (see `markRedacted` below).
    curl: redactor.text(toCurl(requestEvidence, redactor.curlVariables)),
  };
  if (redirects.length > 0) {
    evidence.redirects = redirects.map((hop) => ({
      ...hop,
      from: redactor.text(hop.from),
      location: redactor.text(hop.location),
    }));
  }
  return evidence;
}

/** No usable response: the failure goes into the evidence, redacted (the supplier's words may echo a secret). */
function failedExchange(evidence: Evidence, error: TransportError, redactor: Redactor): { evidence: Evidence; transportError: TransportError } {
  const message = redactor.text(error.message);
  evidence.transportError = { code: error.code, message };
  redactor.markRedacted(evidence);
  const failed = transportError(error.code, message, error.cause);
  if (error.afterHeaders) failed.afterHeaders = true;
  return { evidence, transportError: failed };
}

/**
 * The first `limit` bytes of a stream, copied (a kept subarray would pin a whole
 * chunk) and joined once at the end.
 */
function createHeadKeeper(limit: number): { keep(chunk: Buffer): void; bytes(): Buffer } {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    keep(chunk) {
      if (size >= limit) return;
      const part = Buffer.from(chunk.subarray(0, limit - size));
      parts.push(part);
      size += part.length;
    },
    bytes: () => Buffer.concat(parts, size),
  };
}

/**
 * One hop's abort switch, in the shape undici accepts for `signal` (an emitter
 * with `aborted`, `reason`, `once` and `removeListener`). An AbortController
 * per request, plus a listener on the run's signal, cost more than the rest of
 * the client's own work on a fast local supplier; this is a flag and at most
 * one listener (undici registers exactly one per request).
 */
class HopAbort {
  aborted = false;
  reason: unknown = undefined;
  private listener: (() => void) | undefined;

  on(_event: 'abort', listener: () => void): this {
    this.listener = listener;
    return this;
  }

  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    if (this.listener === listener) this.listener = undefined;
    return this;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }
}

/** Something a hop's deadline or the run's signal can stop. */
interface Abortable {
  abort(reason: unknown): void;
}

/** The hops in flight under each outer signal: one listener per signal, not one per request. */
const hopsUnder = new WeakMap<AbortSignal, Set<Abortable>>();

/** Abort `hop` when `outer` aborts, until the returned function is called. */
function watchOuter(outer: AbortSignal, hop: Abortable): () => void {
  let hops = hopsUnder.get(outer);
  if (hops === undefined) {
    const watched = new Set<Abortable>();
    hops = watched;
    hopsUnder.set(outer, watched);
    outer.addEventListener('abort', () => {
      for (const each of [...watched]) each.abort(outer.reason);
    }, { once: true });
  }
  if (outer.aborted) hop.abort(outer.reason);
  hops.add(hop);
  const set = hops;
  return () => void set.delete(hop);
}

/**
 * The message for a streaming body that stopped arriving.
 *
 * @example
 *   bodyStalledMessage(10_000, 5_242_880); // 'response body stalled: no data for 10 s after 5242880 bytes'
 */
function bodyStalledMessage(timeoutMs: number, bodyBytes: number): string {
  return `response body stalled: no data for ${seconds(timeoutMs)} s after ${bodyBytes} bytes`;
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
function joinHeaders(raw: Record<string, string | string[] | undefined> | IncomingHttpHeaders): Record<string, string> {
  // No prototype: a header named `constructor` or `__proto__` is a header like any other.
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(', ') : value;
    out[lower] = out[lower] === undefined ? joined : `${out[lower]}, ${joined}`;
  }
  return out;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = out[lower] === undefined ? String(value) : `${out[lower]}, ${String(value)}`;
  }
  return out;
}
