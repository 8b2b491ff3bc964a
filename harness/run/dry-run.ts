import { createValueHarvest } from '../plan/value-harvest.js';
import { planProbe } from '../plan/plan-probe.js';
import type { PreparedRun } from './run.js';

/** One line of a dry run: what would be sent, or why not. */
export interface PlannedRequest {
  operationId: string;
  method: string;
  /** The URL, or the path template when a value will come from an earlier response. */
  url: string;
  /** Headers after redaction. */
  headers: Record<string, string>;
  note?: string;
}

/**
 * What a run would send, without sending anything, so a force can review
 * what will hit a vendor's sandbox. Path parameters that a real run takes from
 * earlier list responses are shown as templates.
 *
 * @example
 *   for (const r of planDryRun(await prepareRun(options))) console.log(r.method, r.url);
 */
export function planDryRun(prepared: PreparedRun): PlannedRequest[] {
  const harvest = createValueHarvest();
  const { redactor, planContext } = prepared;
  return prepared.profile.operations.map((operation) => {
    const plan = planProbe(operation, planContext, harvest, false);
    const base = { operationId: operation.operationId, method: operation.method };
    if (plan.kind === 'ready') {
      return { ...base, url: redactor.text(plan.request.url), headers: redactor.headers(plan.request.headers) };
    }
    const headers = redactor.headers(planContext.headers);
    if (plan.kind === 'waiting') {
      const url = planContext.target.href.replace(/\/$/, '') + operation.path;
      return { ...base, url, headers, note: `{${plan.waitingFor.join('}, {')}} taken from an earlier list response at run time, else generated from the schema` };
    }
    return { ...base, url: operation.path, headers, note: `not sent: ${plan.reason}` };
  });
}
