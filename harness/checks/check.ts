import type { ExportSession } from '../export/export-session.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import type { OperationSpec, ResponseSpec } from '../profile/profile-types.js';
import type { Evidence, Finding, NegativeMutation } from '../results.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import type { JsonBodyOutcome } from '../json-body.js';

export type ReceivedResponse = NonNullable<HttpExchange['response']>;

/** What a check sees of one probe. Built once per response by the runner; checks only read it. */
export interface CheckContext {
  operation: OperationSpec;
  /** The method actually sent (HEAD responses carry no body to judge). */
  method: string;
  /** The URL the probe asked for (before any same-origin redirect). */
  url: string;
  response: ReceivedResponse;
  /** The documented response for this status (exact code, then range, then `default`). */
  responseSpec: ResponseSpec | undefined;
  /**
   * Where each input (`in:name`) came from (`var`, `harvested`, `example`,
   * `schema-example`, `generated`, …), as the report's coverage records it.
   * Absent when unknown (a negative request): no value is then a placeholder.
   * `generated` marks a value the harness made up from the schema, a 4xx to
   * which says little about the supplier (`generatedInputs`).
   */
  inputSources?: Readonly<Record<string, string>>;
  /** Whether the probe's request carried credentials (Authorization, an API key, a cookie). */
  carriesCredentials?: boolean;
  /** The request's headers as sent (lower-case names), when known: how a refused credential was written. */
  requestHeaders?: Readonly<Record<string, string>>;
  /** The bundled profile document, for annotations such as `x-interop-pagination`. */
  document: Record<string, unknown>;
  /** Pages a walk of a paginated collection may take (`--max-pages`). */
  maxPages: number;
  /** JSON values one parsed body may hold (`--max-json-values`); what `json()` is bounded by, for a check parsing parts itself. Default MAX_JSON_VALUES. */
  maxJsonValues?: number;
  /** Validators compiled when the profile was loaded; checks never compile. */
  validators: CompiledValidators;
  /** The body parsed as JSON, parsed at most once per response whichever checks ask. */
  json(): JsonBodyOutcome;
  /** Set when the probe is a lifecycle read of a record the run created (or has just deleted). */
  lifecycle?: LifecycleStep;
  /** Whether `server-error` runs, bound at least as strongly as the checks that defer to it: a 5xx is then its failure alone (`serverErrorSkip`). */
  serverErrorsJudged?: boolean;
}

/**
 * A read the run sends in a lifecycle (with --allow-writes), and the write it follows.
 *
 * @example { role: 'read-deleted', after: { method: 'DELETE', url: 'http://…/things/T-1', status: 204 }, idSource: 'location' }
 */
export interface LifecycleStep {
  /** `read-created`: the record the run just created, read back; `read-deleted`: the same record after its DELETE succeeded. */
  role: 'read-created' | 'read-deleted';
  /** The write the read follows, as sent and answered: the create, or the delete. */
  after: { method: string; url: string; status: number };
  /**
   * Where the record's id came from: the create's `links` or its `Location`
   * header are the supplier's own word; an id-like field of its body is the
   * harness's reading of the answer (the path may take another of its
   * fields); one taken from the body the harness sent is a guess.
   */
  idSource: 'link' | 'location' | 'response-body' | 'request-body';
  /**
   * For an id read from a field of the create's answer: the answer's other
   * fields that read as identifiers (`documentId`). The path may take one of
   * them, so a 404 to the id the run took does not show the record missing.
   */
  otherIdFields?: string[];
  /** For `read-deleted`: the read of the record before its DELETE answered 2xx with a record in its body. */
  heldRecordBefore?: true;
}

/** What every check declares about itself. */
interface CheckIdentity {
  /** Stable ID, kebab-case: reports, requirements and `--checks` use it. */
  id: string;
  title: string;
  /** What it verifies and why, for the report and the README. */
  description: string;
  /**
   * `generic` checks judge a supplier against its own document and run in
   * every mode; `profile` checks enforce a policy (compression, caching, …)
   * and run only when a profile requirement names them.
   */
  scope: 'generic' | 'profile';
}

/**
 * A check is a small unit with a stable ID, registered in `checks/index.ts`.
 * It returns a finding as data; throwing means a harness bug, which the runner
 * records as `error`, never as `fail`. A response check only reads the probe's
 * response.
 *
 * @example
 *   export const serverError: ResponseCheck = {
 *     kind: 'response', id: 'server-error', scope: 'generic', title: '…', description: '…',
 *     run: ({ response }) => response.status >= 500 ? fail(…) : pass(…),
 *   };
 */
export interface ResponseCheck extends CheckIdentity {
  kind: 'response';
  run(context: CheckContext): Finding;
}

/** What a probe check may do besides reading the response: ask the target a follow-up question. */
export interface ProbeCheckContext extends CheckContext {
  /** The probe's request as it was sent. */
  request: OutgoingRequest;
  /**
   * Send a follow-up request through the run's HTTP client: same origin, same
   * limits and rate limit, evidence captured and redacted. Never throws.
   */
  send(request: OutgoingRequest): Promise<HttpExchange>;
}

/**
 * A check that needs a follow-up request, such as a conditional GET. It runs
 * after the response checks of the same probe, one at a time, so it adds a
 * bounded number of requests per operation. Its finding carries the evidence
 * of the follow-up exchange it judged.
 *
 * @example
 *   run: async ({ request, send }) => { const again = await send({ ...request, headers: { …, 'if-none-match': etag } }); … }
 */
