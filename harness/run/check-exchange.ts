import { requestCarriesCredentials } from '../checks/auth-required.js';
import { SERVER_ERROR_DEFERRING, type Check, type LifecycleStep, type ProbeCheckContext } from '../checks/check.js';
import { parseJsonBody, type JsonBodyOutcome } from '../json-body.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import type { OperationSpec } from '../profile/profile-types.js';
import { LEVEL_RANK, type CheckResult, type Evidence, type Finding } from '../results.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import { findResponseSpec } from '../schema/response-lookup.js';
import { namedAsChange } from '../plan/named-change.js';
import { bindingsFor, type RequirementIndex } from './requirement-index.js';

/** One probe as the check stage receives it from the execute stage. */
export interface ExecutedProbe {
  operation: OperationSpec;
  request: OutgoingRequest;
  exchange: HttpExchange;
  /** Where each input (`in:name`) came from; see `CheckContext.inputSources`. */
  inputSources?: Readonly<Record<string, string>>;
  /** Set on a lifecycle's read of a record the run created: its lifecycle checks run on it. */
  lifecycle?: LifecycleStep;
}

/** What the check stage needs besides the probe; built once per run. */
export interface CheckStage {
  checks: readonly Check[];
  document: Record<string, unknown>;
  validators: CompiledValidators;
  /** Bound on JSON values parsed per body. */
  maxJsonValues: number;
  /** Bound on pages walked by the pagination check. */
  maxPages: number;
  requirements: RequirementIndex;
  /** Follow-up requests for probe checks: the run's client, rate limiter and signal. */
  send(request: OutgoingRequest): Promise<HttpExchange>;
  /**
   * Whether a 5xx is server-error's failure alone (`serverErrorsJudgedBy`);
   * by default, from `checks`. Replay judges with one check, and passes what the run had.
   */
  serverErrorsJudged?: boolean;
}

/**
 * Whether checks that leave a 5xx to server-error (`SERVER_ERROR_DEFERRING`)
 * may do so in a run of these checks: server-error runs, bound at least as
 * strongly as each of them. A profile with server-error at SHOULD and
 * response-schema at MUST would otherwise lose a MUST failure on a 5xx body.
 *
 * @example
 *   serverErrorsJudgedBy(['server-error', 'response-schema'], requirements) // true in generic mode (both MUST)
 */
export function serverErrorsJudgedBy(checkIds: readonly string[], requirements: RequirementIndex): boolean {
  if (!checkIds.includes('server-error')) return false;
  // A rank: 0 for MUST, so the strongest binding is the lowest.
  const strongest = (checkId: string) => Math.min(...bindingsFor(requirements, checkId).map((binding) => LEVEL_RANK.indexOf(binding.level)));
  const judge = strongest('server-error');
  return SERVER_ERROR_DEFERRING.every((checkId) => !checkIds.includes(checkId) || strongest(checkId) >= judge);
}

/** Each stage's answer, worked out on its first probe. */
const judgedByStage = new WeakMap<CheckStage, boolean>();

function serverErrorsJudged(stage: CheckStage): boolean {
  if (stage.serverErrorsJudged !== undefined) return stage.serverErrorsJudged;
  let judged = judgedByStage.get(stage);
  if (judged === undefined) {
    judged = serverErrorsJudgedBy(stage.checks.map((check) => check.id), stage.requirements);
    judgedByStage.set(stage, judged);
  }
  return judged;
}

export interface CheckedExchange {
  results: CheckResult[];
  /** The body as JSON when it parses (for harvesting ids), else undefined. Parsed at most once, shared with checks. */
  json(): unknown;
  /** Whether a body came that was not read whole: cut at --max-body, past --max-json-values (so not parsed), or cut short after the headers (deadline, reset). */
  readInPart(): boolean;
}

/**
 * Run every selected check on one probe and turn findings into results: one
 * per (check, requirement it verifies), each carrying the evidence. Response
 * checks run first; probe checks then ask their follow-up questions one at a
 * time. A check that throws is a harness bug and yields `error`, never `fail`.
 * With no response (timeout, refused, reset), every check yields `error`
 * naming the cause: the requirement was not verified, and the report says so.
 */
