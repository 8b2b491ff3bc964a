/**
 * Which negative requests a run sends (`--negative`), decided from the valid
 * requests it sent and what they got: the run's negative phase sends these,
 * and a dry run lists them. Pure: nothing here sends anything.
 */
import { namedChange } from './named-change.js';
import { pathTemplateNames, templatePattern } from '../path-template.js';
import type { OperationSpec } from '../profile/profile-types.js';
import { chooseNegativeCases, negativeCases, unsupportedMethodCase, type NegativeCase, type ReadyProbe } from './negative-cases.js';
import { planProbe, type PlanContext } from './plan-probe.js';
import type { ValueHarvest } from './value-harvest.js';
import { READ_METHODS, type WritePlan } from './write-plan.js';

/** A valid probe the run sent, and the status it got (undefined: no response; a dry run assumes 200). */
export interface SentProbe {
  plan: ReadyProbe;
  status: number | undefined;
}

/** What the choice depends on besides the valid probes. */
export interface NegativePlanContext {
  /** The negative checks selected for the run: a case whose check is not among them is not sent. */
  checkIds: ReadonlySet<string>;
  /** Every operation of the profile, for the methods each path documents. */
  allOperations: readonly OperationSpec[];
  planContext: PlanContext;
  allowWrites: boolean;
  seed: number;
  maxPerOperation: number;
}

/** One operation's negative requests, or why it gets none. */
export interface PlannedNegatives {
  operation: OperationSpec;
  cases: NegativeCase[];
  skipped?: string;
  /**
   * Cases the seed chose that are judged only against a 2xx to the valid
   * request (see `needsValidAnswer`), which it did not get: not sent, each
   * reported as a skip with `reason` and its `negative` change (so its result
   * id is the one it gets when sent), so a case --dry-run listed as
   * conditional is accounted for rather than silently missing.
   */
  notSent?: { cases: NegativeCase[]; reason: string };
}

/**
 * The cases for every probed operation, chosen by the seed, in the order the
 * probes were sent. `pathOnly` are plans of operations on paths that
 * document no GET, used only to ask those paths an undocumented GET.
 */
export function planNegativeCases(sent: readonly SentProbe[], pathOnly: readonly ReadyProbe[], context: NegativePlanContext): PlannedNegatives[] {
  const selected = context.checkIds;
  const methodsByPath = new Map<string, Set<string>>();
  for (const operation of context.allOperations) {
    const methods = methodsByPath.get(operation.path) ?? new Set<string>();
    methods.add(operation.method);
    methodsByPath.set(operation.path, methods);
  }
  const askedPaths = new Set<string>();
  // `/events/search` may be served by a documented `GET /events/{name}`: then GET is documented there after all.
  const getTemplates = context.allOperations.filter((o) => o.method === 'GET' || o.method === 'HEAD').map((o) => templatePattern(o.path));
  const documentedGet = (plan: ReadyProbe) => getTemplates.some((pattern) => pattern.test(plan.concretePath.split('?')[0] ?? ''));
  const planned: PlannedNegatives[] = [];
  for (const { plan, status } of sent) {
    const operation = plan.operation;
    if (!READ_METHODS.has(operation.method) && !context.allowWrites) continue;
    if (status === undefined || status === 401 || status === 403 || status >= 500) {
      const why = status === undefined ? 'got no response' : `was answered ${status}`;
      planned.push({ operation, cases: [], skipped: `no negative requests: the valid request ${why}, so a changed one would show nothing about validation` });
      continue;
    }
    let cases = operation.method === 'GET' || operation.method === 'HEAD' ? negativeCases(operation, plan, context.planContext) : [];
    const took = status >= 200 && status <= 299;
    if (operation.method === 'GET' && !askedPaths.has(operation.path)) {
      askedPaths.add(operation.path);
      const asked = unsupportedMethodCase(methodsByPath.get(operation.path) ?? new Set(), plan, context.planContext);
      if (asked) cases.push(asked);
    }
    cases = cases.filter((c) => selected.has(c.check));
    let chosen = chooseNegativeCases(cases, context.maxPerOperation, context.seed, operation.operationId);
    // A changed value can only be judged against a valid request the API took, and so can an unknown id:
    // where the valid request got a 404 too, the changed one's 404 tells the two apart in nothing.
    // Dropped after the choice, so the others are the ones --dry-run (which assumes a 2xx) lists.
    const waiting = took ? [] : chosen.filter(needsValidAnswer);
    if (waiting.length === 0) {
      planned.push({ operation, cases: chosen });
      continue;
    }
    const reason = `it is judged against a 2xx to the valid request, which was answered ${status}`;
    planned.push({ operation, cases: chosen.filter((c) => !needsValidAnswer(c)), notSent: { cases: waiting, reason } });
  }
  for (const plan of pathOnly) {
    // Without --allow-writes, no undocumented method goes to a path whose documented methods all change data.
    if (!context.allowWrites) break;
    if (askedPaths.has(plan.operation.path)) continue;
    askedPaths.add(plan.operation.path);
    if (documentedGet(plan)) continue;
    const asked = unsupportedMethodCase(methodsByPath.get(plan.operation.path) ?? new Set(), plan, context.planContext);
    if (asked && selected.has(asked.check)) planned.push({ operation: plan.operation, cases: [asked] });
  }
  return planned;
}

