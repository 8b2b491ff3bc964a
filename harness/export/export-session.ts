/**
 * The bulk exports one run makes, each done once however many checks read it:
 * the main export (kick-off, status, manifest, every file streamed and read,
 * the list endpoints walked to compare with), and the smaller ones that the
 * cancel, CSV and incremental checks need. Checks only judge what this holds.
 */
import type { DownloadExchange, HttpExchange } from '../http/exchange-types.js';
import { isRecord } from '../json-pointer.js';
import { parseJsonBody } from '../json-body.js';
import { retryAfterMs, sleepUnlessAborted } from '../http/retry-after.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import { dialectOfVersion, formatIsAnnotation } from '../schema/schema-keywords.js';
import { walkCollection, type CollectionWalk } from './collection-walk.js';
import type { ExportSpec, ExportTypeSpec } from '../profile/export-annotation.js';
import { createFileReader, type FileReadOptions, type FileReading } from './export-file-reader.js';
import { createIdFingerprints } from './id-fingerprints.js';
import { MAX_KEPT_CHARS, type ListedIds } from './listed-ids.js';
import { awaitCompletion, kickOffExport, type Completion, type ExportRequest, type Kickoff } from './export-job.js';
import type { ExportTransport } from './export-transport.js';

/** Files downloaded at the most; export-manifest says so when a manifest lists more. */
export const MAX_FILES = 1000;
/** Checks that read the completed export; without any of them the main export stops at its kick-off. */
const NEEDS_MANIFEST: ReadonlySet<string> = new Set(['export-manifest', 'export-ndjson', 'export-integrity', 'export-completeness', 'export-format', 'export-incremental']);
/** Records compared with their single-record GET, per type. */
const SAMPLE_SIZE = 3;

/** One `output[]` entry of a manifest, as far as it could be read. */
export interface ManifestEntry {
  index: number;
  raw: unknown;
  type?: string;
  /** The file's URL resolved against the status URL; undefined when missing or not a URL. */
  url?: URL;
}

export interface ExportedFile {
  entry: ManifestEntry & { type: string; url: URL };
  spec: ExportTypeSpec;
  exchange: DownloadExchange;
  reading: FileReading;
  /** The whole file arrived: no transport failure, not cut off at --max-export-bytes. */
  whole: boolean;
}

/** An export taken from kick-off to its files. Later stages are absent when an earlier one failed. */
export interface ExportOutcome {
  request: ExportRequest;
  kickoff: Kickoff;
  completion?: Completion;
  /** `output[]` entries of the manifest, all of them (files beyond MAX_FILES are listed but not downloaded). */
  entries: ManifestEntry[];
  /** Files downloaded: entries of a requested type, on the target's origin. */
  files: ExportedFile[];
}

export interface SampleComparison {
  type: string;
  id: string;
  exported: Record<string, unknown>;
  exchange: HttpExchange;
}

export interface MainExport extends ExportOutcome {
  /** The list endpoints' ids, per type (only when completeness is checked). */
  lists: Map<string, CollectionWalk>;
  samples: SampleComparison[];
  /** Requested types absent from the manifest whose list endpoint shows no record. */
  emptyTypes: Set<string>;
}

export interface CancelOutcome {
  kickoff: Kickoff;
  /** The GET of the status URL before the DELETE, and why no DELETE followed it when none did. */
  before?: HttpExchange;
  notSent?: string;
  cancel?: HttpExchange;
  after?: HttpExchange;
}

export type IncrementalOutcome =
  | { ran: false; reason: string }
  | { ran: true; type: ExportTypeSpec; since: string; touchedId: string; touch: HttpExchange; export?: ExportOutcome };

export interface ExportSession {
  spec: ExportSpec;
  main(): Promise<MainExport>;
  cancel(): Promise<CancelOutcome>;
  csv(): Promise<ExportOutcome>;
  incremental(): Promise<IncrementalOutcome>;
  /** Stop whatever export work is still under way (the run has moved on). */
  close(): void;
}

export interface ExportSessionOptions {
  spec: ExportSpec;
  document: Record<string, unknown>;
  validators: CompiledValidators;
  transport: ExportTransport;
  /** Check ids selected for the run: work only they need (list walks, samples) is skipped otherwise. */
  checks: ReadonlySet<string>;
}

