import { readExportSpec } from '../profile/export-annotation.js';
import { buildPlanCredentials } from '../plan/credentials.js';
import { createValueHarvest } from '../plan/value-harvest.js';
import { chosenBodyCases } from '../plan/negative-bodies.js';
import { describeMutation, type NegativeCase } from '../plan/negative-cases.js';
import { needsValidAnswer, planNegativeCases, undocumentedGetProbes, type SentProbe } from '../plan/negative-plan.js';
import { planProbe, type PlannedProbe } from '../plan/plan-probe.js';
import type { SampleValue } from '../plan/sample-value.js';
import { changesState, READ_METHODS, type Lifecycle, type StepRole } from '../plan/write-plan.js';
import type { OperationSpec } from '../profile/profile-types.js';
import type { OutgoingRequest } from '../http/exchange-types.js';
import type { PreparedPlan } from './prepare-run.js';
import { boundAfterCreate, writeScope } from './lifecycles.js';

/** One line of a dry run: what would be sent and why, or why not. */
export interface PlannedRequest {
  operationId: string;
  method: string;
  /** The URL, or the path template when a value will come from an earlier response or a created record. */
  url: string;
  /** Headers after redaction. */
  headers: Record<string, string>;
  /** The request body, redacted, when one is sent. */
  body?: string;
  /** Why it is in the plan: `read`, `lifecycle step N of …`, or `not sent: …`. */
  reason: string;
  /** Where values come from at run time, when not yet known. */
  note?: string;
  /** A write sent only because the user named it (--operations, --paths): it may change data the run did not create. */
  namedWrite?: true;
  /** A line standing for the requests the run chooses when it sends (negative cases of a value known only then): at most this many. */
  upTo?: number;
}

/** What a dry run puts where a client-credentials run will put the token it fetches. */
const FETCHED_TOKEN_STAND_IN = 'token-fetched-at-run-time';

const STEP_TEXT: Record<StepRole | 'create', string> = {
  create: "create a record of the run's own",
  read: 'read it back',
  update: 'update it',
  'read-updated': 'read it again and compare',
  action: 'act on it',
  delete: 'delete it',
  'read-deleted': 'read it again: expect 404 or 410',
};

/**
 * What a run would send, in the order it would send it, without sending
 * anything, so a force can review what will hit a vendor's sandbox: every
 * request's body, and why it is there. Values that a real run takes from
 * earlier responses (ids from lists, ids of records it created) are shown as
 * `{name}` templates.
 *
 * @example
 *   for (const r of planDryRun(await preparePlan(options))) console.log(r.method, r.url, r.reason);
 */
