/**
 * The negative phase (`--negative`): after the ordinary probes, each probed
 * operation's valid request is changed in one way at a time (plan/negative-cases.ts),
 * sent, and judged by the one negative check its case names. Read-only unless
 * --allow-writes: the cases change GET and HEAD requests only, and the one
 * method sent that a path does not document is GET or TRACE, both safe.
 */
import type { NegativeCheck, NegativeCheckContext } from '../checks/check.js';
import { requestCarriesCredentials } from '../checks/auth-required.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import { parseJsonBody, type JsonBodyOutcome } from '../json-body.js';
import { describeMutation, type NegativeCase, type ReadyProbe } from '../plan/negative-cases.js';
import { planNegativeCases, type SentProbe } from '../plan/negative-plan.js';
import type { PlanContext } from '../plan/plan-probe.js';
import type { OperationSpec } from '../profile/profile-types.js';
import type { CheckResult, Finding } from '../results.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import { findResponseSpec } from '../schema/response-lookup.js';
import type { NegativePhaseOptions } from './run-options.js';
import { toResults } from './check-exchange.js';
import type { RequirementIndex } from './requirement-index.js';

/** What the phase needs from the run; built by `executeRun`. */
export interface NegativePhaseContext {
  options: NegativePhaseOptions;
  /** The negative checks selected for the run (after --checks/--skip-checks). */
  checks: readonly NegativeCheck[];
  /** Every operation of the profile, for the methods each path documents. */
  allOperations: readonly OperationSpec[];
  planContext: PlanContext;
  document: Record<string, unknown>;
  validators: CompiledValidators;
  maxJsonValues: number;
  maxPages: number;
  requirements: RequirementIndex;
  problemDetailsRequired: boolean;
  allowWrites: boolean;
  /** Send one request through the run's client (rate limit, deadline, evidence, redaction). */
  send(request: OutgoingRequest, operation: OperationSpec): Promise<HttpExchange>;
  /** Record results (and emit the probe's events). */
  record(operation: OperationSpec, request: OutgoingRequest, results: CheckResult[]): void;
  aborted(): boolean;
}

/** Send each case and judge it with its check. Cases run one at a time per operation, operations in turn. */
export async function runNegativePhase(sent: readonly SentProbe[], pathOnly: readonly ReadyProbe[], context: NegativePhaseContext): Promise<void> {
  const byId = new Map(context.checks.map((c) => [c.id, c]));
  const plan = planNegativeCases(sent, pathOnly, { checkIds: new Set(context.checks.map((c) => c.id)), allOperations: context.allOperations, planContext: context.planContext, allowWrites: context.allowWrites, seed: context.options.seed, maxPerOperation: context.options.maxPerOperation });
  const notSentRequest = (operation: OperationSpec): OutgoingRequest => ({ method: operation.method, url: '', headers: {}, followRedirects: false });
  for (const { operation, cases, skipped, notSent } of plan) {
    if (skipped) {
      const check = context.checks.find((c) => c.id === 'negative-data-rejection') ?? context.checks[0];
      if (check) context.record(operation, notSentRequest(operation), toResults(check.id, { status: 'skip', message: skipped }, operation, undefined, context.requirements));
      continue;
    }
    await sendNegativeCases(operation, cases, context, byId);
    for (const found of notSent?.cases ?? []) {
      if (context.aborted()) return;
      if (!byId.has(found.check)) continue;
      context.record(operation, notSentRequest(operation), toResults(found.check, { status: 'skip', message: `not sent: ${describeMutation(found.mutation)}; ${notSent!.reason}`, negative: found.mutation }, operation, undefined, context.requirements));
    }
  }
}

/**
 * Send cases for one operation, one at a time, each judged by the check it
 * names (a case whose check is not selected is not sent). The lifecycle's
 * body cases (`location: 'body'`, --allow-writes) go through here too.
 *
 * @example
 *   await sendNegativeCases(createThing, [{ check: 'negative-data-rejection', mutation: { location: 'body', … }, request }], context);
 */
export async function sendNegativeCases(operation: OperationSpec, cases: readonly NegativeCase[], context: NegativePhaseContext, byId = new Map(context.checks.map((c) => [c.id, c])), onSent?: (found: NegativeCase, exchange: HttpExchange) => void): Promise<void> {
  for (const found of cases) {
    if (context.aborted()) return;
    const check = byId.get(found.check);
    if (!check) continue;
    const exchange = await context.send(found.request, operation);
    // The lifecycle's body cases: a create that took an invalid body made a record to clean up.
    onSent?.(found, exchange);
    const finding = judgeNegative(check, found, operation, exchange, context);
    context.record(operation, found.request, toResults(check.id, { ...finding, negative: found.mutation }, operation, exchange.evidence, context.requirements));
  }
}

/**
 * One negative case's verdict by its check, from the exchange it got: what a
 * run records, and what `replay` asks again.
 */
export function judgeNegative(
  check: NegativeCheck,
  found: NegativeCase,
  operation: OperationSpec,
  exchange: HttpExchange,
  context: Pick<NegativePhaseContext, 'document' | 'maxPages' | 'validators' | 'maxJsonValues' | 'problemDetailsRequired'>,
): Finding {
  const response = exchange.response;
  if (!response) return { status: 'error', message: `not checked: ${exchange.transportError?.message ?? 'no response'}` };
  let parsed: JsonBodyOutcome | undefined;
  const checkContext: NegativeCheckContext = {
    operation,
    method: found.request.method,
    url: found.request.url,
    response,
    responseSpec: findResponseSpec(operation, response.status),
    carriesCredentials: requestCarriesCredentials(found.request),
    document: context.document,
    maxPages: context.maxPages,
    validators: context.validators,
    json: () => (parsed ??= parseJsonBody(response.body, context.maxJsonValues)),
    request: found.request,
    negative: found.mutation,
    problemDetailsRequired: context.problemDetailsRequired,
  };
  try {
    return check.run(checkContext);
  } catch (err) {
    return { status: 'error', message: `check ${check.id} crashed (a harness bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
  }
}
