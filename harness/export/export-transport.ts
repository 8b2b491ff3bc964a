/**
 * What the export checks need from the run: its HTTP client (bounded, same
 * origin, evidence captured), the credentials every request carries, and the
 * limits that bound an export. The runner builds one per run.
 */
import type { BodySink, DownloadExchange, HttpExchange, OutgoingRequest } from '../http/exchange-types.js';

export interface ExportTransport {
  target: URL;
  /** Headers for every request (User-Agent, credentials, user headers). */
  headers: Record<string, string>;
  /** The same headers with every credential removed, for files whose manifest says no token is needed. */
  anonymousHeaders: Record<string, string>;
  /** The run's limits that bound an export (the report's `options.limits` records them). */
  limits: { exportWaitMs: number; maxExportBytes: number; maxPages: number; maxBodyBytes: number };
  /** Whether the user allowed writes (--allow-writes): export-incremental changes one record. */
  allowWrites: boolean;
  /**
   * Whether the user named this write with an include filter (`--operations`,
   * `--paths`): the one way a check may change a record the run did not create.
   */
  namedWrite(method: string, pathTemplate: string): boolean;
  /** The run's stop signal (time limit or cancel). */
  signal?: AbortSignal;
  /** An absolute URL for a path on the target, under its base path. */
  resolve(path: string): string;
  send(request: OutgoingRequest): Promise<HttpExchange>;
  /** Send a write the user named (`namedWrite`): as `send`, and the run lists it in its report as a write to data it did not create. */
  sendNamedWrite(request: OutgoingRequest): Promise<HttpExchange>;
  download(request: OutgoingRequest, openSink: (head: { status: number; headers: Record<string, string> }) => BodySink | undefined): Promise<DownloadExchange>;
}