export function planDryRun(prepared: PreparedPlan): PlannedRequest[] {
  const harvest = createValueHarvest();
  const { options, writePlan } = prepared;
  // A client-credentials run fetches its token before the first probe. The dry run plans with a stand-in
  // (always shown redacted), so its requests, and the negative phase's credential cases, are the run's own.
  const fetching = options.clientId !== undefined && prepared.credentials.token === undefined;
  const planContext = fetching
    ? { ...prepared.planContext, credentials: buildPlanCredentials(prepared.profile.document, prepared.profile.operations, { ...prepared.credentials, token: FETCHED_TOKEN_STAND_IN }) }
    : prepared.planContext;
  const redactor = fetching ? prepared.redactor.withSecrets([FETCHED_TOKEN_STAND_IN]) : prepared.redactor;
  // The same for every request not yet planned in full: redacted once, not 20,000 times.
  const baseHeaders = redactor.requestHeaders(planContext.headers);
  /** The names a lifecycle's new record id is bound to, as `{{name}}` (see below). */
  const boundIds = new Set<string>();
  /** A request planned in full, redacted. */
  const requestLine = (operation: OperationSpec, request: OutgoingRequest, reason: string): PlannedRequest => {
    const url = redactor.requestUrl(request.url).replace(/%7B%7B(\w[^%]*)%7D%7D/g, '{$1}');
    // An update's body names its record as its path does (withRecordId): the same {name}. Only that
    // placeholder, whole: a body's own "{{first_name}}" template is shown as it is sent.
    let text = request.body === undefined ? undefined : redactor.text(request.body);
    for (const name of boundIds) text = text?.split(`"{{${name}}}"`).join(`"{${name}}"`);
    const body = text === undefined ? {} : { body: text };
    return { operationId: operation.operationId, method: request.method, reason, url, headers: redactor.requestHeaders(request.headers), ...body };
  };
  const line = (operation: OperationSpec, plan: PlannedProbe, reason: string): PlannedRequest => {
    if (plan.kind === 'ready') return requestLine(operation, plan.request, reason);
    const base = { operationId: operation.operationId, method: operation.method, reason };
    if (plan.kind === 'waiting') {
      const url = planContext.target.href.replace(/\/$/, '') + operation.path;
      // Its headers are the run's (Accept, the credentials), whatever values fill the path: those of
      // the plan the run falls back to, with generated values.
      const fallback = planProbe(operation, planContext, harvest, true);
      // With no fallback (a template name no parameter declares), the headers of the plan a listed value would give.
      // (Its body does not depend on the path values.)
      const listed = fallback.kind === 'ready' ? fallback : planProbe(operation, planContext, harvest, true, Object.fromEntries(plan.waitingFor.map((name) => [name, { value: 'listed', source: 'harvested' as const }])));
      const headers = listed.kind === 'ready' ? redactor.requestHeaders(listed.request.headers) : baseHeaders;
      // And its query: the path values wait, the query's do not (LoopBack's `filter`, given with --var, was missing).
      const listedUrl = listed.kind === 'ready' ? redactor.requestUrl(listed.request.url) : '';
      const query = listedUrl.includes('?') ? listedUrl.slice(listedUrl.indexOf('?')) : '';
      const otherwise = fallback.kind === 'ready' ? 'else generated from the schema' : fallback.kind === 'skip' ? `else not sent (${fallback.reason})` : 'else not sent';
      // The body too: a named write waiting for its id sends one (to an existing record), and the dry run must show it.
      const body = listed.kind === 'ready' && listed.request.body !== undefined ? { body: redactor.text(listed.request.body) } : {};
      return { ...base, url: url + query, headers, ...body, note: `{${plan.waitingFor.join('}, {')}} taken from an earlier list response at run time, ${otherwise}` };
    }
    return { ...base, reason: `not sent: ${plan.reason}`, url: operation.path, headers: baseHeaders };
  };

  /** The negative checks of the run: only their cases are sent. */
  const negativeCheckIds = new Set(prepared.checks.filter((c) => c.kind === 'negative').map((c) => c.id));
  const lines: PlannedRequest[] = [];
  const reads: SentProbe[] = [];
  /** Reads whose path value comes from an earlier response: their negative requests are chosen at run time. */
  const readsAwaitingValues: Array<Extract<PlannedProbe, { kind: 'waiting' }>> = [];
  const readPlans: PlannedProbe[] = [];
  for (const operation of prepared.operations) {
    // As the run: with --allow-writes, a read named as a change goes with the writes below.
    if (options.allowWrites && changesState(operation)) continue;
    readPlans.push(planProbe(operation, planContext, harvest, false));
  }
  // As the run: a value comes from a list the run sent first. With no read to send first (only
  // `GET /comments/{id}` selected), a request waiting for one falls back at once.
  const listsFirst = readPlans.some((plan) => plan.kind === 'ready');
  for (const planned of readPlans) {
    const { operation } = planned;
    const plan = planned.kind === 'waiting' && !listsFirst ? planProbe(operation, planContext, harvest, true) : planned;
    lines.push(line(operation, plan, 'read'));
    if (plan.kind === 'ready') reads.push({ plan, status: 200 });
    else if (plan.kind === 'waiting' && READ_METHODS.has(operation.method)) readsAwaitingValues.push(plan);
  }
  lines.push(...negativeLines(reads, readsAwaitingValues));
  if (!options.allowWrites) return lines;
  for (const { operation, reason } of writePlan.notSent) lines.push({ ...line(operation, { kind: 'skip', operation, reason }, ''), reason: `not sent: ${reason}` });
  for (const lifecycle of writePlan.lifecycles) lines.push(...lifecycleLines(lifecycle, {}));
  for (const operation of writePlan.namedWrites) {
    lines.push({ ...line(operation, planProbe(operation, planContext, harvest, !listsFirst), 'sent because an include filter named it: it changes state the run did not create'), namedWrite: true });
  }
  lines.push(...exportTouchLines(prepared));
  return lines;

  /**
   * With --negative: the changed requests the phase would send after the
   * reads, chosen by the run's seed as the run chooses them. A dry run has no
   * answers, so it lists them as if each valid read were answered 200; the
   * run sends none for a read answered 401, 403 or 5xx (or not at all), and no
   * "must accept" case for one answered 4xx.
   */
  function negativeLines(sent: SentProbe[], awaiting: Array<Extract<PlannedProbe, { kind: 'waiting' }>>): PlannedRequest[] {
    const phase = options.negativePhase;
    if (!phase) return [];
    const pathOnly = undocumentedGetProbes(prepared.operations, prepared.profile.operations, planContext, harvest, writePlan);
    const planned = planNegativeCases(sent, pathOnly, { checkIds: negativeCheckIds, allOperations: prepared.profile.operations, planContext, allowWrites: options.allowWrites, seed: phase.seed, maxPerOperation: phase.maxPerOperation });
    const out: PlannedRequest[] = [];
    for (const { operation, cases } of planned) {
      for (const negative of cases) {
        const planned = negativeLine(operation, negative);
        // The dry run assumes the valid request gets a 2xx; the run sends these only if it does.
        out.push(needsValidAnswer(negative) ? { ...planned, note: 'sent only if the valid request gets a 2xx' } : planned);
      }
    }
    for (const plan of awaiting) {
      out.push({ ...line(plan.operation, plan, 'negative: chosen at run time, from the value the valid request takes from an earlier response'), note: `up to ${phase.maxPerOperation} changed requests, chosen by --seed ${phase.seed}`, upTo: phase.maxPerOperation });
    }
    return out;
  }

  /** One changed request, its reason saying what was changed and what the document expects. */
  function negativeLine(operation: OperationSpec, negative: NegativeCase): PlannedRequest {
    const { check, mutation, request } = negative;
    // Through the redactor as a whole, like the URL and headers: the reason quotes the value sent.
    return requestLine(operation, request, redactor.text(`negative (${check}, expect ${mutation.expect}): ${describeMutation(mutation)}`));
  }

  /**
   * With --negative and --allow-writes: the invalid bodies a lifecycle sends
   * to its own create or update, as the run chooses them (chosenBodyCases),
   * sent only if the valid request was answered 2xx.
   */
  function bodyLines(operation: OperationSpec, valid: PlannedProbe, note: string): PlannedRequest[] {
    const phase = options.negativePhase;
    if (!phase || valid.kind !== 'ready') return [];
    return chosenBodyCases(operation, valid, prepared.profile.document, phase.seed, phase.maxPerOperation)
      .filter((negative) => negativeCheckIds.has(negative.check))
      .map((negative) => ({ ...negativeLine(operation, negative), note }));
  }

  /** The steps of a lifecycle whose create is not sent, each a line saying so. */
  function notSentAfter(entries: Lifecycle['entries'], reason: string): PlannedRequest[] {
    return entries.flatMap((entry) => {
      if (entry.kind === 'child') return [{ ...line(entry.lifecycle.create, { kind: 'skip', operation: entry.lifecycle.create, reason }, ''), reason: `not sent: ${reason}` }, ...notSentAfter(entry.lifecycle.entries, reason)];
      return [{ ...line(entry.operation, { kind: 'skip', operation: entry.operation, reason }, ''), reason: `not sent: ${reason}` }];
    });
  }

  function lifecycleLines(lifecycle: Lifecycle, inherited: Record<string, SampleValue>): PlannedRequest[] {
    const out: PlannedRequest[] = [];
    let step = 0;
    const of = `lifecycle step %d of ${lifecycle.collectionPath} (${lifecycle.create.operationId})`;
    // As the run plans them (lifecycles.ts): a write, a nested create included, only to the run's own ids.
    const create = planProbe(lifecycle.create, planContext, harvest, true, inherited, writeScope(lifecycle, lifecycle.create, inherited));
    out.push(line(lifecycle.create, create, `${of.replace('%d', String(++step))}: ${STEP_TEXT.create}`));
    if (create.kind !== 'ready') {
      // As the run (skipRest): with no create, no step is sent, and no step's own --var would change that.
      const why = create.kind === 'skip' ? create.reason : `no value for {${create.waitingFor.join('}, {')}}`;
      out.push(...notSentAfter(lifecycle.entries, `the create step ${lifecycle.create.method} ${lifecycle.create.path} was not sent (${why})`));
      return out;
    }
    // As the run binds them, the new id shown as {{name}} so it survives URL encoding, then printed as {name}.
    const bound = boundAfterCreate(inherited, create, lifecycle.idParam, `{{${lifecycle.idParam}}}`);
    boundIds.add(lifecycle.idParam);
    const idNote = `{${lifecycle.idParam}}: the id of the record step 1 created (${lifecycle.idExpressions[0] ?? 'Location header, or the response body'})`;
    const updates: Array<{ operation: OperationSpec; plan: PlannedProbe }> = [];
    for (const entry of lifecycle.entries) {
      if (entry.kind === 'child') {
        out.push(...lifecycleLines(entry.lifecycle, bound));
        continue;
      }
      // As the run sends them (runEntries): the invalid updates of the run's own record, just before its delete.
      if (entry.role === 'delete') for (const update of updates) out.push(...bodyLines(update.operation, update.plan, `${idNote}; sent only if its valid update got a 2xx`));
      const plan = planProbe(entry.operation, planContext, harvest, true, bound, writeScope(lifecycle, entry.operation, bound));
      if (entry.role === 'update') updates.push({ operation: entry.operation, plan });
      const planned = line(entry.operation, plan, `${of.replace('%d', String(++step))}: ${STEP_TEXT[entry.role]}`);
      out.push({ ...planned, note: idNote });
    }
    // Then the invalid creates (invalidCreates), once the lifecycle is done: a create that takes one made a record to clean up.
    out.push(...bodyLines(lifecycle.create, create, 'sent only if the valid create got a 2xx and named its record; a record an invalid body makes is deleted at the end of the run'));
    return out;
  }
}

