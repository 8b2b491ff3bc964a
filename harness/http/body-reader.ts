import type { EventStreamRead } from '../results.js';
import { pipeline, Transform, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/**
 * Reads a response body as a stream, decoding `Content-Encoding`, and stops at
 * a byte limit applied to the *decoded* size: a 1 KB gzip bomb that would
 * inflate to 10 GB costs at most the limit in memory. `readBoundedBody` keeps
 * the bytes (for probes); `streamBody` hands them on as they arrive and keeps
 * none (for downloads of any size).
 */

export interface BoundedBody {
  /** Decoded bytes, at most the limit. */
  body: Buffer;
  /** Bytes received on the wire (after chunked transfer decoding, before content decoding). */
  rawBytes: number;
  /** Reading stopped at the limit: the body is incomplete. */
  truncated: boolean;
  /** An event stream the client stopped reading (see `EventStreamRead`): the body is its start only. */
  eventStream?: EventStreamRead;
}

/**
 * Why a body could not be read: the connection failed (`transport`, with the
 * underlying error as `cause`) or the content coding is corrupt or unknown (`decode`).
 *
 * @example
 *   if (error instanceof BodyReadError && error.kind === 'decode') console.log(error.message);
 */
export class BodyReadError extends Error {
  readonly kind: 'transport' | 'decode';
  readonly rawBytes: number;

  constructor(kind: 'transport' | 'decode', message: string, rawBytes: number, cause: unknown) {
    super(message, { cause });
    this.name = 'BodyReadError';
    this.kind = kind;
    this.rawBytes = rawBytes;
  }
}

/**
 * Compressed bytes queued ahead of a decoder before the connection is paused.
 * A decoder is slower than a fast network, so the body is paused often; with
 * the default 16 KB queue undici 7 re-reads its socket buffer on every resume,
 * reads more than was consumed, and on a long body that buffer grew to the
 * whole body (measured: +150 MB and 6x slower for 600 MB of gzip). Pausing in
 * 1 MB steps keeps it flat.
 */
const DECODER_INPUT_BUFFER_BYTES = 1024 * 1024;

const DECODERS: Record<string, (first: Buffer | undefined) => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  br: () => createBrotliDecompress(),
  // RFC 9110 deflate is zlib-wrapped, but servers often send raw deflate; browsers accept both.
  deflate: (first) => (first === undefined || hasZlibHeader(first) ? createInflate() : createInflateRaw()),
};

/**
 * Read `stream` up to `maxBytes` decoded bytes, then stop reading and destroy it.
 * Throws `BodyReadError` when the stream fails or the coding is corrupt or unknown.
 *
 * @example
 *   const { body, truncated } = await readBoundedBody(response.body, response.headers['content-encoding'], 1024 * 1024);
 */
export async function readBoundedBody(
  stream: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<BoundedBody> {
  const chunks: Buffer[] = [];
  const read = await streamBody(stream, contentEncoding, { maxBytes, onChunk: (chunk) => chunks.push(chunk) });
  // Most bodies arrive in one chunk: no copy then.
  return { body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, read.bytes), rawBytes: read.rawBytes, truncated: read.truncated };
}

/** What `streamBody` handed on. */
export interface StreamedBody {
  /** Decoded bytes passed to `onChunk`, at most the limit. */
  bytes: number;
  /** Bytes received on the wire (after chunked transfer decoding, before content decoding). */
  rawBytes: number;
  /** Reading stopped at the limit: the body goes on beyond what `onChunk` received. */
  truncated: boolean;
}

export interface StreamBodyOptions {
  /** Decoded bytes after which reading stops and the stream is destroyed. */
  maxBytes: number;
  /**
   * Receives each decoded chunk, in order, synchronously as it arrives (the last
   * one cut at `maxBytes`). Nothing is buffered: a slow sink slows the read.
   * If it throws, the stream is destroyed and `streamBody` rejects with that error.
   */
  onChunk(chunk: Buffer): void;
  /** Told the running total of wire bytes whenever some arrive (e.g. to restart an idle timer). */
  onWireBytes?(rawBytes: number): void;
}

/**
 * Stream a body of any size through `onChunk` with constant memory, decoding
 * `Content-Encoding` with the same bounds as `readBoundedBody` (the decoded
 * limit, and a wire limit for compressed streams that inflate to nothing).
 * Throws `BodyReadError` when the stream fails or the coding is corrupt or
 * unknown; `onChunk` has then received everything decoded before the failure.
 *
 * @example
 *   const hash = createHash('sha256');
 *   const { bytes, truncated } = await streamBody(response.body, headers['content-encoding'], { maxBytes: 2 ** 31, onChunk: (c) => hash.update(c) });
 */
