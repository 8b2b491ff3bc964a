import { requestCarriesCredentials } from '../checks/auth-required.js';
import type { Check, LifecycleStep, ProbeCheckContext } from '../checks/check.js';
import { parseJsonBody, type JsonBodyOutcome } from '../json-body.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import type { OperationSpec } from '../profile/profile-types.js';
import type { CheckResult, Evidence, Finding } from '../results.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import { findResponseSpec } from '../schema/response-lookup.js';
import { bindingsFor, type RequirementIndex } from './requirement-index.js';

/** One probe as the check stage receives it from the execute stage. */
export interface ExecutedProbe {
  operation: OperationSpec;
  request: OutgoingRequest;
  exchange: HttpExchange;
  /** Parameters (`in:name`) whose values were generated from the schema. */
  generatedInputs: string[];
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
}

export interface CheckedExchange {
  results: CheckResult[];
  /** The body as JSON when it parses (for harvesting ids), else undefined. Parsed at most once, shared with checks. */
  json(): unknown;
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
  const { response } = exchange;
  const record = (checkId: string, finding: Finding) => toResults(checkId, finding, operation, exchange.evidence, stage.requirements);
  if (!response) {
    const cause = exchange.transportError?.message ?? 'no response';
    const finding: Finding = { status: 'error', message: `not checked: ${cause}` };
    const perOperation = stage.checks.filter((check) => check.kind === 'response' || check.kind === 'probe' || (check.kind === 'lifecycle' && check.step === probe.lifecycle?.role));
    return { results: perOperation.flatMap((check) => record(check.id, finding)), json: () => undefined };
  }
  let parsed: JsonBodyOutcome | undefined;
  const context: ProbeCheckContext = {
    operation,
    method: exchange.evidence.request.method,
    url: probe.request.url,
    response,
    responseSpec: findResponseSpec(operation, response.status),
    generatedInputs: probe.generatedInputs,
    carriesCredentials: requestCarriesCredentials(probe.request),
    document: stage.document,
    maxPages: stage.maxPages,
    validators: stage.validators,
    json: () => (parsed ??= parseJsonBody(response.body, stage.maxJsonValues)),
    request: probe.request,
    send: stage.send,
    ...(probe.lifecycle ? { lifecycle: probe.lifecycle } : {}),
  };
  const results: CheckResult[] = [];
  for (const check of stage.checks) {
    if (check.kind === 'response') results.push(...record(check.id, runGuarded(check.id, () => check.run(context))));
  }
  const step = probe.lifecycle;
  for (const check of stage.checks) {
    if (check.kind === 'lifecycle' && step?.role === check.step) results.push(...record(check.id, runGuarded(check.id, () => check.run({ ...context, lifecycle: step }))));
  }
  for (const check of stage.checks) {
    if (check.kind === 'probe') results.push(...record(check.id, await runGuardedAsync(check.id, () => check.run(context))));
  }
  return {
    results,
    json() {
      // Only a whole body is worth mining for ids; a cut-off one is not even parsed.
      if (response.truncated) return undefined;
      const outcome = context.json();
      return outcome.ok ? outcome.value : undefined;
    },
  };
}

function crashed(checkId: string, err: unknown): Finding {
  return { status: 'error', message: `check ${checkId} crashed (a harness bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
}

function runGuarded(checkId: string, run: () => Finding): Finding {
  try {
    return run();
  } catch (err) {
    return crashed(checkId, err);
  }
}

async function runGuardedAsync(checkId: string, run: () => Promise<Finding>): Promise<Finding> {
  try {
    return await run();
  } catch (err) {
    return crashed(checkId, err);
  }
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
  const { evidence: findingEvidence, ...rest } = finding;
  const shown = findingEvidence ?? evidence;
  return bindingsFor(requirements, checkId).map(({ requirement, level }) => ({
    check: checkId,
    requirement,
    level,
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    ...rest,
    ...(shown ? { evidence: shown } : {}),
  }));
}