/**
 * export-incremental changes one existing record (the profile's
 * `x-interop.export.types.*.touch`) to see it in a `_since` export, because
 * an export holds only records the supplier already has. Like any write to a
 * record the run did not create, it is sent only when the user names it.
 */
function exportTouchLines(prepared: PreparedPlan): PlannedRequest[] {
  if (!prepared.checks.some((c) => c.id === 'export-incremental')) return [];
  const type = readExportSpec(prepared.profile.document)?.types.find((t) => t.touch !== undefined && t.changedAt !== undefined);
  if (!type?.touch) return [];
  const named = prepared.namedWrites.has(`${type.touch.method.toUpperCase()} ${type.touch.path}`) && prepared.options.allowWrites;
  return [
    {
      ...(named ? { namedWrite: true as const } : {}),
      operationId: 'check export-incremental',
      method: type.touch.method,
      url: prepared.planContext.target.href.replace(/\/$/, '') + type.touch.path,
      headers: { 'content-type': type.touch.contentType },
      body: prepared.redactor.text(JSON.stringify(type.touch.body)),
      reason: named
        ? `named: the export-incremental check changes one existing ${type.name} record (x-interop.export touch; the first one ${type.list ?? 'its list'} returns) to see it in a _since export`
        : `not sent: export-incremental would change an existing ${type.name} record to see it in a _since export; name it to allow it: --allow-writes --paths '${type.touch.method} ${type.touch.path}'`,
    },
  ];
}