/**
 * @example
 *   const session = createExportSession({ spec, document, validators, transport, checks: new Set(['export-ndjson']) });
 *   const main = await session.main();
 */
export function createExportSession(sessionOptions: ExportSessionOptions): ExportSession {
  // Work started ahead of a check that then never asks for it (the CSV export) must not outlive the session.
  const stop = new AbortController();
  const transport: ExportTransport = {
    ...sessionOptions.transport,
    signal: sessionOptions.transport.signal ? AbortSignal.any([sessionOptions.transport.signal, stop.signal]) : stop.signal,
  };
  const options = { ...sessionOptions, transport };
  const { spec } = options;
  const once = <T>(work: () => Promise<T>): (() => Promise<T>) => {
    let promise: Promise<T> | undefined;
    return () => (promise ??= work());
  };
  const csv = once(() => takeExport(options, { types: spec.types.map((t) => t.name), outputFormat: 'text/csv' }, () => ({})));
  const main = once(() => {
    // The CSV export waits on the supplier as long as the main one: both run at once rather than one after the other.
    if (options.checks.has('export-csv')) csv().catch(() => undefined);
    return runMainExport(options);
  });
  return {
    spec,
    main,
    cancel: once(() => runCancel(transport, spec)),
    csv,
    incremental: once(async () => runIncremental(options, await main())),
    close: () => stop.abort(),
  };
}

async function runMainExport(options: ExportSessionOptions): Promise<MainExport> {
  const { spec, transport, document, checks } = options;
  const lists = new Map<string, CollectionWalk>();
  const wantLists = checks.has('export-completeness');
  const request: ExportRequest = { types: spec.types.map((t) => t.name) };
  const kickoff = await kickOffExport(transport, spec.kickoff, request);
  if (!kickoff.ok) return { request, kickoff, entries: [], files: [], lists, samples: [], emptyTypes: new Set() };
  // A profile that only asks whether an export starts (open-architecture) is not made to wait for it and read it.
  if (![...checks].some((id) => id === 'export-status' || NEEDS_MANIFEST.has(id))) return { request, kickoff, entries: [], files: [], lists, samples: [], emptyTypes: new Set() };

  // The lists are walked while the supplier prepares the export, so the two are close in time.
  const walking = wantLists
    ? Promise.all(spec.types.filter((t) => t.list !== undefined).map(async (t) => lists.set(t.name, await walkCollection(transport, document, t.list!))))
    : Promise.resolve();
  const completion = await awaitCompletion(transport, kickoff.statusUrl, transport.limits.exportWaitMs);
  await walking;
  if (!completion.ok) return { request, kickoff, completion, entries: [], files: [], lists, samples: [], emptyTypes: new Set() };

  const sampleIds = new Map<string, Set<string>>();
  const listings = new Map<string, ListedIds>();
  for (const [type, walk] of lists) {
    if (!walk.ok) continue;
    sampleIds.set(type, pickSamples(walk.listed));
    listings.set(type, walk.listed);
  }
  // One table per type, shared by its files: a record repeated in a second file is a duplicate too.
  // Listed ids are matched in the listing's own table; this one holds only the others.
  const fingerprints = new Map(spec.types.map((t) => [t.name, createIdFingerprints()]));
  const entries = readEntries(completion.manifest, kickoff.statusUrl);
  const files = await downloadFiles(options, completion.manifest, entries, request, (type) => ({
    ...(wantLists ? { fingerprints: fingerprints.get(type.name)! } : {}),
    ...(listings.has(type.name) ? { listed: listings.get(type.name)! } : {}),
    ...(sampleIds.has(type.name) ? { keepIds: sampleIds.get(type.name)! } : {}),
  }));

  const samples: SampleComparison[] = [];
  if (wantLists) {
    for (const type of spec.types) {
      if (type.item === undefined) continue;
      for (const [id, exported] of typeReading(files, type.name).kept) {
        const url = transport.resolve(type.item.replace(/\{[^}]+\}/, encodeURIComponent(id)));
        const exchange = await transport.send({ method: 'GET', url, headers: { ...transport.headers, accept: 'application/json' }, followRedirects: true });
        samples.push({ type: type.name, id, exported, exchange });
      }
    }
  }
  const emptyTypes = await typesWithNoRecords(options, request, entries, lists);
  return { request, kickoff, completion, entries, files, lists, samples, emptyTypes };
}