export async function checkExchange(probe: ExecutedProbe, stage: CheckStage): Promise<CheckedExchange> {
  const { operation, exchange } = probe;
  const { response, evidence } = exchange;
  const { requirements } = stage;
  const results: CheckResult[] = [];
  const step = probe.lifecycle;
  if (!response) {
    const cause = exchange.transportError?.message ?? 'no response';
    const finding: Finding = { status: 'error', message: `not checked: ${cause}` };
    for (const check of stage.checks) {
      if (check.kind === 'response' || check.kind === 'probe' || (check.kind === 'lifecycle' && check.step === step?.role)) pushResults(results, check.id, finding, operation, evidence, requirements);
    }
    return { results, json: noJson, readInPart: () => bodyReadInPart(exchange, noJson) };
  }
  let parsed: JsonBodyOutcome | undefined;
  // One context for every check of the probe, a lifecycle step's included: no copy per check.
  const context: ProbeCheckContext = {
    operation,
    method: evidence.request.method,
    url: probe.request.url,
    response,
    responseSpec: findResponseSpec(operation, response.status),
    inputSources: probe.inputSources,
    carriesCredentials: requestCarriesCredentials(probe.request),
    requestHeaders: probe.request.headers,
    document: stage.document,
    maxPages: stage.maxPages,
    maxJsonValues: stage.maxJsonValues,
    validators: stage.validators,
    serverErrorsJudged: serverErrorsJudged(stage),
    json: () => (parsed ??= parseJsonBody(response.body, stage.maxJsonValues)),
    request: probe.request,
    send: stage.send,
  };
  // The same object, typed as a lifecycle check's context when the probe is a lifecycle read.
  const stepContext = step ? Object.assign(context, { lifecycle: step }) : undefined;
  const record = (checkId: string, finding: Finding) => pushResults(results, checkId, finding, operation, evidence, requirements);
  for (const check of stage.checks) if (check.kind === 'response') record(check.id, runChecked(check, context));
  if (stepContext) for (const check of stage.checks) if (check.kind === 'lifecycle' && check.step === stepContext.lifecycle.role) record(check.id, runChecked(check, stepContext));
  // Probe checks ask follow-up questions (the same GET with If-None-Match, without credentials, the next
  // page): of a read named as a change (`GET /createGroup`), each would make the change again.
  const changes = namedAsChange(operation) !== undefined;
  for (const check of stage.checks) {
    if (check.kind !== 'probe') continue;
    record(check.id, changes ? { status: 'skip', message: `not checked: ${operation.method} ${operation.path} is named as a change, and this check's follow-up request would make it again` } : await runCheckedAsync(check, context));
  }
  return {
    results,
    json() {
      // Only a whole body is worth mining for ids; a cut-off one is not even parsed.
      if (response.truncated) return undefined;
      const outcome = context.json();
      return outcome.ok ? outcome.value : undefined;
    },
    readInPart: () => bodyReadInPart(exchange, context.json),
  };
}

/**
 * Whether a response's body was not read whole: cut at --max-body, past
 * --max-json-values (so never parsed), or cut short after its headers (the
 * deadline, a reset: a list may have shown anything). `parse` is the body's
 * JSON outcome, asked only when the body was read to its end.
 */
export function bodyReadInPart(exchange: HttpExchange, parse: () => JsonBodyOutcome | undefined): boolean {
  if (!exchange.response) return exchange.transportError?.afterHeaders === true;
  if (exchange.response.truncated) return true;
  const outcome = parse();
  return outcome !== undefined && !outcome.ok && outcome.tooLarge === true;
}

function noJson(): undefined {
  return undefined;
}

/** A check's finding; one that throws is a harness bug and yields `error`, never `fail`. The check and its context are passed, not a closure per check. */
function runChecked<C>(check: { id: string; run(context: C): Finding }, context: C): Finding {
  try {
    return check.run(context);
  } catch (err) {
    return crashed(check.id, err);
  }
}

async function runCheckedAsync<C>(check: { id: string; run(context: C): Promise<Finding> }, context: C): Promise<Finding> {
  try {
    return await check.run(context);
  } catch (err) {
    return crashed(check.id, err);
  }
}

function crashed(checkId: string, err: unknown): Finding {
  return { status: 'error', message: `check ${checkId} crashed (a harness bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
}

/**
 * Results for one finding, one per requirement the check verifies. A finding
 * about a follow-up exchange carries that exchange's evidence instead of the probe's.
 */
export function toResults(
  checkId: string,
  finding: Finding,
  operation: OperationSpec,
  evidence: Evidence | undefined,
  requirements: RequirementIndex,
): CheckResult[] {
  const results: CheckResult[] = [];
  pushResults(results, checkId, finding, operation, evidence, requirements);
  return results;
}

/**
 * `toResults` onto `results`. Each result is built field by field, in the
 * report schema's order (the finding's fields, then its evidence or the
 * probe's): every probe makes several, and an object spread after other
 * properties costs V8 a runtime call per field.
 */
function pushResults(
  results: CheckResult[],
  checkId: string,
  finding: Finding,
  operation: OperationSpec,
  evidence: Evidence | undefined,
  requirements: RequirementIndex,
): void {
  const shown = finding.evidence ?? evidence;
  for (const { requirement, level } of bindingsFor(requirements, checkId)) {
    const result: CheckResult = { check: checkId, requirement, level, operationId: operation.operationId, method: operation.method, path: operation.path, status: finding.status, message: finding.message };
    if (finding.expected !== undefined) result.expected = finding.expected;
    if (finding.actual !== undefined) result.actual = finding.actual;
    if (finding.schemaErrors !== undefined) result.schemaErrors = finding.schemaErrors;
    if (finding.negative !== undefined) result.negative = finding.negative;
    if (shown !== undefined) result.evidence = shown;
    results.push(result);
  }
}
