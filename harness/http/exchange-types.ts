import type { Evidence, EventStreamRead } from '../results.js';

/** A request ready to send, built by the planner. */
export interface OutgoingRequest {
  method: string;
  /** Absolute URL on the target's origin. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Follow same-origin redirects (off-origin ones never are). False when the operation documents 3xx. */
  followRedirects: boolean;
  /**
   * Set by the planner when the request carries credentials (a token, basic,
   * an API key in a header, query or cookie, a user's credential header): a
   * 401/403 to it means the credentials were rejected, never a pass.
   */
  carriesCredentials?: boolean;
}

export interface HttpLimits {
  /** Per-request deadline, from sending to the end of the body (each redirect hop gets its own). */
  requestTimeoutMs: number;
  /** Maximum response body, in bytes after content decoding; reading stops there. */
  maxBodyBytes: number;
  /** Maximum size of the response header block, in bytes. */
  maxHeaderBytes: number;
  /** Maximum same-origin redirects followed for one probe. */
  maxRedirects: number;
  /** Bytes of body kept in evidence. */
  evidenceBodyBytes: number;
  /** Longest `Retry-After` on a 429 worth waiting for before one retry; a longer one is reported as it came. */
  maxRetryWaitMs: number;
}

/**
 * The outcome of sending one request: a complete response, or a transport
 * failure. Never thrown: a misbehaving supplier is a result, not a crash.
 */
export interface HttpExchange {
  evidence: Evidence;
  response?: {
    status: number;
    /** Lower-case names; repeated headers joined with ', '. Unredacted: checks may need them. */
    headers: Record<string, string>;
    /** Body bytes after content decoding, up to the limit. */
    body: Buffer;
    /** True when reading stopped at `maxBodyBytes`: the body is incomplete, checks must not judge it. */
    truncated: boolean;
    /** Set when the body is an event stream (`text/event-stream`) the client stopped reading: its start only. */
    eventStream?: EventStreamRead;
  };
  transportError?: TransportError;
}

/** Status and headers of a response, before its body is read. Header names lower-case, unredacted. */
export interface ResponseHead {
  status: number;
  headers: Record<string, string>;
}

/**
 * Where a download's body goes: `write` receives the decoded bytes (after
 * `Content-Encoding`), in order, synchronously as each chunk arrives. Nothing is
 * buffered in between, so a sink that takes its time slows the read instead of
 * growing memory. A chunk is only valid during the call: copy what you keep.
 * If `write` throws, the download stops and rejects with that error (a harness bug).
 */
export interface BodySink {
  write(chunk: Buffer): void;
}

export interface DownloadOptions {
  /** Decoded bytes after which reading stops (`truncated: true`) and the connection is dropped. */
  maxBytes: number;
  /**
   * The overall bound (e.g. the run's or the export's deadline): aborting ends
   * the download as transport error `aborted`. The client's own timeout is only
   * an idle timeout once the body streams, since a large file takes as long as it takes.
   */
  signal?: AbortSignal;
}

/**
 * The outcome of a download: a body streamed to its end or to `maxBytes`, or a
 * transport failure (never both). Never thrown: a misbehaving supplier is a result.
 *
 * The sink may have received bytes either way: treat what it got as incomplete
 * whenever `transportError` is set or `response.truncated` is true.
 */
export interface DownloadExchange {
  /**
   * As `send()` gives it. `response.bodyExcerpt` is the first `evidenceBodyBytes`
   * bytes; `bodyBytes` and `bodySha256` cover every decoded byte streamed.
   */
  evidence: Evidence;
  response?: {
    status: number;
    /** Lower-case names; repeated headers joined with ', '. Unredacted. */
    headers: Record<string, string>;
    /** Decoded bytes streamed to the sink (or read into `body`). */
    bytes: number;
    /** SHA-256 (hex) of those bytes, computed as they streamed. */
    sha256: string;
    /** True when reading stopped at `maxBytes` (or `maxBodyBytes` for `body`): the supplier sent more. */
    truncated: boolean;
    /**
     * Only when `openSink` returned undefined: the body read as `send()` would,
     * bounded by `limits.maxBodyBytes` (e.g. a problem document instead of the file).
     */
    body?: Buffer;
  };
  transportError?: TransportError;
}

/** Why no usable response came back. `code` is stable and documented in the README. */
export interface TransportError {
  code:
    | 'timeout'
    | 'connection-refused'
    | 'connection-reset'
    | 'dns'
    | 'tls'
    | 'headers-too-large'
    | 'redirect-loop'
    | 'too-many-redirects'
    | 'decode'
    | 'aborted'
    | 'network';
  message: string;
  /**
   * The status and headers had come; the body did not, whole (cut short at the
   * deadline, reset, or undecodable): a list may have shown records nobody saw.
   */
  afterHeaders?: true;
  /**
   * The underlying error (undici, node:net, node:tls, node:zlib), for debugging
   * only. Never written to a report: evidence carries `code` and `message` alone.
   */
  cause?: unknown;
}