export async function streamBody(
  stream: Readable,
  contentEncoding: string | undefined,
  options: StreamBodyOptions,
): Promise<StreamedBody> {
  // The first stage to emit 'error' is where the failure started; pipeline then
  // forwards the same error object to every other stage, so identity cannot tell.
  let origin: { stage: 'stream' | 'decoder' | 'limit'; error: unknown } | undefined;
  const note = (stage: 'stream' | 'decoder' | 'limit') => (error: unknown) => {
    origin ??= { stage, error };
  };
  // Listen before anything can destroy the stream: an 'error' nobody listens to is an uncaught exception.
  stream.on('error', note('stream'));

  const codings = parseContentEncoding(contentEncoding);
  // Own properties only: a coding named `constructor` or `__proto__` is just unsupported.
  const unsupported = codings.find((c) => !Object.hasOwn(DECODERS, c));
  if (unsupported !== undefined) {
    stream.destroy();
    throw new BodyReadError('decode', `unsupported Content-Encoding '${unsupported}'`, 0, undefined);
  }
  if (codings.length === 0) return pumpIdentity(stream, options);

  let first: Buffer | null;
  try {
    // Peek so an empty body (HEAD-like 204s that still announce gzip) is not a decode error,
    // and so the deflate flavour can be chosen from its first bytes.
    first = await peekFirstChunk(stream);
  } catch (error) {
    throw new BodyReadError('transport', 'body stream failed', 0, error);
  }
  if (first === null) return { bytes: 0, rawBytes: 0, truncated: false };

  // Compressed data is never much larger than what it decodes to (stored blocks
  // add ~0.01%), so more wire bytes than this means an endless or padded stream.
  const rawCap = Math.ceil(options.maxBytes * 1.01) + 1024;
  let rawBytes = 0;
  const { onWireBytes } = options;
  const counter = new Transform({
    writableHighWaterMark: DECODER_INPUT_BUFFER_BYTES, // pause the connection rarely, in big steps
    transform(chunk: Buffer, _encoding, callback) {
      rawBytes += chunk.length;
      onWireBytes?.(rawBytes);
      if (rawBytes > rawCap) callback(new RawLimitReached());
      else callback(null, chunk);
    },
  });
  counter.on('error', note('limit'));
  const decoders = [...codings].reverse().map((coding, index) => {
    const decoder = (DECODERS[coding] as (first: Buffer | undefined) => Transform)(index === 0 ? first : undefined);
    decoder.on('error', note('decoder'));
    return decoder;
  });
  const stages: [Readable, ...Transform[]] = [stream, counter, ...decoders];
  const tail = stages[stages.length - 1] as Readable;

  return new Promise((resolve, reject) => {
    const { maxBytes, onChunk } = options;
    let bytes = 0;
    let settled = false;
    const stop = (): void => {
      settled = true;
      tail.off('data', onData);
      // Destroying both ends tears the pipeline down, and with it the connection.
      tail.destroy();
      stream.destroy();
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      const room = maxBytes - bytes;
      const last = chunk.length > room;
      const piece = last ? chunk.subarray(0, room) : chunk;
      bytes += piece.length;
      try {
        if (piece.length > 0) onChunk(piece);
      } catch (error) {
        stop();
        reject(error);
        return;
      }
      if (last) {
        stop();
        resolve({ bytes, rawBytes, truncated: true });
      }
    };
    // The pipeline's callback can come before the tail's last 'data' (it waits for the
    // writable side only), so success is the tail's 'end' and failure is the first error.
    const onFailure = (error: unknown): void => {
      if (settled) return;
      stop();
      const source = origin ?? { stage: 'stream', error };
      if (source.stage === 'limit' || source.error instanceof RawLimitReached) {
        resolve({ bytes, rawBytes, truncated: true });
      } else if (source.stage === 'decoder') {
        const detail = source.error instanceof Error ? source.error.message : String(source.error);
        reject(new BodyReadError('decode', `corrupt ${codings.join(', ')} content encoding: ${detail}`, rawBytes, source.error));
      } else {
        reject(new BodyReadError('transport', 'body stream failed', rawBytes, source.error));
      }
    };
    tail.on('data', onData);
    tail.once('end', () => {
      if (settled) return;
      settled = true;
      resolve({ bytes, rawBytes, truncated: false });
    });
    tail.once('close', () => onFailure(new Error('body stream closed before its end')));
    pipeline(stages, (error) => {
      if (error) onFailure(error);
    });
  });
}

/**
 * An uncoded body, pumped with plain stream events: a pipeline, or an async
 * iterator per body (and its promise per chunk), cost more than the read
 * itself on small bodies. Each chunk is handed on, none kept.
 */
function pumpIdentity(stream: Readable, options: StreamBodyOptions): Promise<StreamedBody> {
  const { maxBytes, onChunk, onWireBytes } = options;
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let rawBytes = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      rawBytes += chunk.length;
      onWireBytes?.(rawBytes);
      const room = maxBytes - bytes;
      const last = chunk.length > room;
      const piece = last ? chunk.subarray(0, room) : chunk;
      bytes += piece.length;
      try {
        if (piece.length > 0) onChunk(piece);
      } catch (error) {
        cleanup();
        stream.destroy();
        reject(error);
        return;
      }
      if (last) {
        cleanup();
        stream.destroy(); // stop reading: the rest of an endless body is never fetched
        resolve({ bytes, rawBytes, truncated: true });
      }
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ bytes, rawBytes, truncated: false });
    };
    const onError = (error: unknown): void => {
      cleanup();
      reject(new BodyReadError('transport', 'body stream failed', rawBytes, error));
    };
    const onClose = (): void => onError(new Error('body stream closed before its end'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/**
 * The content codings of a `Content-Encoding` value, in the order applied; `identity` dropped.
 *
 * @example
 *   parseContentEncoding('gzip, identity'); // ['gzip']
 */
export function parseContentEncoding(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
}


class RawLimitReached extends Error {
  constructor() {
    super('compressed body exceeds the body limit');
    this.name = 'RawLimitReached';
  }
}

function hasZlibHeader(first: Buffer): boolean {
  if (first.length < 2) return true;
  const cmf = first[0] as number;
  const flg = first[1] as number;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

/** Resolve with the first chunk (put back for the pipeline to read), or null at end of stream. */
function peekFirstChunk(stream: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onReadable = (): void => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return; // end of stream: 'end' follows
      cleanup();
      stream.unshift(chunk);
      resolve(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: unknown): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('body stream closed before any data'));
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
