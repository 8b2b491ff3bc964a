import type { TransportError } from './exchange-types.js';

/** Where the exchange was when it failed: the same error reads differently before and during the body. */
export interface FailureContext {
  /** `host:port` the request was sent to. */
  address: string;
  /** Host name alone, for DNS messages. */
  hostname: string;
  /** Per-request deadline, for timeout messages. */
  timeoutMs: number;
  /** Response headers had arrived. */
  gotHeaders: boolean;
  /** Body bytes received before the failure (on the wire, before content decoding). */
  bodyBytes: number;
  maxHeaderBytes: number;
}

/**
 * Turn whatever undici, node:net, node:tls or node:dns threw into a stable code
 * and a sentence a supplier's engineer can act on. The original error is kept
 * as `cause` for debugging; it is never written to a report.
 *
 * @example
 *   classifyTransportError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), context);
 *   // { code: 'connection-refused', message: 'connection refused by 127.0.0.1:4010', cause: … }
 */
export function classifyTransportError(error: unknown, context: FailureContext): TransportError {
  const codes = errorCodes(error);
  const has = (...wanted: string[]): boolean => wanted.some((c) => codes.includes(c));
  const make = (code: TransportError['code'], message: string): TransportError => transportError(code, message, error);

  if (has('UND_ERR_DESTROYED', 'UND_ERR_CLOSED')) return make('aborted', 'request aborted: the HTTP client was closed');
  if (has('UND_ERR_HEADERS_TIMEOUT')) return make('timeout', noResponseMessage(context.timeoutMs));
  if (has('UND_ERR_BODY_TIMEOUT')) {
    return make('timeout', `response body stalled: no data for ${seconds(context.timeoutMs)} s after ${context.bodyBytes} bytes`);
  }
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return make('timeout', `could not connect to ${context.address} within ${seconds(context.timeoutMs)} s`);
  }
  if (has('UND_ERR_HEADERS_OVERFLOW', 'HPE_HEADER_OVERFLOW')) {
    return make('headers-too-large', `response headers larger than ${context.maxHeaderBytes} bytes`);
  }
  // The allow-list's lookup left no address to connect to: its message names the host and its addresses.
  if (has('ERR_TARGET_NOT_ALLOWED')) return make('connection-refused', describe(error));
  if (has('ECONNREFUSED')) return make('connection-refused', `connection refused by ${context.address}`);
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA')) {
    return make('dns', `DNS lookup failed for ${context.hostname}`);
  }
  const tls = codes.find(isTlsCode);
  if (tls !== undefined) return make('tls', `TLS handshake failed: ${describe(error)} (${tls})`);
  if (has('UND_ERR_RES_CONTENT_LENGTH_MISMATCH')) {
    return make('connection-reset', `connection closed after ${context.bodyBytes} bytes of body, before the length its Content-Length announced`);
  }
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNABORTED')) {
    return make(
      'connection-reset',
      context.gotHeaders
        ? `connection reset after ${context.bodyBytes} bytes of body`
        : `connection closed by ${context.address} before response headers`,
    );
  }
  // undici asserts rather than fails when a response switches protocols uninvited (Prism answers 101 to a plain GET):
  // its assertion's text names undici's source, not the supplier's fault.
  if (has('ERR_ASSERTION') || errorNames(error).includes('AssertionError')) {
    return make('network', /\bupgrade\b/.test(describe(error))
      ? `invalid HTTP response from ${context.address}: 101 Switching Protocols to a request that asked for no upgrade (RFC 9110 section 15.2.2)`
      : `invalid HTTP response from ${context.address}: the HTTP client could not take it as a response`);
  }
  const parser = codes.find((c) => c.startsWith('HPE_'));
  if (parser !== undefined || errorNames(error).includes('HTTPParserError')) {
    // undici does not always fill in the llhttp code; the message says what was wrong.
    const suffix = parser !== undefined ? ` (${parser})` : '';
    return make('network', `invalid HTTP response from ${context.address}: ${describe(error)}${suffix}`);
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL')) {
    return make('network', `no route to ${context.address}: ${describe(error)}`);
  }
  if (has('UND_ERR_INVALID_ARG')) {
    // A request the harness could not even send (e.g. a header value with a newline from a profile example).
    return make('network', `request not sent: ${describe(error)}`);
  }
  return make('network', `network error talking to ${context.address}: ${describe(error)}`);
}

/**
 * A TransportError whose `cause` is not enumerable, so it stays out of
 * `JSON.stringify`, `redactor.deep` and object spreads: errors can carry
 * addresses, paths and request details that no report should.
 *
 * @example
 *   transportError('decode', 'corrupt gzip content encoding: incorrect header check', zlibError);
 */
export function transportError(code: TransportError['code'], message: string, cause?: unknown): TransportError {
  const error: TransportError = { code, message };
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  return error;
}

/**
 * The message for a request whose deadline passed before (or while) the response came.
 *
 * @example
 *   noResponseMessage(10_000); // 'no response within 10 s'
 */
export function noResponseMessage(timeoutMs: number): string {
  return `no response within ${seconds(timeoutMs)} s`;
}

/**
 * Milliseconds as a short number of seconds.
 *
 * @example
 *   seconds(300); // '0.3'
 */
export function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('CERT_') ||
    code.includes('_CERT') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'HOSTNAME_MISMATCH' ||
    code === 'EPROTO'
  );
}

/**
 * Every `code` in the error, its `cause` chain and (for Happy Eyeballs
 * connection attempts) the errors of an AggregateError.
 */
function errorCodes(error: unknown, depth = 0): string[] {
  if (depth > 5 || error === null || typeof error !== 'object') return [];
  const out: string[] = [];
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string') out.push(record.code);
  out.push(...errorCodes(record.cause, depth + 1));
  if (Array.isArray(record.errors)) for (const inner of record.errors) out.push(...errorCodes(inner, depth + 1));
  return out;
}

function errorNames(error: unknown, depth = 0): string[] {
  if (depth > 5 || error === null || typeof error !== 'object') return [];
  const record = error as { name?: unknown; cause?: unknown };
  return [...(typeof record.name === 'string' ? [record.name] : []), ...errorNames(record.cause, depth + 1)];
}

function describe(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (error !== null && typeof error === 'object') {
    const inner = (error as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner[0] instanceof Error) return inner[0].message;
  }
  return String(error);
}
