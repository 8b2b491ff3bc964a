import type { CheckContext, ResponseCheck } from '../checks/check.js';
import { parseJsonBody, type JsonBodyOutcome } from '../checks/json-body.js';
import type { HttpExchange } from '../http/exchange-types.js';
import type { OperationSpec } from '../profile/profile-types.js';
import type { CheckResult, Evidence, Finding } from '../results.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import { findResponseSpec } from '../schema/response-lookup.js';
import { bindingsFor, type RequirementIndex } from './requirement-index.js';

export interface CheckedExchange {
  results: CheckResult[];
  /** The body as JSON when it parses (for harvesting ids), else undefined. Parsed at most once, shared with checks. */
  json(): unknown;
}

/**
 * Run every selected check on one exchange and turn findings into results:
 * one per (check, requirement it verifies), each carrying the evidence.
 * A check that throws is a harness bug and yields `error`, never `fail`.
 * With no response (timeout, refused, reset), every check yields `error`
 * naming the cause: the requirement was not verified, and the report says so.
 */
export function checkExchange(
  operation: OperationSpec,
  exchange: HttpExchange,
  checks: readonly ResponseCheck[],
  validators: CompiledValidators,
  requirements: RequirementIndex,
  generatedInputs: string[] = [],
): CheckedExchange {
  const { response } = exchange;
  if (!response) {
    const cause = exchange.transportError?.message ?? 'no response';
    const finding: Finding = { status: 'error', message: `not checked: ${cause}` };
    const results = checks.flatMap((check) => toResults(check.id, finding, operation, exchange.evidence, requirements));
    return { results, json: () => undefined };
  }
  let parsed: JsonBodyOutcome | undefined;
  const context: CheckContext = {
    operation,
    method: exchange.evidence.request.method,
    response,
    responseSpec: findResponseSpec(operation, response.status),
    generatedInputs,
    validators,
    json: () => (parsed ??= parseJsonBody(response.body)),
  };
  const results: CheckResult[] = [];
  for (const check of checks) {
    results.push(...toResults(check.id, runCheck(check, context), operation, exchange.evidence, requirements));
  }
  return {
    results,
    json() {
      const outcome = context.json();
      return outcome.ok ? outcome.value : undefined;
    },
  };
}

function runCheck(check: ResponseCheck, context: CheckContext): Finding {
  try {
    return check.run(context);
  } catch (err) {
    return { status: 'error', message: `check ${check.id} crashed (a harness bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Results for a finding that applies to the operation as a whole, not to one response. */
export function toResults(
  checkId: string,
  finding: Finding,
  operation: OperationSpec,
  evidence: Evidence | undefined,
  requirements: RequirementIndex,
): CheckResult[] {
  return bindingsFor(requirements, checkId).map(({ requirement, level }) => ({
    check: checkId,
    requirement,
    level,
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    ...finding,
    ...(evidence ? { evidence } : {}),
  }));
}