export interface ProbeCheck extends CheckIdentity {
  kind: 'probe';
  run(context: ProbeCheckContext): Promise<Finding>;
}

/** What a service check sees: the target as a whole, not one operation. */
export interface ServiceCheckContext {
  target: URL;
  document: Record<string, unknown>;
  /** Validators compiled when the profile was loaded (export records and manifests included). */
  validators: CompiledValidators;
  /** Headers every probe sends (Accept aside): User-Agent, credentials, user headers. */
  headers: Record<string, string>;
  /** As for probe checks: bounded, same origin, rate-limited, evidence captured. */
  send(request: OutgoingRequest): Promise<HttpExchange>;
  /** The supplier's published OpenAPI document, fetched once per run from the discovery paths. */
  publishedDocument(): Promise<PublishedDocument>;
  /**
   * The run's bulk exports (kicked off, awaited and read once, whichever
   * export checks ask), or undefined when the profile declares no export.
   */
  exportSession(): ExportSession | undefined;
}

export type PublishedDocument =
  | { found: true; url: string; document: Record<string, unknown>; evidence: Evidence }
  | { found: false; tried: string[]; reason: string; evidence?: Evidence };

/** A service finding names the request it is about, in place of an operation. */
export interface ServiceFinding extends Finding {
  method: string;
  path: string;
}

/**
 * A check about the service as a whole (its published document, say), run
 * once per run before the operations are probed.
 *
 * @example
 *   run: async ({ publishedDocument }) => { const published = await publishedDocument(); … }
 */
export interface ServiceCheck extends CheckIdentity {
  kind: 'service';
  run(context: ServiceCheckContext): Promise<ServiceFinding>;
}

/** What a check of the negative phase sees: one changed request, what was changed, and the answer. */
export interface NegativeCheckContext extends CheckContext {
  /** The changed request as it was sent. */
  request: OutgoingRequest;
  /** What was made invalid (or which valid boundary was tried), and why. */
  negative: NegativeMutation;
  /** Whether the profile requires errors as problem details (its `problem-details` check runs): a rejection must then carry them. */
  problemDetailsRequired: boolean;
}

/**
 * A check of the negative phase (`--negative`): it judges only the requests
 * that phase sends, each changed from a valid one in exactly one way, never
 * the run's ordinary probes.
 *
 * @example
 *   run: ({ response, negative }) => response.status < 300 ? fail(`accepted invalid data: ${negative.reason}`) : pass(…)
 */
export interface NegativeCheck extends CheckIdentity {
  kind: 'negative';
  run(context: NegativeCheckContext): Finding;
}


/**
 * A check of what a lifecycle shows (with --allow-writes): run only on the
 * lifecycle read it names, after the response checks of that probe, never on
 * a record the run did not create. It asks nothing more of the target.
 *
 * @example
 *   export const useAfterDelete: LifecycleCheck = { kind: 'lifecycle', step: 'read-deleted', run: ({ response, lifecycle }) => … };
 */
export interface LifecycleCheck extends CheckIdentity {
  kind: 'lifecycle';
  step: LifecycleStep['role'];
  run(context: CheckContext & { lifecycle: LifecycleStep }): Finding;
}

export type Check = ResponseCheck | ProbeCheck | ServiceCheck | NegativeCheck | LifecycleCheck;

export function pass(message: string, detail: Omit<Finding, 'status' | 'message'> = {}): Finding {
  return { status: 'pass', message, ...detail };
}

export function fail(message: string, detail: Omit<Finding, 'status' | 'message'> = {}): Finding {
  return { status: 'fail', message, ...detail };
}

export function skip(message: string): Finding {
  return { status: 'skip', message };
}

export function warn(message: string, detail: Omit<Finding, 'status' | 'message'> = {}): Finding {
  return { status: 'warn', message, ...detail };
}

export function error(message: string): Finding {
  return { status: 'error', message };
}

/** The checks that leave a 5xx to server-error (`serverErrorSkip`, and status-code's undocumented 5xx): whether they may is the run's to say (`serverErrorsJudged`). */
export const SERVER_ERROR_DEFERRING: readonly string[] = ['status-code', 'content-type', 'response-schema', 'response-headers'];

/**
 * The skip of a check that judges a response's media type, body or headers,
 * on a 5xx, when `server-error` is among the run's checks at a level no
 * weaker than theirs: it fails every 5xx, documented or not, and one defect
 * is one failure (a Prism 500 labelled application/problem+json under a
 * `default` of application/json had failed content-type as well). A run
 * without server-error (a profile that names response-schema alone), or
 * with it at SHOULD beside a MUST response-schema, judges the body as any other.
 */
export function serverErrorSkip(context: Pick<CheckContext, 'response' | 'serverErrorsJudged'>): Finding | undefined {
  const { status } = context.response;
  return status >= 500 && context.serverErrorsJudged === true ? skip(`a ${status} is server-error's failure; its body and headers are not judged a second time`) : undefined;
}

/** Statuses that never carry a body (RFC 9110 sections 15.3.5, 15.3.6, 15.4.5), whatever headers come with them. */
export const BODYLESS_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/** Documented response keys in the order a reader expects: `200, 404, 2XX, default`. */
export function documentedStatuses(operation: OperationSpec): string {
  return operation.responses.map((r) => r.key).join(', ') || '(none)';
}
