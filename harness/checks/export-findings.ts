/**
 * What the export checks share: how a finding names the request it is about,
 * how a check says that an earlier stage of the export failed (so one defect
 * gives one `fail`, and the checks after it `skip`), and number wording.
 */
import type { Completion } from '../export/export-job.js';
import type { ExportOutcome, ExportSession, MainExport } from '../export/export-session.js';
import type { Evidence } from '../results.js';
import type { ServiceCheckContext, ServiceFinding } from './check.js';

/** The skip of a profile that declares no export. */
export function noExportDeclared(): ServiceFinding {
  return { method: 'GET', path: '/', status: 'skip', message: 'the profile declares no bulk export (x-interop.export), so there is nothing to check' };
}

/** An export that reached its manifest, or the skip of a check that needs one, naming the check that reports why not. */
export type ManifestStage = { ok: false; finding: ServiceFinding } | { ok: true; completion: Extract<Completion, { ok: true }>; statusPath: string };

export function manifestStage(outcome: ExportOutcome): ManifestStage {
  const { kickoff, completion } = outcome;
  if (!kickoff.ok) return { ok: false, finding: { method: 'GET', path: pathOf(kickoff.url), status: 'skip', message: 'not checked: the export did not start (see export-kickoff)' } };
  if (!completion?.ok) {
    return { ok: false, finding: { method: 'GET', path: kickoff.statusUrl.pathname, status: 'skip', message: 'not checked: the export did not complete (see export-status)' } };
  }
  return { ok: true, completion, statusPath: kickoff.statusUrl.pathname };
}

/** The path (and query) of a URL, as a finding's `path`. */
export function pathOf(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.pathname}${parsed.search}`;
}

/** 1234567 → "1,234,567": counts a reader compares at a glance. */
export function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** "1 person", "25 persons", "2 events": counts of records of an export type. */
export function records(n: number, type: string): string {
  return `${count(n)} ${type}${n === 1 ? '' : 's'}`;
}

/** "a, b and c" for up to `shown` items, then "and N more". */
export function listed(items: readonly string[], shown = 5): string {
  if (items.length === 0) return '';
  const head = items.slice(0, shown);
  const more = items.length - head.length;
  if (more > 0) return `${head.join(', ')} and ${count(more)} more`;
  if (head.length === 1) return head[0]!;
  return `${head.slice(0, -1).join(', ')} and ${head.at(-1)!}`;
}

/**
 * What came back for a request, in words: the network failure, or the status,
 * naming a redirect the harness did not follow because it left the origin.
 *
 * @example answerOf(exchange) // 'answered 302 (a redirect to https://cdn.example/f, not followed: it leaves the supplier's origin)'
 */
export function answerOf(exchange: { evidence: Evidence; response?: { status: number; truncated: boolean } | undefined; transportError?: { message: string } | undefined }): string {
  if (exchange.transportError) return exchange.transportError.message;
  if (!exchange.response) return 'no response';
  const stopped = exchange.evidence.redirects?.find((hop) => !hop.followed);
  if (stopped) return `answered ${exchange.response.status} (a redirect to ${stopped.location}, not followed: it leaves the supplier's origin)`;
  if (exchange.response.truncated) return 'cut off at the --max-export-bytes limit';
  return `answered ${exchange.response.status}`;
}

/** A finding with its evidence attached only when there is some. */
export function withEvidence(finding: ServiceFinding, evidence: Evidence | undefined): ServiceFinding {
  return evidence ? { ...finding, evidence } : finding;
}

/** The run's main export when it reached its manifest; otherwise the finding (a skip) the check returns as it is. */
export type CompletedMainExport =
  | { ok: false; finding: ServiceFinding }
  | { ok: true; session: ExportSession; main: MainExport; completion: Extract<Completion, { ok: true }>; statusPath: string };

/**
 * What every check of the export's files starts with.
 *
 * @example
 *   const done = await completedMainExport(context);
 *   if (!done.ok) return done.finding;
 */
export async function completedMainExport(context: ServiceCheckContext): Promise<CompletedMainExport> {
  const session = context.exportSession();
  if (!session) return { ok: false, finding: noExportDeclared() };
  const main = await session.main();
  const stage = manifestStage(main);
  if (!stage.ok) return stage;
  return { ok: true, session, main, completion: stage.completion, statusPath: stage.statusPath };
}