/**
 * Requested types the manifest has no file for, whose list endpoint is empty:
 * FHIR servers leave a type with no records out of `output[]`, and that is no fault.
 */
async function typesWithNoRecords(options: ExportSessionOptions, request: ExportRequest, entries: ManifestEntry[], lists: Map<string, CollectionWalk>): Promise<Set<string>> {
  const empty = new Set<string>();
  const listed = new Set(entries.map((e) => e.type));
  for (const type of options.spec.types) {
    if (!request.types.includes(type.name) || listed.has(type.name) || type.list === undefined) continue;
    const walk = lists.get(type.name) ?? (await walkCollection(options.transport, options.document, type.list, { maxPages: 1 }));
    if (walk.ok && walk.complete && walk.listed.size === 0) empty.add(type.name);
  }
  return empty;
}

/** Kick off, wait, and read every file of one export. */
async function takeExport(options: ExportSessionOptions, request: ExportRequest, readOptions: (type: ExportTypeSpec) => Partial<FileReadOptions>): Promise<ExportOutcome> {
  const { spec, transport } = options;
  const kickoff = await kickOffExport(transport, spec.kickoff, request);
  if (!kickoff.ok) return { request, kickoff, entries: [], files: [] };
  const completion = await awaitCompletion(transport, kickoff.statusUrl, transport.limits.exportWaitMs);
  if (!completion.ok) return { request, kickoff, completion, entries: [], files: [] };
  const entries = readEntries(completion.manifest, kickoff.statusUrl);
  const files = await downloadFiles(options, completion.manifest, entries, request, readOptions);
  return { request, kickoff, completion, entries, files };
}

/** Stream each file of a requested type on the target's origin through a reader, one at a time. */
async function downloadFiles(
  options: ExportSessionOptions,
  manifest: Record<string, unknown>,
  entries: ManifestEntry[],
  request: ExportRequest,
  readOptions: (type: ExportTypeSpec) => Partial<FileReadOptions>,
): Promise<ExportedFile[]> {
  const { spec, transport, validators } = options;
  const formatsAnnotate = formatIsAnnotation(dialectOfVersion(options.document.openapi));
  // FHIR: files need the access token only when the manifest says so; without it they are fetched anonymously.
  const headers = manifest['requiresAccessToken'] === false ? transport.anonymousHeaders : transport.headers;
  const files: ExportedFile[] = [];
  for (const entry of entries.slice(0, MAX_FILES)) {
    if (transport.signal?.aborted) break;
    const typeSpec = spec.types.find((t) => t.name === entry.type);
    if (!typeSpec || !request.types.includes(typeSpec.name) || entry.url === undefined || entry.url.origin !== transport.target.origin) continue;
    const reader = createFileReader({
      ...(validators.has(typeSpec.schemaPointer) ? { validate: (record: Record<string, unknown>) => validators.validate(typeSpec.schemaPointer, record) } : {}),
      maxLineBytes: transport.limits.maxBodyBytes,
      formatsAnnotate,
      ...readOptions(typeSpec),
    });
    const accept = request.outputFormat ?? 'application/x-ndjson, application/fhir+ndjson;q=0.9, */*;q=0.1';
    const exchange = await transport.download({ method: 'GET', url: entry.url.href, headers: { ...headers, accept }, followRedirects: true }, (head) => reader.openSink(head));
    const whole = exchange.response !== undefined && exchange.response.status === 200 && !exchange.response.truncated && exchange.transportError === undefined;
    const reading = reader.finish(whole);
    files.push({ entry: entry as ExportedFile['entry'], spec: typeSpec, exchange, reading, whole });
  }
  return files;
}

function readEntries(manifest: Record<string, unknown>, statusUrl: URL): ManifestEntry[] {
  const output: unknown[] = Array.isArray(manifest['output']) ? manifest['output'] : [];
  return output.map((raw, index) => {
    const type = isRecord(raw) && typeof raw['type'] === 'string' ? raw['type'] : undefined;
    let url: URL | undefined;
    if (isRecord(raw) && typeof raw['url'] === 'string') {
      try {
        url = new URL(raw['url'], statusUrl);
      } catch {
        url = undefined;
      }
    }
    return { index, raw, ...(type !== undefined ? { type } : {}), ...(url !== undefined ? { url } : {}) };
  });
}

