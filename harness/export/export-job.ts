/**
 * One asynchronous bulk export, as HL7 FHIR Bulk Data Access defines it:
 * kick it off, then poll its status URL, honouring Retry-After, until the
 * manifest arrives or the export wait runs out. Every outcome is data with the
 * exchange behind it; nothing here throws for what a supplier does.
 */
import type { HttpExchange } from '../http/exchange-types.js';
import { retryAfterMs, sleepUnlessAborted } from '../http/retry-after.js';
import { isRecord } from '../json-pointer.js';
import { parseJsonBody } from '../json-body.js';
import type { ExportTransport } from './export-transport.js';

export interface ExportRequest {
  types: string[];
  /** `_since`, an instant as the supplier wrote it (its manifest's transactionTime). */
  since?: string;
  /** `_outputFormat`; the supplier's default (NDJSON) when absent. */
  outputFormat?: string;
}

export type Kickoff =
  | { ok: true; statusUrl: URL; url: string; exchange: HttpExchange }
  | { ok: false; url: string; exchange: HttpExchange; message: string; expected: string; actual: string };

/** Start an export: `GET <kickoff>?_type=…` with `Prefer: respond-async`, expecting 202 and a status URL on the target's origin. */
export async function kickOffExport(transport: ExportTransport, kickoffPath: string, request: ExportRequest): Promise<Kickoff> {
  const url = new URL(transport.resolve(kickoffPath));
  if (request.types.length > 0) url.searchParams.set('_type', request.types.join(','));
  if (request.since !== undefined) url.searchParams.set('_since', request.since);
  if (request.outputFormat !== undefined) url.searchParams.set('_outputFormat', request.outputFormat);
  const exchange = await transport.send({
    method: 'GET',
    url: url.href,
    headers: { ...transport.headers, accept: 'application/json, application/fhir+json;q=0.9', prefer: 'respond-async' },
    followRedirects: true,
  });
  const failed = (message: string, expected: string, actual: string): Kickoff => ({ ok: false, url: url.href, exchange, message, expected, actual });
  const response = exchange.response;
  if (!response) return failed(`the kick-off request got no response: ${exchange.transportError?.message ?? 'no response'}`, '202 Accepted', 'no response');
  if (response.status !== 202) {
    return failed(`the kick-off ${url.pathname}${url.search} answered ${response.status}, not 202 Accepted`, '202 Accepted with Content-Location', String(response.status));
  }
  const location = response.headers['content-location'];
  if (location === undefined || location.trim() === '') {
    return failed('the kick-off answered 202 without a Content-Location: there is no status URL to poll', 'a Content-Location header', 'none');
  }
  let statusUrl: URL;
  try {
    statusUrl = new URL(location.trim(), url);
  } catch {
    return failed(`the kick-off's Content-Location is not a URL: ${location.slice(0, 200)}`, 'an absolute status URL', location.slice(0, 200));
  }
  if (statusUrl.origin !== transport.target.origin) {
    return failed(
      `the status URL ${statusUrl.href} is on another origin (${statusUrl.origin}); it was not polled, so the access token never left ${transport.target.origin}`,
      `a status URL on ${transport.target.origin}`,
      statusUrl.href,
    );
  }
  return { ok: true, statusUrl, url: url.href, exchange };
}

/** One 202 answer while the export ran. */
export interface PollRecord {
  /** Milliseconds after polling started. */
  atMs: number;
  retryAfter?: string;
  progress?: string;
}

export type Completion =
  | { ok: true; manifest: Record<string, unknown>; exchange: HttpExchange; polls: PollRecord[]; waitedMs: number }
  | {
      ok: false;
      /** `fail`: the supplier's answer breaks the pattern; `error`: no answer to judge (network, run stopped). */
      verdict: 'fail' | 'error';
      exchange: HttpExchange;
      polls: PollRecord[];
      waitedMs: number;
      message: string;
      expected: string;
      actual: string;
    };

/** Shortest pause between polls, whatever Retry-After says: `Retry-After: 0` must not become a busy loop. */
const MIN_POLL_INTERVAL_MS = 250;
/** Pause between polls when a 202 carries no usable Retry-After; doubles up to the cap. */
const DEFAULT_POLL_INTERVAL_MS = 1_000;
const MAX_DEFAULT_POLL_INTERVAL_MS = 10_000;

