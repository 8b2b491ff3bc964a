/**
 * Replay: the question a supplier fixing a bug asks in CI, "does this failure
 * still happen?". Each chosen result's recorded request is rebuilt from its
 * evidence (method, path and query, headers, body as recorded), its
 * credential positions emptied and refilled with fresh credentials (never the
 * report's placeholders), sent within a run's bounds to one origin only, and
 * judged again by the same check.
 *
 * A service check (discovery, export-*) is about the service as a whole, not
 * one request: it is run again the way a run runs it.
 *
 * A create sent again (with --allow-writes) made a record: it is deleted
 * right after it is judged, as a run's lifecycle deletes its own, or listed
 * as left behind (replay-cleanup.ts).
 */
import { pathTemplateNames, templatePattern } from '../path-template.js';
import { CHECKS } from '../checks/index.js';
import type { Check, NegativeCheck, ServiceFinding } from '../checks/check.js';
import { HarnessError, isHarnessError } from '../errors.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import { createHttpClient, type HttpClient } from '../http/http-client.js';
import { isSensitiveHeader, isSecretFieldName, REDACTED, type Redactor } from '../http/redactor.js';
import { buildPlanCredentials, credentialsFor, isEmpty, isSchemeParameter, serviceCredentialHeaders, type AppliedCredentials, type PlanCredentials } from '../plan/credentials.js';
import { FORGED_API_KEY, FORGED_AUTHORIZATION } from '../http/forged-token.js';
import { documentsRedirect } from '../plan/plan-probe.js';
import { lifecycleCreating, READ_METHODS } from '../plan/write-plan.js';
import type { OperationSpec } from '../profile/profile-types.js';
import type { Report, RunLimits } from '../report/report-types.js';
import { withResultIds } from '../report/result-ids.js';
import { deletedRecordAt } from '../report/deleted-records.js';
import type { CheckResult, NegativeMutation, RequestEvidence } from '../results.js';
import { checkExchange, serverErrorsJudgedBy, toResults, type CheckStage } from './check-exchange.js';
import { judgeNegative } from './negative-phase.js';
import { listBeforeReplayedCreate, removeReplayedCreate, replayCleanupRecord, sentBase, type CreatedByReplay, type ReplayCleanUp } from './replay-cleanup.js';
import type { ListedRecords } from '../plan/listed-records.js';
import { namedChange, queryActionChange } from '../plan/named-change.js';
import { undocumentedGetRefusal } from '../plan/negative-plan.js';
import type { RunOptions } from './run-options.js';
import { clientCredentialsToken, executeRun, prepareRun, SERVICE_OPERATION_ID, type PreparedRun } from './run.js';
import { createServiceContext } from './service-context.js';

/** What replay takes: the report (already read strictly), which results, where, and fresh credentials as for a run. */
export interface ReplayOptions
  extends Pick<
    RunOptions,
    'headers' | 'token' | 'tokenVariable' | 'apiKey' | 'apiKeyVariable' | 'basic' | 'placedCredentials' | 'clientId' | 'clientSecret' | 'tokenUrl' | 'secrets' | 'allowRemoteRefs' | 'signal'
  > {
  report: Report;
  /** Result ids to replay (`--result`); default: every failed result. An unknown id is RESULT_NOT_FOUND. */
  resultIds?: string[];
  /** Another base URL for the same API (`--target`): the recorded URLs' origin is replaced by its. Default: the report's target. */
  target?: string;
  /** The profile to judge with (`--profile`); default: the one the report names. */
  profile?: string;
  /** Send recorded writes (POST, PUT, PATCH, DELETE) again; off by default, as for a run. */
  allowWrites?: boolean;
  limits?: Partial<RunLimits>;
  /** The folder a relative profile path in the report is read from. */
  cwd: string;
  /** Called once before the first request, with what is about to be replayed. */
  onStart?: (outcome: ReplayOutcome, count: number) => void;
  /** Called after each result is replayed, in order. */
  onReplayed?: (replayed: ReplayedResult) => void;
}

/**
 * - `reproduces`: the same check fails again on the new exchange
 * - `fixed`: it passes now (or only warns), and the endpoint did not answer with a 5xx
 * - `inconclusive`: it was sent, but the check could not judge it now (skip, error, no response),
 *   or it passes only because the endpoint, which answered the run otherwise, now answers with a server error
 * - `not-replayed`: it could not be sent as recorded (a redacted value, a write without --allow-writes, …)
 */
export type ReplayStatus = 'reproduces' | 'fixed' | 'inconclusive' | 'not-replayed';

export interface ReplayedResult {
  id: string;
  /** The result as the report recorded it. */
  recorded: CheckResult;
  status: ReplayStatus;
  /** The same check's verdict now, with the new exchange as evidence (absent when not replayed). */
  now?: CheckResult;
  /** Why it was not replayed, or why the verdict is inconclusive. */
  reason?: string;
  /** A create sent again (with --allow-writes) that made a record: removed, or left behind and why. */
  cleanup?: CreatedByReplay;
}

export interface ReplayOutcome {
  /** The base URL the requests went to. */
  target: string;
  profile: { id: string; version: string };
  /** Things the reader should know before trusting the verdicts (a different profile text, say). */
  warnings: string[];
  replayed: ReplayedResult[];
  /**
   * With --allow-writes: the records this replay created (creates sent again,
   * lifecycles run again), which it deleted, and each left behind with its URL
   * and why, as a run's report has them.
   */
  cleanup?: NonNullable<Report['cleanup']>;
}