/** What every file of one type held, added up: a type may be split across several files. */
export interface TypeReading {
  files: ExportedFile[];
  records: number;
  unlisted: number;
  unlistedSamples: FileReading['unlistedSamples'];
  duplicates: number;
  duplicateSamples: FileReading['duplicateSamples'];
  withoutId: number;
  kept: Map<string, Record<string, unknown>>;
}

/** The files of a type, summed. @example typeReading(main.files, 'person').records // 25 */
export function typeReading(files: readonly ExportedFile[], type: string): TypeReading {
  const total: TypeReading = { files: [], records: 0, unlisted: 0, unlistedSamples: [], duplicates: 0, duplicateSamples: [], withoutId: 0, kept: new Map() };
  for (const file of files) {
    if (file.spec.name !== type) continue;
    const { reading } = file;
    total.files.push(file);
    total.records += reading.records;
    total.unlisted += reading.unlisted;
    total.unlistedSamples.push(...reading.unlistedSamples);
    total.duplicates += reading.duplicates;
    total.duplicateSamples.push(...reading.duplicateSamples);
    total.withoutId += reading.withoutId;
    for (const [id, record] of reading.kept) if (!total.kept.has(id)) total.kept.set(id, record);
  }
  return total;
}

/** First, middle and last listed ids: a sample that catches both ends and the body of a collection. */
function pickSamples(listed: ListedIds): Set<string> {
  const { size } = listed;
  const positions = size <= SAMPLE_SIZE ? Array.from({ length: size }, (_, i) => i) : [0, Math.floor(size / 2), size - 1];
  // A kept id is cut to MAX_KEPT_CHARS: one that long could not be fetched by it, so it is no sample.
  return new Set(positions.map((i) => listed.at(i)!).filter((id) => id.length < MAX_KEPT_CHARS));
}

async function runCancel(transport: ExportTransport, spec: ExportSpec): Promise<CancelOutcome> {
  // The smallest export the profile allows: one type. It is the harness's own job that is cancelled.
  const kickoff = await kickOffExport(transport, spec.kickoff, { types: spec.types.slice(0, 1).map((t) => t.name) });
  if (!kickoff.ok) return { kickoff };
  // A DELETE goes, with the run's credentials and in a read-only run, only where the supplier showed an
  // export's status: a Content-Location naming one of its records (`/persons/1`) must not have it deleted.
  const before = await readStatusOnce(transport, kickoff.statusUrl);
  const notStatus = notExportStatus(before);
  if (notStatus !== undefined) return { kickoff, before, notSent: notStatus };
  const cancel = await transport.send({ method: 'DELETE', url: kickoff.statusUrl.href, headers: { ...transport.headers, accept: 'application/json' }, followRedirects: false });
  if (!cancel.response || cancel.response.status < 200 || cancel.response.status > 299) return { kickoff, cancel };
  const after = await transport.send({ method: 'GET', url: kickoff.statusUrl.href, headers: { ...transport.headers, accept: 'application/json' }, followRedirects: false });
  return { kickoff, cancel, after };
}

/** Transient answers a status URL may give (FHIR Bulk Data): waited out a few times, each wait bounded. */
const STATUS_TRIES = 3;
const MAX_STATUS_WAIT_MS = 5_000;

/**
 * One GET of a status URL, with a 429 or a 503 with Retry-After waited out (twice at most, each
 * wait at most 5 s): a busy server's status is still an export's, and the DELETE may go.
 */
async function readStatusOnce(transport: ExportTransport, statusUrl: URL): Promise<HttpExchange> {
  for (let attempt = 1; ; attempt++) {
    // No redirect followed: the DELETE goes to this URL, so this URL must be the one that answers as a status (fifth review).
    const exchange = await transport.send({ method: 'GET', url: statusUrl.href, headers: { ...transport.headers, accept: 'application/json' }, followRedirects: false });
    const response = exchange.response;
    const transient = response !== undefined && (response.status === 429 || (response.status === 503 && response.headers['retry-after'] !== undefined));
    if (!transient || attempt >= STATUS_TRIES) return exchange;
    const waited = await sleepUnlessAborted(Math.min(retryAfterMs(response.headers['retry-after']) ?? 1000, MAX_STATUS_WAIT_MS), transport.signal);
    if (!waited) return exchange;
  }
}

