import type { PublishedDocument, ServiceCheckContext } from '../checks/check.js';
import { createExportSession, type ExportSession } from '../export/export-session.js';
import type { ExportTransport } from '../export/export-transport.js';
import type { BodySink, DownloadExchange, HttpExchange, OutgoingRequest, ResponseHead } from '../http/exchange-types.js';
import { isSensitiveHeader } from '../http/redactor.js';
import { readExportSpec } from '../profile/export-annotation.js';
import { discoveryPaths, fetchPublishedDocument } from './published-document.js';
import type { PreparedRun } from './run.js';

/** What service checks are given besides the prepared run: the run's (or a replay's) client, bounds and credentials. */
export interface ServiceContextInput {
  prepared: PreparedRun;
  /** Headers for requests that are not operations: user headers and credentials (a fetched token included). */
  serviceHeaders: Record<string, string>;
  /** The checks that run: an export session only does the work they ask for. */
  checks: ReadonlyArray<{ id: string }>;
  send(request: OutgoingRequest): Promise<HttpExchange>;
  /** A write the user named, sent by a service check (export-incremental's touch): the run records it. Defaults to `send`. */
  sendNamedWrite?(request: OutgoingRequest): Promise<HttpExchange>;
  download(request: OutgoingRequest, openSink: (head: ResponseHead) => BodySink | undefined): Promise<DownloadExchange>;
  signal: AbortSignal;
}

/**
 * The context service checks (discovery, export-*) run in, shared by a run
 * and a replay so both ask the same questions. The published document and
 * the export session are created on first use; `close()` ends the session.
 *
 * @example
 *   const service = createServiceContext({ prepared, serviceHeaders, checks, send, download, signal });
 *   try { await check.run(service.context); } finally { service.close(); }
 */
export function createServiceContext(input: ServiceContextInput): { context: ServiceCheckContext; close(): void } {
  const { prepared, serviceHeaders, signal } = input;
  const { options, profile, validators } = prepared;
  let published: Promise<PublishedDocument> | undefined;
  // Created on first use: a profile without x-interop.export, or a run without export checks, never builds one.
  const exports: { session?: ExportSession; created: boolean } = { created: false };
  const exportTransport: ExportTransport = {
    target: options.target,
    headers: serviceHeaders,
    anonymousHeaders: withoutCredentials(serviceHeaders),
    limits: options.limits,
    allowWrites: options.allowWrites,
    namedWrite: (method, path) => options.allowWrites && prepared.namedWrites.has(`${method.toUpperCase()} ${path}`),
    signal,
    resolve: (path) => options.target.href.replace(/\/$/, '') + (path.startsWith('/') ? path : `/${path}`),
    send: input.send,
    sendNamedWrite: input.sendNamedWrite ?? input.send,
    download: input.download,
  };
  const context: ServiceCheckContext = {
    target: options.target,
    document: profile.document,
    validators,
    headers: serviceHeaders,
    send: input.send,
    // Anonymously: a published API description is for anyone to read before they hold credentials.
    publishedDocument: () => (published ??= fetchPublishedDocument(input.send, options.target, withoutCredentials(serviceHeaders), discoveryPaths(profile.document))),
    exportSession() {
      if (!exports.created) {
        exports.created = true;
        const spec = readExportSpec(profile.document);
        if (spec) exports.session = createExportSession({ spec, document: profile.document, validators, transport: exportTransport, checks: new Set(input.checks.map((c) => c.id)) });
      }
      return exports.session;
    },
  };
  return { context, close: () => exports.session?.close() };
}

/** Request headers with every credential removed (Authorization, cookies, API keys, user --header values). */
export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isSensitiveHeader(name)));
}