type IdentifiedResult = CheckResult & { id: string };

/**
 * Where the replay goes: `--target`'s origin with the report's base path. Recorded
 * requests keep their recorded paths, which hold that base; service checks and
 * lifecycles run again must ask the same API, not whatever another path serves.
 * A `--target` path that differs is said, not silently used for some requests only.
 */
function replayTargetOf(given: string | undefined, recorded: string): { target: string; pathIgnored?: string } {
  if (given === undefined) return { target: recorded };
  let replayUrl: URL;
  let recordedUrl: URL;
  let target: string;
  try {
    replayUrl = new URL(given);
    recordedUrl = new URL(recorded);
    target = new URL(`${recordedUrl.pathname}${recordedUrl.search}`, replayUrl.origin).href;
  } catch {
    // Not an http(s) URL: run's own target check says so, naming it (exit 2).
    return { target: given };
  }
  // A query or credentials in --target, or another scheme, are refused by run's own check (exit 2),
  // which says why: dropping them here would replay without what the user meant to send.
  if (replayUrl.search !== '' || replayUrl.username !== '' || replayUrl.password !== '' || !/^https?:$/.test(replayUrl.protocol)) return { target: given };
  const strip = (path: string) => path.replace(/\/+$/, '');
  if (strip(replayUrl.pathname) === '' || strip(replayUrl.pathname) === strip(recordedUrl.pathname)) return { target };
  return { target, pathIgnored: `--target's path ${replayUrl.pathname} is not used: the replay asks the report's API at ${recordedUrl.pathname} on ${replayUrl.origin}, as its recorded requests do` };
}

/**
 * Replay a report's failed results (or the ones named) and judge each again.
 * Throws HarnessError on bad input: an unknown result id, a profile that
 * cannot be loaded, credentials the recorded requests need and were not given.
 *
 * @example
 *   const outcome = await replay({ report: await readReportFile('report.json'), target: 'http://127.0.0.1:8080', cwd: process.cwd() });
 *   outcome.replayed.some((r) => r.status === 'reproduces'); // the bug is still there
 */
