/**
 * Reads one export file as it streams in, with memory that does not grow with
 * the file: NDJSON lines are parsed, validated against the type's schema and
 * matched by id as they arrive; only counts, the first few problems and a
 * compact id fingerprint table are kept. CSV is counted row by row; anything
 * else is only hashed (by the HTTP layer) and sniffed.
 */
import { isUtf8 } from 'node:buffer';
import type { BodySink } from '../http/exchange-types.js';
import { getAtPointer, isRecord } from '../json-pointer.js';
import type { SchemaError } from '../results.js';
import { JSON_LINES_MEDIA_TYPES, mediaTypeEssence } from '../media-type.js';
import { createCsvRowCounter, type CsvRowCounter } from './csv-rows.js';
import type { IdFingerprints } from './id-fingerprints.js';
import type { ListedIds } from './listed-ids.js';
import { createLineSplitter, isBlankLine } from './ndjson-lines.js';

/** Problems kept with their line numbers; the rest are only counted. */
export const SAMPLES_KEPT = 5;

export type FileFormat = 'ndjson' | 'csv' | 'other';

export interface InvalidLine {
  line: number;
  /** The record's id when it had one. */
  id?: string;
  message: string;
  schemaErrors?: SchemaError[];
}

export interface FileReadOptions {
  /** Validate one record against its type's schema; [] when valid. Throws when validation could not run. */
  validate?: (record: Record<string, unknown>) => SchemaError[];
  /**
   * Whether `format` only annotates (OpenAPI 3.1 and later, JSON Schema 2020-12
   * Validation 7.2): a record whose every error is a format breach is then
   * counted in `formatOnly`, not `invalid`, as a response body would be a warning.
   */
  formatsAnnotate?: boolean;
  /** Ids the type's list endpoint returned, to match the export against (and to find duplicates among them). */
  listed?: ListedIds;
  /** Ids whose exported record is kept, to compare with a single-record GET or to find a changed record. */
  keepIds?: ReadonlySet<string>;
  /** With `_since`: records whose `changedAt` is before `since` (epoch ms) are counted. */
  since?: { at: number; changedAt: string };
  /** Longest NDJSON line read; a longer one is invalid and skipped without being held. */
  maxLineBytes: number;
  /**
   * Where ids are remembered to find duplicates, shared by every file of a
   * type (a record may be repeated in another file): about 25 bytes per
   * record, the only memory that grows with the export. Absent unless
   * completeness is checked.
   */
  fingerprints?: IdFingerprints;
}

/** What one file held, read while it streamed. */
export interface FileReading {
  format: FileFormat;
  /** Media type of the response, lower-case, without parameters ('' when none). */
  mediaType: string;
  /** The first bytes of the body, to recognise archives whatever the Content-Type says. */
  head: Buffer;
  /** NDJSON: non-blank lines; CSV: data rows (after the header). */
  records: number;
  blankLines: number;
  invalid: number;
  invalidSamples: InvalidLine[];
  /** With `formatsAnnotate`: records whose only schema errors are format breaches, valid otherwise. */
  formatOnly: number;
  formatOnlySamples: InvalidLine[];
  /** Records validation could not finish for (neither valid nor invalid). */
  unvalidated: number;
  withoutId: number;
  duplicates: number;
  duplicateSamples: Array<{ id: string; line: number; firstLine: number }>;
  /** Records whose id the list endpoint did not return (only counted when `listed` was given). */
  unlisted: number;
  unlistedSamples: Array<{ id: string; line: number }>;
  /** Records whose id was in `keepIds`. */
  kept: Map<string, Record<string, unknown>>;
  /** With `since`: records that last changed before it. */
  changedBefore: number;
  changedBeforeSamples: Array<{ id: string; changedAt: string }>;
  /** CSV: the header row's column names. */
  csvHeader?: string[];
}

/** A sink for the HTTP layer's download, and the reading it fills. */
export interface FileReader {
  openSink(head: { status: number; headers: Record<string, string> }): BodySink | undefined;
  /**
   * Finish the reading after the download returned. Only a whole file has its
   * last line (one without a newline) read: in a file cut off by the network
   * or a limit, that line is a fragment, not the supplier's data.
   */
  finish(whole: boolean): FileReading;
}

const HEAD_BYTES = 16;

/**
 * A reader for one file. Only a 200 is read as the file; any other answer is
 * left to the HTTP layer's bounded body, for the evidence.
 *
 * @example
 *   const reader = createFileReader({ validate: (r) => validators.validate(pointer, r), maxLineBytes: 1 << 20 });
 *   const exchange = await transport.download(request, (head) => reader.openSink(head));
 *   const reading = reader.finish(exchange.response !== undefined && !exchange.response.truncated);
 */