/**
 * Plans of the operations on paths that document no GET or HEAD, used only
 * to ask those paths an undocumented GET (never sent as documented). Read-only
 * by default: without --allow-writes there are none, since a path whose only
 * methods change data may be an action on a real record; with it, only the
 * collections the run creates its own records in (`undocumentedGetRefusal`).
 */
export function undocumentedGetProbes(
  selected: readonly OperationSpec[],
  allOperations: readonly OperationSpec[],
  planContext: PlanContext,
  harvest: ValueHarvest,
  writePlan: Pick<WritePlan, 'lifecycles'>,
): ReadyProbe[] {
  if (!planContext.allowWrites) return [];
  const documentsGet = new Set(allOperations.filter((o) => o.method === 'GET' || o.method === 'HEAD').map((o) => o.path));
  return selected
    .filter((o) => !documentsGet.has(o.path) && o.method !== 'TRACE' && undocumentedGetRefusal(o, writePlan) === undefined)
    .map((o) => planProbe(o, planContext, harvest, true))
    .filter((p): p is ReadyProbe => p.kind === 'ready');
}

/**
 * Why a path whose documented methods all change data is not asked an
 * undocumented GET, even with --allow-writes; undefined where it may be. An
 * RPC server may answer that GET by doing the work, and no list of words
 * names every action: NocoBase ran `GET /app:restart`, `/roles:create` and
 * `/apiKeys:destroy/1` (deleting the key the run was using), and, once those
 * were named, `GET /workflows:revision` copied a user's workflow. So the GET
 * goes only to a collection the run creates its own records in (a POST the
 * write plan pairs with a DELETE of what it makes), at a path with no
 * parameter, whose segments name no change: a REST collection, where a GET
 * lists or is refused.
 *
 * @example
 *   undocumentedGetRefusal(postNotesCreate, writePlan);
 *   // 'POST /notes:create is not a collection the run creates its own records in…'
 */
export function undocumentedGetRefusal(
  operation: Pick<OperationSpec, 'method' | 'path' | 'operationId' | 'syntheticId'>,
  writePlan: Pick<WritePlan, 'lifecycles'>,
): string | undefined {
  if (!createsOwnRecords(writePlan, operation)) {
    return `${operation.method} ${operation.path} is not a collection the run creates its own records in, and a server may do on GET what its ${operation.method} does, to what the run did not create`;
  }
  const parameters = pathTemplateNames(operation.path);
  if (parameters.length > 0) return `${operation.path} has a parameter ({${parameters.join('}, {')}}), which may name a record the run did not create, and a server may do on GET what its ${operation.method} does`;
  // The path's names only: the operationId names the POST (`createNote`), and the GET goes to the path.
  const named = namedChange({ ...operation, method: 'GET', syntheticId: true });
  return named === undefined ? undefined : `${operation.method} ${operation.path} is ${named}, and a server may do it on GET`;
}

/**
 * Whether the operation is the create of a top-level lifecycle: the run's own records are made
 * there. A child lifecycle's collection lies under its parent's record, so has a parameter.
 */
function createsOwnRecords(writePlan: Pick<WritePlan, 'lifecycles'>, operation: Pick<OperationSpec, 'method' | 'path'>): boolean {
  return writePlan.lifecycles.some((lifecycle) => lifecycle.create.method === operation.method && lifecycle.create.path === operation.path);
}

/**
 * Whether a case is judged against the valid request's 2xx, and so sent only
 * after one: every changed value, valid (a boundary) or not, and an unknown
 * id. After a 4xx to the valid request, the changed one's 4xx shows nothing
 * about validation (NocoDB's groupby answered 404 for a missing column name,
 * and each invalid offset's 404 was credited as a rejection). An undocumented
 * method and missing or wrong credentials are judged on their own answer.
 * --dry-run, which assumes a 2xx, marks the others as conditional.
 */
export function needsValidAnswer(negative: Pick<NegativeCase, 'check' | 'mutation'>): boolean {
  return negative.check !== 'unsupported-method' && negative.check !== 'ignored-auth';
}
