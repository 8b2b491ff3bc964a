import type { Evidence } from '../results.js';

/** A request ready to send, built by the planner. */
export interface OutgoingRequest {
  method: string;
  /** Absolute URL on the target's origin. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Follow same-origin redirects (off-origin ones never are). False when the operation documents 3xx. */
  followRedirects: boolean;
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
   * The underlying error (undici, node:net, node:tls, node:zlib), for debugging
   * only. Never written to a report: evidence carries `code` and `message` alone.
   */
  cause?: unknown;
}