export function createFileReader(options: FileReadOptions): FileReader {
  const reading: FileReading = {
    format: 'other',
    mediaType: '',
    head: Buffer.alloc(0),
    records: 0,
    blankLines: 0,
    invalid: 0,
    invalidSamples: [],
    formatOnly: 0,
    formatOnlySamples: [],
    unvalidated: 0,
    withoutId: 0,
    duplicates: 0,
    duplicateSamples: [],
    unlisted: 0,
    unlistedSamples: [],
    kept: new Map(),
    changedBefore: 0,
    changedBeforeSamples: [],
  };
  const { fingerprints } = options;
  const sample = (samples: InvalidLine[], line: number, message: string, id?: string, schemaErrors?: SchemaError[]): void => {
    if (samples.length < SAMPLES_KEPT) samples.push({ line, message, ...(id !== undefined ? { id } : {}), ...(schemaErrors ? { schemaErrors: schemaErrors.slice(0, 3) } : {}) });
  };
  const invalidLine = (line: number, message: string, id?: string, schemaErrors?: SchemaError[]): void => {
    reading.invalid += 1;
    sample(reading.invalidSamples, line, message, id, schemaErrors);
  };

  const onRecord = (record: Record<string, unknown>, line: number): void => {
    const rawId = record['id'];
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
    if (options.validate) {
      try {
        const errors = options.validate(record);
        if (errors.length > 0) {
          const first = errors[0] as SchemaError;
          const message = `${first.pointer || '/'} ${first.message}`;
          if (options.formatsAnnotate && errors.every((e) => e.keyword === 'format')) {
            reading.formatOnly += 1;
            sample(reading.formatOnlySamples, line, message, id, errors);
          } else invalidLine(line, message, id, errors);
        }
      } catch {
        reading.unvalidated += 1;
      }
    }
    if (id === undefined) {
      reading.withoutId += 1;
      return;
    }
    // A listed id is remembered in the listing's table (the export line it was first on); any other in `fingerprints`.
    const match = options.listed?.see(id, line);
    const firstLine = match?.listed ? match.firstLine : fingerprints?.add(id, line);
    if (firstLine !== undefined) {
      reading.duplicates += 1;
      if (reading.duplicateSamples.length < SAMPLES_KEPT) reading.duplicateSamples.push({ id, line, firstLine });
    }
    if (match && !match.listed) {
      reading.unlisted += 1;
      if (reading.unlistedSamples.length < SAMPLES_KEPT) reading.unlistedSamples.push({ id, line });
    }
    if (options.keepIds?.has(id) && !reading.kept.has(id)) reading.kept.set(id, record);
    if (options.since) {
      const changed = getAtPointer(record, options.since.changedAt);
      const at = typeof changed === 'string' ? Date.parse(changed) : Number.NaN;
      // A record with no readable change time cannot be shown to be new: it counts against _since.
      if (!(at >= options.since.at)) {
        reading.changedBefore += 1;
        if (reading.changedBeforeSamples.length < SAMPLES_KEPT) reading.changedBeforeSamples.push({ id, changedAt: typeof changed === 'string' ? changed : String(changed) });
      }
    }
  };

  const splitter = createLineSplitter(
    (line, lineNumber) => {
      if (isBlankLine(line)) {
        reading.blankLines += 1;
        return;
      }
      reading.records += 1;
      if (!isUtf8(line)) return invalidLine(lineNumber, 'not valid UTF-8');
      let value: unknown;
      try {
        value = JSON.parse(line.toString('utf8'));
      } catch (error) {
        return invalidLine(lineNumber, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!isRecord(value)) return invalidLine(lineNumber, `not a JSON object (${Array.isArray(value) ? 'an array' : typeof value})`);
      onRecord(value, lineNumber);
    },
    {
      maxLineBytes: options.maxLineBytes,
      onOversizedLine(lineNumber, bytes) {
        reading.records += 1;
        invalidLine(lineNumber, `a line of ${size(bytes)}, longer than the ${size(options.maxLineBytes)} one record may take (--max-body); not read`);
      },
    },
  );

  let csv: CsvRowCounter | undefined;
  let started = false;
  const captureHead = (chunk: Buffer): void => {
    if (reading.head.length < HEAD_BYTES) reading.head = Buffer.concat([reading.head, chunk.subarray(0, HEAD_BYTES - reading.head.length)]);
  };

  return {
    openSink({ status, headers }) {
      if (status !== 200) return undefined;
      started = true;
      const contentType = headers['content-type'] ?? '';
      // One that does not parse is shown as it came: "(no Content-Type)" would say less than the truth.
      reading.mediaType = mediaTypeEssence(contentType) ?? contentType.trim();
      reading.format = JSON_LINES_MEDIA_TYPES.has(reading.mediaType) ? 'ndjson' : reading.mediaType === 'text/csv' ? 'csv' : 'other';
      if (reading.format === 'ndjson') {
        return {
          write(chunk) {
            captureHead(chunk);
            splitter.write(chunk);
          },
        };
      }
      if (reading.format === 'csv') {
        const counter = createCsvRowCounter();
        csv = counter;
        return {
          write(chunk) {
            captureHead(chunk);
            counter.write(chunk);
          },
        };
      }
      return { write: captureHead };
    },
    finish(whole) {
      if (!started) return reading;
      if (reading.format === 'ndjson' && whole) splitter.end();
      if (csv) {
        const counted = csv.end();
        reading.records = Math.max(0, counted.rows - 1);
        reading.csvHeader = counted.header;
      }
      return reading;
    },
  };
}

/** 1536 → "1.5 KB", 10485760 → "10 MB": sizes a reader takes in at a glance. */
function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, 'KB'] : bytes < 1024 ** 3 ? [bytes / 1024 ** 2, 'MB'] : [bytes / 1024 ** 3, 'GB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** Archive and container signatures: a file a force cannot read without knowing what is inside. */
const OPAQUE_SIGNATURES: ReadonlyArray<{ bytes: number[]; name: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], name: 'an empty ZIP archive' },
  { bytes: [0x1f, 0x8b], name: 'gzip-compressed data (not declared as a Content-Encoding)' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], name: 'a RAR archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], name: 'an OLE compound file (legacy Office)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], name: 'a PDF document' },
  { bytes: [0x42, 0x5a, 0x68], name: 'bzip2-compressed data' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a], name: 'xz-compressed data' },
];

/**
 * What the first bytes say the file is, when they say it is an archive or a
 * closed container; undefined otherwise.
 *
 * @example opaqueKind(Buffer.from('PK\x03\x04')) // 'a ZIP archive'
 */
export function opaqueKind(head: Buffer): string | undefined {
  return OPAQUE_SIGNATURES.find(({ bytes }) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b))?.name;
}