/**
 * Poll the status URL until the manifest arrives (200), the export fails, or
 * `waitMs` is spent. A Retry-After longer than the wait left is not waited:
 * the answer says what was asked for and why the harness stopped.
 */
export async function awaitCompletion(transport: ExportTransport, statusUrl: URL, waitMs: number): Promise<Completion> {
  const started = performance.now();
  const polls: PollRecord[] = [];
  let fallback = DEFAULT_POLL_INTERVAL_MS;
  const elapsed = () => Math.round(performance.now() - started);
  const progressNote = () => {
    const last = polls.at(-1)?.progress;
    return last ? `; last progress: ${JSON.stringify(last.slice(0, 120))}` : '';
  };
  for (;;) {
    const exchange = await transport.send({ method: 'GET', url: statusUrl.href, headers: { ...transport.headers, accept: 'application/json' }, followRedirects: true });
    const stop = (message: string, expected: string, actual: string, verdict: 'fail' | 'error' = 'fail'): Completion => ({ ok: false, verdict, exchange, polls, waitedMs: elapsed(), message, expected, actual });
    const response = exchange.response;
    if (!response) return stop(`polling the status URL got no response: ${exchange.transportError?.message ?? 'no response'}`, '202 or 200', 'no response', 'error');
    if (response.status === 200) {
      if (response.truncated) {
        return stop(`the manifest is larger than the --max-body limit (${response.body.length} bytes read) and was cut off there; raise --max-body to read it`, 'a whole JSON manifest', 'cut off', 'error');
      }
      const body = parseJsonBody(response.body);
      if (!body.ok || !isRecord(body.value)) {
        return stop('the status URL answered 200, but its body is not a JSON object (the manifest)', 'a JSON manifest', response.body.subarray(0, 80).toString('utf8'));
      }
      return { ok: true, manifest: body.value, exchange, polls, waitedMs: elapsed() };
    }
    // FHIR: a transient 5xx while the export runs is retried; a 503 with Retry-After says so plainly.
    const transient = response.status === 503 && response.headers['retry-after'] !== undefined;
    if (response.status !== 202 && response.status !== 429 && !transient) {
      const elsewhere = exchange.evidence.redirects?.find((hop) => !hop.followed);
      const redirect = elsewhere ? ` (a redirect to ${elsewhere.location}, not followed: it leaves the supplier's origin)` : '';
      return stop(`the status URL answered ${response.status}${redirect} after ${polls.length} poll${polls.length === 1 ? '' : 's'}${progressNote()}`, '202 while running, then 200 with the manifest', String(response.status));
    }
    const retryAfter = response.headers['retry-after'];
    const progress = response.headers['x-progress'];
    polls.push({ atMs: elapsed(), ...(retryAfter !== undefined ? { retryAfter } : {}), ...(progress !== undefined ? { progress } : {}) });
    const asked = retryAfterMs(retryAfter);
    if (asked !== undefined && asked > waitMs) {
      // Longer than the whole export wait: no amount of patience within the bound would see the manifest.
      return stop(
        `the supplier asked to wait ${formatSeconds(asked)} (Retry-After: ${retryAfter}) before polling again, longer than the whole export wait (--export-wait ${formatSeconds(waitMs)}); not waited, stopped after ${polls.length} poll${polls.length === 1 ? '' : 's'}${progressNote()}`,
        `Retry-After within the export wait of ${formatSeconds(waitMs)}`,
        `Retry-After: ${retryAfter}`,
      );
    }
    let pause = asked ?? fallback;
    if (asked === undefined) fallback = Math.min(fallback * 2, MAX_DEFAULT_POLL_INTERVAL_MS);
    pause = Math.max(pause, MIN_POLL_INTERVAL_MS);
    if (pause > waitMs - elapsed()) {
      return stop(
        `the export had not completed after ${formatSeconds(elapsed())} (--export-wait ${formatSeconds(waitMs)}): ${polls.length} poll${polls.length === 1 ? '' : 's'} answered ${response.status}${progressNote()}`,
        `a manifest within ${formatSeconds(waitMs)}`,
        `still ${response.status} after ${polls.length} polls`,
      );
    }
    if (!(await sleepUnlessAborted(pause, transport.signal))) {
      return stop(`the run was stopped while the export was still running (${polls.length} polls${progressNote()})`, 'a manifest', 'run stopped', 'error');
    }
  }
}

/** `999999 s`, `1.5 s`, `300 s`: the unit a reader compares with the flag. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
