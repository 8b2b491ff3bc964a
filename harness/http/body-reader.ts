import { pipeline, Transform, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/**
 * Reads a response body as a stream, decoding `Content-Encoding`, and stops at
 * a byte limit applied to the *decoded* size: a 1 KB gzip bomb that would
 * inflate to 10 GB costs at most the limit in memory.
 */

export interface BoundedBody {
  /** Decoded bytes, at most the limit. */
  body: Buffer;
  /** Bytes received on the wire (after chunked transfer decoding, before content decoding). */
  rawBytes: number;
  /** Reading stopped at the limit: the body is incomplete. */
  truncated: boolean;
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
  let rawBytes = 0;
  // The first stage to emit 'error' is where the failure started; pipeline then
  // forwards the same error object to every other stage, so identity cannot tell.
  let origin: { stage: 'stream' | 'decoder' | 'limit'; error: unknown } | undefined;
  const note = (stage: 'stream' | 'decoder' | 'limit') => (error: unknown) => {
    origin ??= { stage, error };
  };
  // Listen before anything can destroy the stream: an 'error' nobody listens to is an uncaught exception.
  stream.on('error', note('stream'));

  const codings = parseContentEncoding(contentEncoding);
  const unsupported = codings.find((c) => !(c in DECODERS));
  if (unsupported !== undefined) {
    stream.destroy();
    throw new BodyReadError('decode', `unsupported Content-Encoding '${unsupported}'`, 0, undefined);
  }

  // Most bodies are not content-coded: read them directly, without a pipeline
  // (whose per-body AbortController and Transform cost more than the read itself).
  if (codings.length === 0) return readIdentity(stream, maxBytes);

  let first: Buffer | null = null;
  {
    try {
      // Peek so an empty body (HEAD-like 204s that still announce gzip) is not a decode error,
      // and so the deflate flavour can be chosen from its first bytes.
      first = await peekFirstChunk(stream);
    } catch (error) {
      throw new BodyReadError('transport', 'body stream failed', rawBytes, error);
    }
    if (first === null) return { body: Buffer.alloc(0), rawBytes: 0, truncated: false };
  }

  // Compressed data is never much larger than what it decodes to (stored blocks
  // add ~0.01%), so more wire bytes than this means an endless or padded stream.
  const rawCap = Math.ceil(maxBytes * 1.01) + 1024;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      rawBytes += chunk.length;
      if (rawBytes > rawCap) callback(new RawLimitReached());
      else callback(null, chunk);
    },
  });
  counter.on('error', note('limit'));
  const decoders = [...codings].reverse().map((coding, index) => {
    const decoder = (DECODERS[coding] as (first: Buffer | undefined) => Transform)(index === 0 ? (first ?? undefined) : undefined);
    decoder.on('error', note('decoder'));
    return decoder;
  });

  const stages: [Readable, ...Transform[]] = [stream, counter, ...decoders];
  const tail = stages[stages.length - 1] as Readable;
  // Failures surface through the iteration below; the callback only keeps pipeline from throwing.
  pipeline(stages, () => undefined);

  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of tail as AsyncIterable<Buffer>) {
      const room = maxBytes - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        truncated = true;
        break; // leaving the loop destroys the pipeline, and with it the connection
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (error) {
    const source = origin ?? { stage: 'stream', error };
    if (source.stage === 'limit' || error instanceof RawLimitReached) {
      truncated = true;
    } else if (source.stage === 'decoder') {
      const detail = source.error instanceof Error ? source.error.message : String(source.error);
      throw new BodyReadError('decode', `corrupt ${codings.join(', ')} content encoding: ${detail}`, rawBytes, source.error);
    } else {
      throw new BodyReadError('transport', 'body stream failed', rawBytes, source.error);
    }
  }
  if (truncated) stream.destroy();
  return { body: Buffer.concat(chunks, size), rawBytes, truncated };
}

/**
 * An uncoded body, read with plain stream events: an async iterator per body
 * (and its promise per chunk) cost more than the read itself on small bodies.
 */
function readIdentity(stream: Readable, maxBytes: number): Promise<BoundedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      const room = maxBytes - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        cleanup();
        stream.destroy(); // stop reading: the rest of an endless body is never fetched
        resolve({ body: Buffer.concat(chunks, size), rawBytes: size + (chunk.length - room), truncated: true });
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), rawBytes: size, truncated: false });
    };
    const onError = (error: unknown): void => {
      cleanup();
      reject(new BodyReadError('transport', 'body stream failed', size, error));
    };
    // Closed without 'end' or 'error' (destroyed from elsewhere): the body is incomplete.
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