export async function replay(options: ReplayOptions): Promise<ReplayOutcome> {
  const { report } = options;
  const chosen = chooseResults(report, options.resultIds);
  const { target, pathIgnored } = replayTargetOf(options.target, report.target.url);
  // Nothing failed: nothing to load or send (the profile may not even be at hand).
  if (chosen.length === 0) return { target, profile: { id: report.profile.id, version: report.profile.version }, warnings: [], replayed: [] };
  const prepared = await prepareReplay(options, target);
  const { profile } = prepared;
  const warnings: string[] = [];
  if (pathIgnored) warnings.push(pathIgnored);
  if (profile.info.sha256 !== report.profile.sha256) {
    warnings.push(`the profile ${profile.info.source} is not the text the report was made with (sha256 differs): results are judged against this one`);
  }
  for (const warning of prepared.warnings) if (warning.code === 'credentials-missing') warnings.push(warning.message);
  const outcome: ReplayOutcome = { target: prepared.options.target.href, profile: { id: profile.info.id, version: profile.info.version }, warnings, replayed: [] };

  const token = await clientCredentialsToken(prepared);
  // A fetched token is a secret like any other: redacted wherever the supplier echoes it.
  const redactor = token ? prepared.redactor.withSecrets([token]) : prepared.redactor;
  const given = token ? { ...prepared.credentials, token } : prepared.credentials;
  const credentials = buildPlanCredentials(profile.document, profile.operations, given);
  const { limits } = prepared.options;
  const replayTarget = prepared.options.target;

  // Every request is rebuilt before any is sent: a credential missing for one is bad input, found before the supplier sees anything.
  const planned = chosen.map((result) => planReplay(result, { report, results: chosen.all, prepared, credentials, replayTarget }));
  const missing = planned.flatMap((p) => (p.kind === 'missing-credentials' ? [p] : []));
  if (missing.length > 0) {
    const first = missing[0]!;
    throw new HarnessError(
      'USAGE',
      `result ${first.result.id} was recorded with a credential (${first.places.join(', ')}), and replay sends only fresh ones: give credentials as for run (--token-env VAR, --client-id with INTEROP_CLIENT_SECRET, --api-key-env VAR, --header-env 'Name=VAR', …)` +
        (missing.length > 1 ? `; ${missing.length - 1} more result(s) need them too` : ''),
    );
  }

  options.onStart?.(outcome, planned.length);
  const lifecycleChecks = [...new Set(planned.flatMap((p) => (p.kind === 'lifecycle' ? [p.check.id] : [])))];
  const lifecycles = lifecycleChecks.length > 0 ? await rerunLifecycles(options, target, lifecycleChecks) : undefined;
  const client = createHttpClient({ targetUrl: replayTarget.href, limits, redactor, connections: 1 });
  const deadline = AbortSignal.timeout(limits.runTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  prepared.validators.setRunDeadline(performance.now() + limits.runTimeoutMs);
  const send = (request: OutgoingRequest): Promise<HttpExchange> => client.send(request, signal);
  const cleanUp: ReplayCleanUp | undefined = prepared.options.allowWrites
    ? { writePlan: prepared.writePlan, planContext: { ...prepared.planContext, credentials }, client, requestTimeoutMs: limits.requestTimeoutMs, maxJsonValues: limits.maxJsonValues, redactor, operations: prepared.profile.operations }
    : undefined;
  try {
    for (const plan of planned) {
      let replayed: ReplayedResult;
      if (plan.kind === 'not-replayed') replayed = { id: plan.result.id, recorded: plan.result, status: 'not-replayed', reason: plan.reason };
      else if (plan.kind === 'service') replayed = await replayServiceCheck(plan.result, plan.check, { prepared, client, send, signal, given, redactor });
      else if (signal.aborted) replayed = { id: plan.result.id, recorded: plan.result, status: 'not-replayed', reason: `not sent: the time limit of ${limits.runTimeoutMs / 1000} s (--run-timeout) was reached first` };
      else if (plan.kind === 'request') replayed = await replayRequest(plan, { prepared, send, redactor, signal, cleanUp, runChecks: report.options.checks });
      else if (plan.kind === 'negative') replayed = await replayNegative(plan, { prepared, send, redactor, signal, cleanUp, runChecks: report.options.checks }, report);
      else if (plan.kind === 'lifecycle') replayed = lifecycleVerdict(plan.result, lifecycles!, redactor);
      else continue; // missing credentials: refused above, before anything was sent
      outcome.replayed.push(replayed);
      options.onReplayed?.(replayed);
    }
  } finally {
    await client.close();
  }
  if (prepared.options.allowWrites) outcome.cleanup = replayCleanupRecord(outcome.replayed.map((r) => r.cleanup), lifecycles);
  return outcome;
}

/** The failed results, or the ones named; an id the report does not hold is bad input naming it. */
function chooseResults(report: Report, ids: readonly string[] | undefined): IdentifiedResult[] & { all: readonly IdentifiedResult[] } {
  // A report from before ids: the same function gives the ids its run would have written.
  const results = report.results.every((r) => r.id !== undefined) ? (report.results as IdentifiedResult[]) : withResultIds(report.results);
  const withAll = (chosen: IdentifiedResult[]) => Object.assign(chosen, { all: results });
  if (ids === undefined || ids.length === 0) return withAll(results.filter((r) => r.status === 'fail'));
  const byId = new Map(results.map((r) => [r.id, r]));
  return withAll([...new Set(ids)].map((id) => {
    const found = byId.get(id);
    if (found) return found;
    const failed = results.filter((r) => r.status === 'fail').map((r) => r.id);
    const hint = failed.length > 0 ? `; its failed results are ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ` and ${failed.length - 5} more` : ''}` : '; it has no failed results';
    throw new HarnessError('RESULT_NOT_FOUND', `the report has no result with id ${JSON.stringify(id.slice(0, 200))}${hint}`);
  }));
}

/**
 * The request the probe sent. A probe check's finding may carry the
 * evidence of its own follow-up (a content download, a request without
 * credentials): the check asks that again itself, so what is replayed is the
 * probe's request, which every response check of the same probe recorded. A
 * probe's results sit together in report order; the nearest one is taken.
 */
function probeRequest(results: readonly IdentifiedResult[], result: IdentifiedResult, check: Check): RequestEvidence | undefined {
  const own = result.evidence?.request;
  if (check.kind !== 'probe') return own;
  const index = results.indexOf(result);
  const sameOperation = (r: CheckResult | undefined) => r !== undefined && r.operationId === result.operationId && r.method === result.method && r.path === result.path;
  const isResponseCheck = (r: CheckResult) => CHECKS.some((c) => c.id === r.check && c.kind === 'response');
  for (let distance = 1; index >= 0 && distance < results.length; distance++) {
    const before = results[index - distance];
    const after = results[index + distance];
    if (!sameOperation(before) && !sameOperation(after)) break;
    for (const near of [before, after]) if (near && sameOperation(near) && isResponseCheck(near) && near.evidence) return near.evidence.request;
  }
  return own;
}

/** Load the profile the report names (or --profile), compile it, read the credentials: a run's preparation. */
async function prepareReplay(options: ReplayOptions, target: string, extra: Partial<RunOptions> = {}): Promise<PreparedRun> {
  const source = options.report.profile.source;
  const profile = options.profile ?? profileReference(source, options.cwd);
  const { report: _report, resultIds: _ids, target: _target, profile: _profile, onStart: _onStart, onReplayed: _onReplayed, ...runOptions } = options;
  try {
    return await prepareRun({ ...runOptions, profile, target, ...extra });
  } catch (error) {
    if (options.profile === undefined && isHarnessError(error) && (error.code === 'PROFILE_NOT_FOUND' || error.code === 'PROFILE_UNREADABLE')) {
      throw new HarnessError(error.code, `${error.message}; the report names its profile as ${JSON.stringify(source.slice(0, 300))}: pass --profile <path|id> to give it`, { cause: error });
    }
    throw error;
  }
}

/**
 * What `profile.source` in a report means here: `bundled:<id>` is the bundled
 * profile, a URL is fetched again, anything else is a path (reports write
 * paths relative to the folder the run started in).
 */
function profileReference(source: string, cwd: string): string {
  if (source.startsWith('bundled:')) return source.slice('bundled:'.length);
  if (/^https?:\/\//i.test(source)) return source;
  return source.startsWith('/') ? source : `${cwd.replace(/[\\/]$/, '')}/${source}`;
}

type ReplayPlan =
  | { kind: 'request'; result: IdentifiedResult; check: Check; operation: OperationSpec; request: OutgoingRequest; inputSources: Record<string, string> }
  | { kind: 'negative'; result: IdentifiedResult; check: NegativeCheck; negative: NegativeMutation; operation: OperationSpec; request: OutgoingRequest }
  | { kind: 'service'; result: IdentifiedResult; check: Extract<Check, { kind: 'service' }> }
  | { kind: 'lifecycle'; result: IdentifiedResult; check: Extract<Check, { kind: 'lifecycle' }> }
  | { kind: 'not-replayed'; result: IdentifiedResult; reason: string }
  | { kind: 'missing-credentials'; result: IdentifiedResult; places: string[] };

interface PlanInput {
  report: Report;
  /** The report's results with their ids, in report order. */
  results: readonly IdentifiedResult[];
  prepared: PreparedRun;
  credentials: PlanCredentials;
  replayTarget: URL;
}

/** A `${VAR}` placeholder the redactor wrote for a credential read from the environment. */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

function planReplay(result: IdentifiedResult, input: PlanInput): ReplayPlan {
  const notReplayed = (reason: string): ReplayPlan => ({ kind: 'not-replayed', result, reason });
  const check = CHECKS.find((c) => c.id === result.check);
  if (!check) return notReplayed(result.check === 'probe' ? 'not a check: the operation was not probed (see its message)' : `this harness has no check ${result.check}`);
  if (check.kind === 'service') return { kind: 'service', result, check };
  if (check.kind === 'lifecycle') {
    // The record it read was the run's own, and is gone: only a new lifecycle can show it again.
    if (!input.prepared.options.allowWrites) return notReplayed(`${check.id} judges a record the run created: pass --allow-writes to run that lifecycle again (create, read, delete)`);
    return { kind: 'lifecycle', result, check };
  }
  const { profile } = input.prepared;
  const operation =
    profile.operations.find((o) => o.operationId === result.operationId && o.method === result.method && o.path === result.path) ??
    profile.operations.find((o) => o.method === result.method && o.path === result.path);
  if (!operation) return notReplayed(`the profile has no operation ${result.method} ${result.path} (${result.operationId}): pass --profile with the one the report was made with`);
  const recorded = probeRequest(input.results, result, check);
  // A negative case the run left unsent (its valid request got no 2xx) has nothing to send again.
  if (!recorded) return notReplayed(result.negative && !result.evidence ? 'the run did not send this case, so there is no request to send again' : 'no request was recorded for this result');
  const deleted = deletedRecordAt(input.report, recorded.url);
  if (deleted !== undefined) {
    // Its id may now name another record (SQLite reuses the highest), or nothing: either way not the one judged.
    return notReplayed(`the request went to a record the run created and then deleted (${deleted}): sent again, it would judge whatever that id names now; a new run with --allow-writes judges it on a record of its own`);
  }
  const negative = result.negative;
  if ((check.kind === 'negative') !== (negative !== undefined)) return notReplayed(`the result and its check ${check.id} disagree about being part of the negative phase`);
  const rebuilt = rebuildRequest(recorded, operation, input, credentialMode(negative));
  if (rebuilt.kind === 'refused') return notReplayed(rebuilt.reason);
  if (rebuilt.missing.length > 0) return { kind: 'missing-credentials', result, places: rebuilt.missing };
  // The undocumented GET asked of a path whose methods all change data: as the run asks it, only with
  // --allow-writes and where neither the path's names nor a parameter make it a possible change (NocoBase's
  // `GET /notes:create` made a note on every replay).
  if (negative?.location === 'method' && rebuilt.request.method === 'GET') {
    if (!input.prepared.options.allowWrites) return notReplayed(`not sent: the run asked ${operation.path} this undocumented GET only with --allow-writes, since a server may do on GET what its ${operation.method} does; pass --allow-writes to send it again`);
    const refused = undocumentedGetRefusal(operation, input.prepared.writePlan);
    if (refused !== undefined) return notReplayed(`not sent, even with --allow-writes: ${refused}`);
  }
  // A GET named as a change (`GET /createGroup`) is a write whatever its method, and replay cannot undo it.
  const named = rebuilt.request.method === operation.method ? namedChange(operation) : undefined;
  if (named !== undefined) return notReplayed(`not sent, even with --allow-writes: ${operation.method} ${operation.path} is ${named}, and replay sends again only a POST to a collection, whose record it can delete`);
  // TRACE is sent only as the negative phase sent it: to ask a path that does not document it, without credentials.
  const safe = READ_METHODS.has(rebuilt.request.method) || (rebuilt.request.method === 'TRACE' && negative?.location === 'method');
  // The records a recorded DELETE, PUT or PATCH named were the run's own (and gone) or real ones: replay changes neither. Only a create may go again.
  // Said first, with or without --allow-writes: a hint to pass the flag would promise what it never does.
  if (!safe && rebuilt.request.method === 'POST' && operation.path.includes('{')) {
    // Unleash: `POST /projects/{projectId}/features` was refused with words saying it was no POST to a collection;
    // the same words serve an action on a record (`POST /things/{id}/publish`), which adds nothing.
    return notReplayed(`not sent, even with --allow-writes: POST ${operation.path} goes to a path with a parameter ({${pathTemplateNames(operation.path).join('}, {')}}), so it adds to or changes a record this replay did not create; only a POST to a collection at a fixed path is sent again (lifecycle checks re-run their own lifecycle, under a parent the run names with --var)`);
  }
  if (!safe && rebuilt.request.method !== 'POST') {
    return notReplayed(`not sent, even with --allow-writes: ${rebuilt.request.method} ${operation.path} would change a record this replay did not create; only a POST to a collection is sent again (lifecycle checks re-run their own lifecycle)`);
  }
  // The write plan, which knows the DELETE, is only made with --allow-writes: a POST is judged against it after.
  if (!safe && !input.prepared.options.allowWrites) {
    return notReplayed(`not sent: ${rebuilt.request.method} changes data; pass --allow-writes to send it again (a POST to a collection, whose record replay then deletes)`);
  }
  // A POST the write plan gives no DELETE for (`POST /persons/search`, `POST /features/validate`) may be an
  // action or may make a record nobody could remove: replay sends a create only when it can clean up after it.
  if (!safe && !lifecycleCreating(input.prepared.writePlan, operation)) {
    return notReplayed(`not sent, even with --allow-writes: the document gives no DELETE for what ${rebuilt.request.method} ${operation.path} may create, so the replay could not remove it`);
  }
  if (!safe && !sentBase(rebuilt.request.url, operation.path)) {
    return notReplayed(`not sent, even with --allow-writes: the recorded URL does not end with ${operation.path}, so the replay could not tell where to send the DELETE for what it creates`);
  }
  if (check.kind === 'negative' && negative) return { kind: 'negative', result, check, negative, operation, request: rebuilt.request };
  const inputSources = recordedInputs(input.report, result);
  return { kind: 'request', result, check, operation, request: rebuilt.request, inputSources };
}

/** Where the run took each input from, as its coverage recorded it: the check judges a refusal of made-up values as the run did. */
function recordedInputs(report: Report, result: CheckResult): Record<string, string> {
  const coverage = report.coverage?.find((c) => c.operationId === result.operationId && c.method === result.method && c.path === result.path);
  return coverage ? coverage.inputs : {};
}

type Rebuilt = { kind: 'refused'; reason: string } | { kind: 'ok'; request: OutgoingRequest; missing: string[] };

/**
 * Which credentials the replayed request carries: fresh ones, as a rule; none
 * or the same unsigned token when the negative phase took them away on
 * purpose (`ignored-auth`), and none on a TRACE (it echoes the request back).
 */
type CredentialMode = 'fresh' | 'none' | 'invalid-token' | 'invalid-key';

function credentialMode(negative: NegativeMutation | undefined): CredentialMode {
  if (negative?.location === 'credentials') return negative.mutation === 'invalid-token' || negative.mutation === 'invalid-key' ? negative.mutation : 'none';
  if (negative?.location === 'method' && negative.name === 'TRACE') return 'none';
  return 'fresh';
}

const NO_CREDENTIALS: AppliedCredentials = { headers: {}, query: {}, cookies: {} };

/**
 * Headers about the connection, which the HTTP client sets itself: a run never
 * records them, and one in an edited report (a `Host` naming another site
 * behind the same address) is not sent.
 */
const CONNECTION_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-connection']);

/**
 * What a recorded path's parameter values carry that the run never sends there: a raw `:` or `;`
 * (the run percent-encodes every value) or an encoded `/` (a proxy may decode it into a path).
 * Judged segment by segment from the end, where the template's parameters sit: the base path is
 * the target's, and the template's fixed text is the document's.
 */
function actionInPathValue(recordedPath: string, template: string): string | undefined {
  const recorded = recordedPath.replace(/\/+$/, '').split('/');
  const templated = template.replace(/\/+$/, '').split('/');
  for (let i = 1; i <= templated.length; i++) {
    const part = templated[templated.length - i]!;
    const value = recorded[recorded.length - i];
    // Matrix and label styles (`{;id}`, `{.id}`) write their own separators.
    if (value === undefined || !/^\{[^{}]*\}$/.test(part) || /^\{[;.]/.test(part)) continue;
    if (/%2f/i.test(value)) return 'an encoded "/"';
    if (/[:;]/.test(value)) return `"${value.match(/[:;]/)![0]}"`;
  }
  return undefined;
}

/**
 * The recorded request, for the replay target, with fresh credentials. Every
 * place a credential sat (Authorization, sensitive headers, the document's
 * apiKey parameters, a `${VAR}` or `[redacted]` value) is emptied and refilled
 * from what this replay was given; a place left without a fresh value is
 * listed in `missing`. Anything else redacted cannot be sent as recorded.
 */
function rebuildRequest(recorded: RequestEvidence, operation: OperationSpec, input: PlanInput, mode: CredentialMode): Rebuilt {
  const refused = (reason: string): Rebuilt => ({ kind: 'refused', reason });
  const { prepared, credentials, replayTarget, report } = input;
  const fresh: AppliedCredentials = mode === 'fresh' ? credentialsFor(credentials, operation) : NO_CREDENTIALS;
  // Without credentials on purpose: every place the run's credential placement fills stays empty, as the negative phase left it.
  const stripped: AppliedCredentials = mode === 'fresh' ? NO_CREDENTIALS : credentialsFor(credentials, operation);
  // Without credentials on purpose: a user's credential header stays out too; a place left empty is not missing.
  const userHeaders = Object.fromEntries(Object.entries(lowerCaseKeys(prepared.options.headers)).filter(([name]) => mode === 'fresh' || !isSensitiveHeader(name)));
  const missing: string[] = [];
  const credentialPlace = (place: string) => {
    if (mode === 'fresh') missing.push(place);
  };
  // The forged key is published and recorded as sent: it goes again where it went (query, header or cookie).
  const sendsForgedKey = (value: string) => mode === 'invalid-key' && value === FORGED_API_KEY;
  let url: URL;
  try {
    url = new URL(recorded.url);
  } catch {
    return refused('the recorded URL is not a URL');
  }
  // A report is input like any other: a URL it records off its own target's origin is never sent anywhere.
  if (url.origin !== new URL(report.target.url).origin) return refused(`the recorded URL is not on the report's target origin ${new URL(report.target.url).origin}`);
  if (url.pathname.includes(REDACTED) || decodeSafe(url.pathname).includes(REDACTED)) return refused('the recorded path holds a redacted value, which cannot be sent as recorded');
  // And on the operation's own path: the name rules judge the operation, so a recorded URL elsewhere
  // (`/apiKeys:destroy/1` under a result for `GET /things`) would go out unjudged (third review).
  const ownPath = templatePattern(operation.path, { base: decodeSafe(new URL(report.target.url).pathname), emptyValues: true });
  if (!ownPath.test(url.pathname) && !ownPath.test(decodeSafe(url.pathname))) {
    return refused(`the recorded URL's path ${url.pathname} is not one of ${operation.method} ${operation.path}`);
  }
  // A parameter's value can carry an action too (`/things/7:cancel`, `/things/7;delete`, `7%2F..%2FapiKeys:destroy`,
  // fourth review). The run encodes every path value, so it never records a raw `:` or `;` there; an encoded `/` a proxy may decode.
  const carried = actionInPathValue(url.pathname, operation.path);
  if (carried !== undefined) return refused(`the recorded path ${url.pathname} carries ${carried} in a parameter's value, where a server may read an action or another path: not sent`);
  // And the query, where RPC APIs name the call (`?method=SitesManager.deleteSite`): replay never sends a change named so.
  const action = queryActionChange(url.searchParams);
  if (action !== undefined && READ_METHODS.has(operation.method)) {
    return refused(`its query parameter ${action[0]} is ${JSON.stringify(action[1].slice(0, 80))}, which names a change (${action[2]}): replay sends again no read named as a change`);
  }

  const query: string[] = [];
  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeSafe(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeSafe(eq < 0 ? '' : pair.slice(eq + 1));
    if (sendsForgedKey(value)) {
      query.push(pair);
      continue;
    }
    if (Object.hasOwn(fresh.query, name) || Object.hasOwn(stripped.query, name)) continue;
    if (isSchemeParameter(credentials, 'query', name) || value.includes(REDACTED) || PLACEHOLDER.test(value)) {
      credentialPlace(`query parameter ${name}`);
      continue;
    }
    query.push(pair);
  }
  const freshQuery = new URLSearchParams(Object.entries(fresh.query)).toString();
  if (freshQuery !== '') query.push(freshQuery);
  // Built as text on the target's origin: a recorded path such as `//elsewhere/x` stays a path.
  const replayUrl = new URL(`${replayTarget.origin}${url.pathname}${query.length > 0 ? `?${query.join('&')}` : ''}`);
  if (replayUrl.origin !== replayTarget.origin) return refused('the recorded URL does not stay on the target origin');

  const headers = Object.create(null) as Record<string, string>;
  let recordedCookie: string | undefined;
  for (const [rawName, value] of Object.entries(recorded.headers)) {
    const name = rawName.toLowerCase();
    if (name === 'cookie') {
      recordedCookie = value;
      continue;
    }
    if (sendsForgedKey(value)) {
      headers[name] = value;
      continue;
    }
    if (Object.hasOwn(fresh.headers, name) || Object.hasOwn(stripped.headers, name) || Object.hasOwn(userHeaders, name) || CONNECTION_HEADERS.has(name)) continue;
    if (name === 'authorization' || name === 'proxy-authorization' || isSensitiveHeader(name) || isSchemeParameter(credentials, 'header', name) || value.includes(REDACTED) || PLACEHOLDER.test(value)) {
      credentialPlace(`header ${name}`);
      continue;
    }
    headers[name] = value;
  }
  Object.assign(headers, userHeaders, fresh.headers);
  if (mode === 'invalid-token') headers.authorization = FORGED_AUTHORIZATION;
  const cookies: string[] = [];
  for (const pair of (recordedCookie ?? '').split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq).trim();
    const value = eq < 0 ? pair : pair.slice(eq + 1).trim();
    if (sendsForgedKey(value)) {
      cookies.push(pair);
      continue;
    }
    if (name !== '' && (Object.hasOwn(fresh.cookies, name) || Object.hasOwn(stripped.cookies, name))) continue;
    if (name === '' || isSchemeParameter(credentials, 'cookie', name) || isSensitiveHeader(name) || isSecretFieldName(name) || value.includes(REDACTED) || PLACEHOLDER.test(value)) {
      credentialPlace(`cookie ${name || '(unnamed)'}`);
      continue;
    }
    cookies.push(pair);
  }
  // Encoded as the planner encodes credential cookies.
  for (const [name, value] of Object.entries(fresh.cookies)) cookies.push(`${name}=${/^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/.test(value) ? value : encodeURIComponent(value)}`);
  if (cookies.length > 0 && headers.cookie === undefined) headers.cookie = cookies.join('; ');

  const request: OutgoingRequest = {
    method: recorded.method.toUpperCase(),
    url: replayUrl.href,
    headers,
    followRedirects: !documentsRedirect(operation),
    carriesCredentials: mode === 'invalid-token' || mode === 'invalid-key' || !isEmpty(fresh) || Object.keys(userHeaders).some((name) => isSensitiveHeader(name)),
  };
  if (recorded.body !== undefined) {
    if (recorded.body.includes(REDACTED)) return refused('the recorded request body holds a redacted value, which cannot be sent as recorded');
    // The report keeps the first evidenceBodyBytes of a body: one that long may have been cut.
    const kept = report.options.limits.evidenceBodyBytes;
    if (Buffer.byteLength(recorded.body, 'utf8') >= kept - 3) return refused(`the report keeps only the first ${kept} bytes of a request body, and this one may be longer: run again with a larger --evidence-bytes`);
    request.body = recorded.body;
  }
  // The invariant, whatever the branches above missed: a redaction placeholder is never sent.
  const sent = [request.url, ...Object.values(request.headers), request.body ?? ''];
  if (sent.some((text) => text.includes(REDACTED))) return refused('the recorded request holds a redacted value, which cannot be sent as recorded');
  return { kind: 'ok', request, missing };
}

interface ReplayContext {
  prepared: PreparedRun;
  send(request: OutgoingRequest): Promise<HttpExchange>;
  redactor: Redactor;
  signal: AbortSignal;
  /** With --allow-writes: how a create sent again is cleaned up after. */
  cleanUp: ReplayCleanUp | undefined;
  /** The check ids the recorded run had (`options.checks`). */
  runChecks: readonly string[];
}

/**
 * Judge a sent request, then remove what it created (a create answered 2xx),
 * even when judging failed: the record is there either way, and a crash that
 * left it behind says so in its message.
 */
async function judgedThenCleaned(operation: OperationSpec, request: OutgoingRequest, exchange: HttpExchange, context: ReplayContext, listed: ListedRecords | undefined, judge: () => Promise<ReplayedResult> | ReplayedResult): Promise<ReplayedResult> {
  let replayed: ReplayedResult;
  try {
    replayed = await judge();
  } catch (error) {
    const cleanup = context.cleanUp && (await removeReplayedCreate(operation, request, exchange, context.cleanUp, listed));
    // The crash propagates and no result carries the record: the error itself says what is left on the target.
    if (cleanup?.outcome !== 'left-behind') throw error;
    const message = `${error instanceof Error ? error.message : String(error)}; the record the replayed create made is LEFT BEHIND at ${cleanup.url} (${cleanup.reason}): check it, and remove by hand what the replay made`;
    throw isHarnessError(error) ? new HarnessError(error.code, message, { cause: error }) : new Error(message, { cause: error });
  }
  const cleanup = context.cleanUp && (await removeReplayedCreate(operation, request, exchange, context.cleanUp, listed));
  if (cleanup) replayed.cleanup = cleanup;
  return replayed;
}

/** Send one rebuilt request and judge it with the recorded result's check alone. */
async function replayRequest(plan: Extract<ReplayPlan, { kind: 'request' }>, context: ReplayContext): Promise<ReplayedResult> {
  const { prepared, redactor } = context;
  const { result, check, operation, request } = plan;
  const stage: CheckStage = {
    checks: [check],
    document: prepared.profile.document,
    validators: prepared.validators,
    maxJsonValues: prepared.options.limits.maxJsonValues,
    maxPages: prepared.options.limits.maxPages,
    requirements: prepared.requirements,
    send: context.send,
    // As the run judged it: where its server-error stood for a 5xx, the 5xx's body is not judged again.
    serverErrorsJudged: serverErrorsJudgedBy(context.runChecks, prepared.requirements),
  };
  const listed = context.cleanUp && (await listBeforeReplayedCreate(operation, request, context.cleanUp, context.signal));
  const exchange = await context.send(request);
  return judgedThenCleaned(operation, request, exchange, context, listed, async () => {
    const checked = await checkExchange({ operation, request, exchange, inputSources: plan.inputSources }, stage);
    return judged(result, checked.results, redactor);
  });
}

/**
 * A negative-phase request sent again and judged against its recorded
 * expectation (`negative.expect`) by the same check, as the run judged it.
 */
async function replayNegative(plan: Extract<ReplayPlan, { kind: 'negative' }>, context: ReplayContext, report: Report): Promise<ReplayedResult> {
  const { prepared, redactor } = context;
  const { result, check, negative, operation, request } = plan;
  const listed = context.cleanUp && (await listBeforeReplayedCreate(operation, request, context.cleanUp, context.signal));
  const exchange = await context.send(request);
  return judgedThenCleaned(operation, request, exchange, context, listed, () => {
    const finding = judgeNegative(check, { check: check.id, mutation: negative, request }, operation, exchange, {
      document: prepared.profile.document,
      maxPages: prepared.options.limits.maxPages,
      validators: prepared.validators,
      maxJsonValues: prepared.options.limits.maxJsonValues,
      // As the run judged it: a rejection must carry problem details when the run checked them.
      problemDetailsRequired: report.options.checks.includes('problem-details'),
    });
    return judged(result, toResults(check.id, { ...finding, negative }, operation, exchange.evidence, prepared.requirements), redactor);
  });
}

/**
 * Lifecycle checks judge reads of records the run created, which its clean-up
 * deleted: they are judged again by running the writes again, as a run with
 * --allow-writes does (create, read, delete, then clean-up), with only those
 * checks selected. Ids match: the same probe of the same check gets the same id.
 */
async function rerunLifecycles(options: ReplayOptions, target: string, checks: string[]): Promise<Report | { error: string }> {
  try {
    const prepared = await prepareReplay(options, target, { allowWrites: true, checks });
    return await executeRun(prepared);
  } catch (error) {
    if (isHarnessError(error)) return { error: error.message };
    throw error;
  }
}

function lifecycleVerdict(result: IdentifiedResult, rerun: Report | { error: string }, redactor: Redactor): ReplayedResult {
  if ('error' in rerun) return { id: result.id, recorded: result, status: 'inconclusive', reason: `the lifecycle could not be run again: ${rerun.error}` };
  const same = (r: CheckResult) => r.check === result.check && r.operationId === result.operationId && r.requirement === result.requirement;
  const found = rerun.results.find((r) => r.id === result.id) ?? rerun.results.find(same);
  if (!found) {
    const why = rerun.results.find((r) => r.check === 'probe' && r.operationId === result.operationId)?.message;
    return { id: result.id, recorded: result, status: 'inconclusive', reason: `the lifecycle did not reach this read again${why ? `: ${why}` : ''}` };
  }
  return judged(result, [found], redactor);
}

/** Checks for which a 5xx can be the answer they pass: server-error judges it, and 501 is the right answer to an unknown method. */
const CHECKS_PASSING_5XX: ReadonlySet<string> = new Set(['server-error', 'unsupported-method']);

/** The new verdict of the recorded result's check (and requirement), and what it means for the failure. */
function judged(result: IdentifiedResult, results: CheckResult[], redactor: Redactor): ReplayedResult {
  const found = results.find((r) => r.check === result.check && r.requirement === result.requirement) ?? results.find((r) => r.check === result.check);
  if (!found) return { id: result.id, recorded: result, status: 'inconclusive', reason: `the check ${result.check} gave no verdict on the new exchange` };
  const now = redactor.deep({ ...found, id: result.id });
  if (now.status === 'fail') return { id: result.id, recorded: result, status: 'reproduces', now };
  // A run without server-error (or with it bound more weakly) lets a 5xx body pass when it fits
  // `default`; judged so, a failure that now gets a 500 would read "fixed". A server error fixes nothing,
  // unless it is the answer the check asks for (501 to an unknown method) or the recorded failure was on a 5xx too.
  const answered = now.evidence?.response?.status;
  const before = result.evidence?.response?.status;
  const nowServerError = answered !== undefined && answered >= 500 && (before === undefined || before < 500);
  if ((now.status === 'pass' || now.status === 'warn') && nowServerError && !CHECKS_PASSING_5XX.has(result.check)) {
    return { id: result.id, recorded: result, status: 'inconclusive', now, reason: `${result.check} ${now.status === 'pass' ? 'passes' : 'only warns'} now, but the endpoint answers ${answered}: a server error is not a fix` };
  }
  if (now.status === 'pass' || now.status === 'warn') return { id: result.id, recorded: result, status: 'fixed', now };
  return { id: result.id, recorded: result, status: 'inconclusive', now, reason: now.message };
}

/** A service check (discovery, export-*) is run again as a run runs it: it makes its own requests. */
async function replayServiceCheck(
  result: IdentifiedResult,
  check: Extract<Check, { kind: 'service' }>,
  context: { prepared: PreparedRun; client: HttpClient; send(request: OutgoingRequest): Promise<HttpExchange>; signal: AbortSignal; given: PreparedRun['credentials']; redactor: Redactor },
): Promise<ReplayedResult> {
  const { prepared, given, redactor } = context;
  const serviceHeaders = { ...prepared.serviceHeaders, ...serviceCredentialHeaders(prepared.profile.document, given) };
  const service = createServiceContext({
    prepared,
    serviceHeaders,
    // The session does the work the run's checks asked for (an export-csv verdict needs the main export awaited too).
    checks: prepared.checks,
    send: context.send,
    download: (request, openSink) => context.client.download(request, openSink, { maxBytes: prepared.options.limits.maxExportBytes, signal: context.signal }),
    signal: context.signal,
  });
  let finding: ServiceFinding;
  try {
    finding = await check.run(service.context);
  } catch (err) {
    finding = { method: 'GET', path: '/', status: 'error', message: `check ${check.id} crashed (a harness bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    service.close();
  }
  const { method, path, ...rest } = finding;
  const operation = { operationId: SERVICE_OPERATION_ID, method, path } as OperationSpec;
  return judged(result, toResults(check.id, rest, operation, undefined, prepared.requirements), redactor);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