/**
 * Why a GET of a status URL does not show an export's status (FHIR Bulk Data: 202 while it runs, 200
 * with a manifest listing `output` once done); undefined where it does.
 */
function notExportStatus(exchange: HttpExchange): string | undefined {
  const status = exchange.response?.status;
  if (status === undefined) return `the status URL gave no answer to a GET (${exchange.transportError?.message ?? 'no response'})`;
  if (status === 202) return undefined;
  if (status === 200) {
    const body = parseJsonBody(exchange.response!.body);
    if (body.ok && isRecord(body.value) && Array.isArray(body.value['output'])) return undefined;
    return 'the status URL answered a GET with 200 but no manifest (an object listing `output`), so it may be a record rather than an export';
  }
  return `the status URL answered a GET with ${status}, neither 202 (running) nor 200 with a manifest`;
}

async function runIncremental(options: ExportSessionOptions, main: MainExport): Promise<IncrementalOutcome> {
  const { spec, transport } = options;
  if (!transport.allowWrites) {
    return { ran: false, reason: 'not checked in a read-only run: export-incremental changes one record and expects it in a _since export; run with --allow-writes to include it' };
  }
  const type = spec.types.find((t) => t.touch !== undefined && t.changedAt !== undefined);
  if (!type || !type.touch || !type.changedAt) return { ran: false, reason: 'the profile names no record type with `touch` and `changedAt` in x-interop.export, so no change can be made and looked for' };
  if (!transport.namedWrite(type.touch.method, type.touch.path)) {
    // --allow-writes writes only to records the run created; an export holds only records the supplier already has.
    return {
      ran: false,
      reason: `not sent: it would change an existing ${type.name} record (${type.touch.method} ${type.touch.path}), and the run writes only to records it created; name that write to allow it: --paths '${type.touch.method} ${type.touch.path}'`,
    };
  }
  const since = main.completion?.ok ? main.completion.manifest['transactionTime'] : undefined;
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) return { ran: false, reason: 'the first export gave no usable transactionTime to export changes since (see export-status and export-manifest)' };
  const touchedId = await firstId(options, type, main);
  if (touchedId === undefined) return { ran: false, reason: `no ${type.name} record was found to change (its list ${type.list ?? '(none)'} is empty or unreadable)` };
  const touch = await transport.sendNamedWrite({
    method: type.touch.method,
    url: transport.resolve(type.touch.path.replace(/\{[^}]+\}/, encodeURIComponent(touchedId))),
    headers: { ...transport.headers, accept: 'application/json', 'content-type': type.touch.contentType },
    body: JSON.stringify(type.touch.body),
    followRedirects: false,
  });
  const base = { ran: true as const, type, since, touchedId, touch };
  if (!touch.response || touch.response.status < 200 || touch.response.status > 299) return base;
  const sinceAt = Date.parse(since);
  const outcome = await takeExport(options, { types: [type.name], since }, () => ({ keepIds: new Set([touchedId]), since: { at: sinceAt, changedAt: type.changedAt! } }));
  return { ...base, export: outcome };
}

/** A record of the type to change: the first one the list endpoint (or, failing that, the main export) shows. */
async function firstId(options: ExportSessionOptions, type: ExportTypeSpec, main: MainExport): Promise<string | undefined> {
  const listed = main.lists.get(type.name);
  if (listed?.ok && listed.listed.size > 0) return usableId(listed.listed.at(0));
  if (type.list === undefined) return undefined;
  const walk = await walkCollection(options.transport, options.document, type.list, { maxPages: 1 });
  return walk.ok ? usableId(walk.listed.at(0)) : undefined;
}

/** A kept id cut to MAX_KEPT_CHARS may be a prefix of the real one: not usable in a URL. */
function usableId(id: string | undefined): string | undefined {
  return id !== undefined && id.length < MAX_KEPT_CHARS ? id : undefined;
}
