import type { LifecycleStep, NegativeCheck, ServiceCheck, ServiceCheckContext, ServiceFinding } from '../checks/check.js';
import { HarnessError } from '../errors.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import { createRateLimiter } from '../http/rate-limiter.js';
import { harnessIdentity } from '../package-root.js';
import { createValueHarvest, type ValueHarvest } from '../plan/value-harvest.js';
import { createListedRecords, type ListedRecords } from '../plan/listed-records.js';
import { planProbe, type PlannedProbe } from '../plan/plan-probe.js';
import { isEmptySelection } from '../plan/operation-selection.js';
import { changesState, lifecycleOperations, READ_METHODS, undefinedMethodReason, type Lifecycle } from '../plan/write-plan.js';
import { HeldRecords } from './held-records.js';
import { cleanUp, cleanUpSignal, jsonBody, mayHaveMadeUnnamed, namedCreateLeftBehind, runLifecycle, type CreatedRecord, type LifecycleDriver } from './lifecycles.js';
import type { OperationSpec } from '../profile/profile-types.js';
import { REPORT_FORMAT_VERSION, type Report } from '../report/report-types.js';
import { assessEvidence, summarize } from '../report/summarize.js';
import { buildCoverage, documentsSuccess, probeFact, type ProbeFact } from '../report/coverage.js';
import { withResultIds } from '../report/result-ids.js';
import { requestCarriesCredentials } from '../checks/auth-required.js';
import type { CheckResult } from '../results.js';
import { acquireToken, declaredTokenUrl } from './acquire-token.js';
import { buildPlanCredentials, serviceCredentialHeaders } from '../plan/credentials.js';
import { displayPath, reportArgv } from './report-paths.js';
import { checkExchange, toResults, type CheckedExchange, type ExecutedProbe } from './check-exchange.js';
import { buildClaimsLedger, fetchClaims } from './claims.js';
import type { ProbeSummary, RunEvent } from '../report/run-events.js';
import { runPool } from './run-pool.js';
import { runNegativePhase, sendNegativeCases, type NegativePhaseContext } from './negative-phase.js';
import { undocumentedGetProbes, type SentProbe } from '../plan/negative-plan.js';
import { createServiceContext } from './service-context.js';
import { chosenBodyCases } from '../plan/negative-bodies.js';
import { checkAllowed, type RunOptions } from './run-options.js';
import { prepareRun, type PreparedRun } from './prepare-run.js';

export { prepareRun, preparePlan, type PreparedRun, type PreparedPlan } from './prepare-run.js';

/**
 * Probe the target and return the report. Events go to `options.onEvent` as
 * they happen; the last is `run-finished`.
 *
 * @example
 *   const report = await run({ profile: 'baseline', target: 'http://127.0.0.1:8080' });
 *   if (report.summary.verdict !== 'conformant') process.exitCode = 1;
 */
export async function run(options: RunOptions): Promise<Report> {
  return executeRun(await prepareRun(options));
}

/** The same run as an async stream of events; the generator's return value is the report. */
export async function* runEvents(options: Omit<RunOptions, 'onEvent'>): AsyncGenerator<RunEvent, Report, void> {
  const queue: RunEvent[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  const done = run({
    ...options,
    onEvent(event) {
      queue.push(event);
      wake?.();
    },
  }).finally(() => {
    settled = true;
    wake?.();
  });
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (settled) return await done;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}

/** The operationId of results about the service as a whole (its published document, say). */
export const SERVICE_OPERATION_ID = '(service)';

/** Transport failures that mean no request could have reached the target at all. */
const UNREACHABLE = new Set(['connection-refused', 'dns', 'tls']);

let httpClientModule: Promise<typeof import('../http/http-client.js')> | undefined;

export async function executeRun(prepared: PreparedRun): Promise<Report> {
  const { options, profile, validators, checks, requirements } = prepared;
  const token = await clientCredentialsToken(prepared);
  // A fetched token is a secret like any other; the plan sends it on every probe.
  const redactor = token ? prepared.redactor.withSecrets([token]) : prepared.redactor;
  const given = token ? { ...prepared.credentials, token } : prepared.credentials;
  const planContext = token ? { ...prepared.planContext, credentials: buildPlanCredentials(profile.document, profile.operations, given) } : prepared.planContext;
  const serviceHeaders = token ? { ...prepared.serviceHeaders, ...serviceCredentialHeaders(profile.document, given) } : prepared.serviceHeaders;
  const emit = (event: RunEvent) => options.onEvent?.(event);
  const started = new Date();
  emit({
    type: 'run-started',
    startedAt: started.toISOString(),
    target: options.target.href,
    // Through the redactor as the report is: a document fetched with the run's credentials may echo them in its title or paths.
    profile: redactor.deep({ id: profile.info.id, title: profile.info.title, version: profile.info.version, mode: profile.info.mode }),
    operations: profile.operations.length,
  });
  for (const warning of prepared.warnings) emit({ type: 'profile-warning', warning: redactor.deep(warning) });

  const results: CheckResult[] = [];
  /** One per probe sent, for coverage and the verdict's view of the evidence. */
  const facts: ProbeFact[] = [];
  const transportCodes: string[] = [];
  let probes = 0;
  let responses = 0;
  // Operations given a skip result: the summary counts those never probed (a lifecycle step may skip an operation a read probed).
  const skippedOperations = new Set<string>();

  // Loaded here, not at the top: a dry run, which sends nothing, never loads the HTTP client.
  // Once per process: a loader hook (tsx) would otherwise resolve it again on every run.
  const { createHttpClient } = await (httpClientModule ??= import('../http/http-client.js'));
  const client = createHttpClient({
    targetUrl: options.target.href,
    limits: options.limits,
    redactor,
    connections: options.limits.concurrency,
    ...(options.allowedTargets ? { allowedTargets: options.allowedTargets } : {}),
  });
  const rateLimiter = createRateLimiter(options.limits.ratePerSecond);
  // Most runs set no rate: skip the await rather than pay for it on every request.
  const paced = options.limits.ratePerSecond !== null;
  const deadline = AbortSignal.timeout(options.limits.runTimeoutMs);
  // A timer cannot fire while a validation runs: the validators watch the clock themselves.
  validators.setRunDeadline(performance.now() + options.limits.runTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const harvest = createValueHarvest();
  // Harvested values only ever fill path parameters: a document with none never asks for one,
  // and its lists' items need not be kept to the end of the run.
  const harvesting = profile.operations.some((o) => o.path.includes('{'));
  // With --allow-writes, what the lists showed before the first write: a create naming one of those
  // records did not make it (listed-records.ts). Filled only while `readsDone` is false.
  const listedRecords = options.allowWrites && harvesting ? createListedRecords() : undefined;
  let readsDone = false;
  const checkStage = {
    checks,
    document: profile.document,
    validators,
    maxJsonValues: options.limits.maxJsonValues,
    maxPages: options.limits.maxPages,
    requirements,
    // Follow-up requests of probe checks obey the same rate limit and run deadline as probes.
    async send(request: OutgoingRequest): Promise<HttpExchange> {
      if (paced) await rateLimiter.wait(signal).catch(() => undefined);
      return client.send(request, signal);
    },
  };

  // An operation the run stopped before (time limit, cancel) is missing evidence, not
  // "not applicable": `error`, so the verdict is inconclusive rather than conformant.
  const skipOperation = (operation: OperationSpec, reason: string, status: 'skip' | 'error' = 'skip') => {
    skippedOperations.add(operation.operationId);
    const [result] = toResults('probe', { status, message: reason }, operation, undefined, new Map());
    results.push(result!);
    emit({ type: 'operation-skipped', result: result! });
  };
  const stopReason = () =>
    deadline.aborted ? `not probed: the run time limit of ${options.limits.runTimeoutMs / 1000} s was reached first` : 'not probed: the run was cancelled';

  /** Checks about the service as a whole, once, before the operations. */
  async function runServiceChecks(): Promise<void> {
    const serviceChecks = checks.filter((check): check is ServiceCheck => check.kind === 'service');
    if (serviceChecks.length === 0) return;
    const service = createServiceContext({
      prepared,
      serviceHeaders,
      checks,
      send: checkStage.send,
      async sendNamedWrite(request) {
        const exchange = await checkStage.send(request);
        namedWritesSent.push({ method: request.method, url: request.url, status: exchange.response?.status ?? null });
        return exchange;
      },
      async download(request, openSink) {
        if (paced) await rateLimiter.wait(signal).catch(() => undefined);
        return client.download(request, openSink, { maxBytes: options.limits.maxExportBytes, signal });
      },
      signal,
    });
    try {
      await runServiceCheckList(serviceChecks, service.context);
    } finally {
      service.close();
    }
  }

  async function runServiceCheckList(serviceChecks: ServiceCheck[], context: ServiceCheckContext): Promise<void> {
    for (const check of serviceChecks) {
      let finding: ServiceFinding;
      try {
        // A check the run stopped before is missing evidence, not "not applicable": `error`, as for operations.
        finding = signal.aborted ? { method: 'GET', path: '/', status: 'error', message: stopReason().replace('not probed', 'not checked') } : await check.run(context);
      } catch (err) {
        finding = { method: 'GET', path: '/', status: 'error', message: `check ${check.id} crashed (a harness bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
      }
      const { method, path, ...rest } = finding;
      const operation = { operationId: SERVICE_OPERATION_ID, method, path } as OperationSpec;
      const serviceResults = toResults(check.id, rest, operation, undefined, requirements);
      results.push(...serviceResults);
      emit({ type: 'probe-finished', probe: { index: 0, operationId: SERVICE_OPERATION_ID, method, path, url: `${options.target.href.replace(/\/$/, '')}${path}` }, results: serviceResults });
    }
  }

  /**
   * The one path every request for an operation takes (reads, lifecycle
   * steps, named writes, clean-up): sent, checked, recorded. A clean-up
   * request gets its own deadline, so it is sent even after the run's ran out.
   */
  async function sendProbe(probe: Extract<PlannedProbe, { kind: 'ready' }>, cleanup = false, lifecycle?: LifecycleStep): Promise<{ exchange: HttpExchange; json(): unknown } | undefined> {
    const sendSignal = cleanup ? cleanUpSignal(options.limits.requestTimeoutMs) : signal;
    if (paced) await rateLimiter.wait(sendSignal).catch(() => undefined);
    if (sendSignal.aborted) {
      skipOperation(probe.operation, stopReason(), 'error');
      return undefined;
    }
    const index = ++probes;
    // No listener, no summary: its URL would be redacted for nobody on every probe.
    const summary: ProbeSummary | undefined = options.onEvent && { index, operationId: probe.operation.operationId, method: probe.request.method, path: probe.operation.path, url: redactor.text(probe.request.url) };
    if (summary) emit({ type: 'probe-started', probe: summary });
    const exchange: HttpExchange = await client.send(probe.request, sendSignal);
    if (exchange.response) responses++;
    else if (exchange.transportError) transportCodes.push(exchange.transportError.code);
    const executed: ExecutedProbe = { operation: probe.operation, request: probe.request, exchange, inputSources: probe.valueSources };
    if (lifecycle) executed.lifecycle = lifecycle;
    const checked = await checkExchange(executed, checkStage);
    if (harvesting) harvestIds(harvest, readsDone ? undefined : listedRecords, probe, exchange, checked);
    for (const result of checked.results) results.push(result);
    facts.push(probeFact({ index, operation: probe.operation, exchange, inputs: probe.valueSources, results: checked.results, carriesCredentials: requestCarriesCredentials(probe.request), requestHeaders: probe.request.headers }));
    if (summary) emit({ type: 'probe-finished', probe: summary, results: checked.results });
    return { exchange, json: checked.json };
  }

  /** The reads sent, in order, with their statuses: the valid requests the negative phase changes. */
  const validProbes: SentProbe[] = [];
  /** The negative phase's view of the run (--negative): its checks, client and results. Lifecycles may send body cases through it. */
  const negativeContext: NegativePhaseContext | undefined = options.negativePhase && {
    options: options.negativePhase,
    checks: checks.filter((c): c is NegativeCheck => c.kind === 'negative'),
    allOperations: profile.operations,
    planContext,
    document: profile.document,
    validators,
    maxJsonValues: options.limits.maxJsonValues,
    maxPages: options.limits.maxPages,
    requirements,
    problemDetailsRequired: checks.some((c) => c.id === 'problem-details'),
    allowWrites: options.allowWrites,
    async send(request) {
      if (paced) await rateLimiter.wait(signal).catch(() => undefined);
      const exchange = await client.send(request, signal);
      if (exchange.response) responses++;
      return exchange;
    },
    record(operation, request, found) {
      if (request.url === '') {
        results.push(...found);
        return;
      }
      const summary: ProbeSummary = { index: ++probes, operationId: operation.operationId, method: request.method, path: operation.path, url: redactor.text(request.url) };
      emit({ type: 'probe-started', probe: summary });
      results.push(...found);
      emit({ type: 'probe-finished', probe: summary, results: found });
    },
    aborted: () => signal.aborted,
  };
  async function negativePhase(sent: SentProbe[]): Promise<void> {
    if (!negativeContext) return;
    const pathOnly = undocumentedGetProbes(prepared.operations, profile.operations, { ...planContext, allowWrites: options.allowWrites }, harvest, prepared.writePlan);
    await runNegativePhase(sent, pathOnly, negativeContext);
  }

  const created: CreatedRecord[] = [];
  /** Writes an include filter named, sent outside every lifecycle: the report lists them, since they may change others' data. */
  const namedWritesSent: NonNullable<NonNullable<Report['cleanup']>['namedWrites']> = [];
  const lifecycleDriver: LifecycleDriver = {
    // Reads may use the harvest; a write only the run's own ids (value-harvest.ts: harvested values are for reads).
    plan: (operation, bound, scope) => planProbe(operation, planContext, harvest, true, bound, scope),
    ...(planContext.runTag ? { runTag: planContext.runTag } : {}),
    send: sendProbe,
    judgesDeletion: checks.some((c) => c.id === 'use-after-delete'),
    ...(listedRecords ? { listedAt: listedRecords.listedAt } : {}),
    heldRecords: new HeldRecords(),
    // --negative with --allow-writes: invalid bodies, to the run's own collections and records only.
    ...(negativeContext && options.allowWrites
      ? {
          async negativeBodies(operation, valid) {
            const { seed, maxPerOperation } = negativeContext.options;
            const cases = chosenBodyCases(operation, valid, profile.document, seed, maxPerOperation);
            const accepted: Array<{ request: OutgoingRequest; exchange: HttpExchange; json(): unknown }> = [];
            await sendNegativeCases(operation, cases, negativeContext, undefined, (found, exchange) => {
              const status = exchange.response?.status;
              // A lost answer or a 5xx too: the invalid create may have made a record, listed as left behind.
              if ((status !== undefined && status >= 200 && status < 300) || mayHaveMadeUnnamed(exchange)) accepted.push({ request: found.request, exchange, json: () => jsonBody(exchange, options.limits.maxJsonValues) });
            });
            return accepted;
          },
        }
      : {}),
    skip: (operation, reason) => skipOperation(operation, reason),
    note(operation, status, message) {
      // In the report's results only: the read that showed it already had its probe-finished event.
      results.push(...toResults('probe', { status, message }, operation, undefined, requirements));
    },
  };

  // The vendor's claims, read like any other public document of the target (profile mode only).
  let claimsSource: Parameters<typeof buildClaimsLedger>[2] | undefined;
  if (profile.requirements.length > 0) {
    if (prepared.claimsFile) claimsSource = { kind: 'file', ...prepared.claimsFile, location: displayPath(prepared.claimsFile.location, options.cwd ?? process.cwd()) };
    else {
      const fetched = await fetchClaims(checkStage.send, options.target, serviceHeaders);
      claimsSource = fetched.claims
        ? { kind: 'well-known', location: fetched.url, claims: fetched.claims }
        : { kind: 'implied', reason: `no claims document (${fetched.reason}): the profile counts as claimed, its MUST requirements claimed and its SHOULD/MAY not` };
    }
  }

  try {
    await runServiceChecks();
    // Waves: probe what can be probed, harvest ids from list responses, then
    // plan the operations that were waiting for them. Each wave either
    // probes something or is the last, so this ends within operations + 1 waves.
    // Reads first (collections before the records they list), then, with
    // --allow-writes, each lifecycle in order, then the writes a filter named.
    // A read named as a change (`GET /deletePad`) is a write here: a lifecycle step, a named write, or not sent.
    const reads = prepared.operations.filter((o) => !changesState(o) || !options.allowWrites);
    if (options.allowWrites) for (const { operation, reason } of prepared.writePlan.notSent) skipOperation(operation, reason);
    let waiting: OperationSpec[] = reads;
    let final = false;
    while (waiting.length > 0) {
      let plans = waiting.map((operation) => planProbe(operation, planContext, harvest, final));
      if (!final) plans = awaitOwnLists(plans, (operation) => planProbe(operation, planContext, harvest, final), harvest);
      const ready = plans.filter((p): p is Extract<PlannedProbe, { kind: 'ready' }> => p.kind === 'ready');
      for (const plan of plans) if (plan.kind === 'skip') skipOperation(plan.operation, plan.reason);
      waiting = plans.filter((p) => p.kind === 'waiting').map((p) => p.operation);
      if (ready.length === 0) {
        if (final) break;
        final = true;
        continue;
      }
      await runPool(ready, options.limits.concurrency, async (p) => {
        const sent = await sendProbe(p);
        // Only the negative phase reads them: without it, each plan would be kept to the end of the run for nothing.
        if (sent && negativeContext) validProbes.push({ plan: p, status: sent.exchange.response?.status });
      }, signal, (p) => skipOperation(p.operation, stopReason(), 'error'));
    }
    // The reads are done: what a list shows from here on may be the run's own records.
    readsDone = true;
    if (options.negativePhase) await negativePhase(validProbes);
    if (options.allowWrites) {
      const { lifecycles, namedWrites } = prepared.writePlan;
      // A lifecycle the run stopped before: each of its selected operations no probe reached gets the reason,
      // as coverage lists them (its clean-up DELETE may be unselected, its reads probed already).
      const selectedIds = new Set(prepared.operations.map((o) => o.operationId));
      const notStarted = (l: Lifecycle) => {
        const probed = new Set(facts.map((fact) => fact.operationId));
        for (const operation of lifecycleOperations(l)) if (selectedIds.has(operation.operationId) && !probed.has(operation.operationId)) skipOperation(operation, stopReason(), 'error');
      };
      await runPool(lifecycles, options.limits.concurrency, (l) => runLifecycle(l, lifecycleDriver, created), signal, notStarted);
      for (const operation of namedWrites) {
        const plan = planProbe(operation, planContext, harvest, true);
        if (plan.kind === 'ready') {
          const sent = await sendProbe(plan);
          if (sent) namedWritesSent.push({ method: plan.request.method, url: plan.request.url, status: sent.exchange.response?.status ?? null });
          // What a named create made is the user's to remove: the cleanup lists it rather than count it unmade.
          const left = sent && namedCreateLeftBehind(operation, plan.request.url, sent.exchange);
          if (left) created.push(left);
        } else skipOperation(operation, plan.kind === 'skip' ? plan.reason : 'no value for a path parameter');
      }
    }
  } finally {
    try {
      await cleanUp(created, lifecycleDriver);
    } finally {
      await client.close();
    }
  }

  // Operations whose method HTTP does not define are never sent: --allow-writes would not help them.
  const sendable = prepared.operations.filter((o) => undefinedMethodReason(o.method) === undefined);
  const onlyWrites = !options.allowWrites && sendable.length > 0 && sendable.every((o) => !READ_METHODS.has(o.method));
  if (probes === 0 && !signal.aborted && onlyWrites && prepared.operations.length > 0) {
    // A valid document of writes only: nothing wrong with the input, but nothing shown either.
    const operation = { operationId: SERVICE_OPERATION_ID, method: 'GET', path: '/' } as OperationSpec;
    const message = `nothing was probed: every operation of the document changes data and this run is read-only; pass --allow-writes to probe them on records the run creates itself`;
    results.push(...toResults('probe', { status: 'error', message }, operation, undefined, requirements));
  } else if (probes === 0 && !signal.aborted && prepared.exportTouches.length === 0) {
    // Named alone, the export's touch is export-incremental's to send (or to say why it could not): the run did what it was asked.
    const reasons = [...new Set(results.map((r) => r.message))].slice(0, 3).join('; ');
    throw new HarnessError('PROFILE_NOTHING_TO_PROBE', `nothing was probed: every operation was skipped (${reasons})`);
  }
  if (probes > 0 && responses === 0 && transportCodes.length > 0 && transportCodes.every((c) => UNREACHABLE.has(c))) {
    const cause = results.find((r) => r.status === 'error')?.message.replace(/^not checked: /, '') ?? transportCodes[0];
    throw new HarnessError('TARGET_UNREACHABLE', `target unreachable: ${options.target.href} (${cause})`);
  }

  // Coverage of the operations the selection kept: the ones left out were never meant to be seen.
  const coverage = buildCoverage(prepared.operations, facts, results);
  // Results a caveat voids (401s to refused credentials, HTML fallbacks) neither verify nor refute a claim.
  const { voided } = assessEvidence(results, facts);
  const cwd = options.cwd ?? process.cwd();
  const finished = new Date();
  const head: Omit<Report, 'coverage' | 'results'> = redactor.deep({
    reportFormat: REPORT_FORMAT_VERSION,
    harness: harnessIdentity(),
    // Paths relative to the current folder: a shared report names no home folder or user.
    profile: { ...profile.info, source: displayPath(profile.info.source, cwd), warnings: prepared.warnings },
    target: { url: options.target.href },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    ...(options.invocation ? { invocation: { argv: reportArgv(options.invocation.argv, cwd, prepared.secretVars) } } : {}),
    options: {
      limits: options.limits,
      allowWrites: options.allowWrites,
      checks: checks.map((c) => c.id),
      ...(options.negativePhase ? { negative: options.negativePhase } : {}),
      ...(options.minCoverage !== undefined ? { minCoverage: options.minCoverage } : {}),
      ...(prepared.cache ? { cache: prepared.cache } : {}),
      ...(options.selection && !isEmptySelection(options.selection) ? { selection: { ...options.selection, selected: prepared.operations.length, of: profile.operations.length } } : {}),
    },
    requirements: profile.requirements,
    checks: checks.map(({ id, title, description }) => ({ id, title, description })),
    summary: summarize(results, probes, neverProbed(skippedOperations, facts), profile.requirements, { facts, coverage: coverage.summary, minCoverage: options.minCoverage, withoutSuccess: prepared.operations.filter((o) => !documentsSuccess(o)).length }),
    ...(options.allowWrites ? { cleanup: cleanupRecord(created, namedWritesSent) } : {}),
    ...(claimsSource ? { claims: buildClaimsLedger(profile, voided.size > 0 ? results.filter((r) => !voided.has(r)) : results, claimsSource) } : {}),
  });
  // Coverage and results are this run's own objects, dropped once the report has them: redacted
  // like the rest, but copied only where redaction changes something (evidence, redacted at
  // capture, is already shared as it is). Last, as before: a reader of report.json sees them in that order.
  const report: Report = { ...head, coverage: redactor.deepShared(coverage.records), results: redactor.deepShared(withResultIds(results)) };
  emit({ type: 'run-finished', report, terminal: true });
  return report;
}

/**
 * The bearer token for a run given client credentials. The profile's token URL
 * must be on the target's origin: client secrets go elsewhere only when the
 * user names the endpoint with --token-url.
 */
export async function clientCredentialsToken(prepared: PreparedRun): Promise<string | undefined> {
  const { options, profile } = prepared;
  if (options.clientId === undefined || options.clientSecret === undefined) return undefined;
  const tokenUrl = options.tokenUrl ?? declaredTokenUrl(profile.document, options.target);
  if (!tokenUrl) {
    throw new HarnessError('USAGE', 'client credentials were given, but the profile declares no OAuth 2.0 clientCredentials tokenUrl: pass --token-url');
  }
  if (options.tokenUrl === undefined && new URL(tokenUrl).origin !== options.target.origin) {
    throw new HarnessError('USAGE', `the profile's token URL ${tokenUrl} is not on the target's origin; pass --token-url ${tokenUrl} to send the client credentials there`);
  }
  // The profile's own token URL is on the target's origin, but the list is asked anyway: the check is cheap and local.
  if (options.allowedTargets) checkAllowed(options.allowedTargets, tokenUrl, 'token URL');
  return acquireToken({ clientId: options.clientId, clientSecret: options.clientSecret, tokenUrl }, options.limits, prepared.redactor, options.signal, options.allowedTargets);
}

/**
 * A wave's plans, with those that took a path value from a list of the same
 * resource elsewhere planned again while their own collection's list is in
 * the same wave: they wait for it (`ValueHarvest.pending`). The list at
 * `/orgs/acme/things` is sent in the wave that first knows {orgId}, the
 * same wave that would have read `/orgs/acme/things/{id}` with an id from
 * `/archive/things`.
 */
function awaitOwnLists(plans: PlannedProbe[], replan: (operation: OperationSpec) => PlannedProbe, harvest: ValueHarvest): PlannedProbe[] {
  const harvested = (p: PlannedProbe) => p.kind === 'ready' && Object.values(p.valueSources).includes('harvested');
  if (!plans.some(harvested)) return plans;
  harvest.pending = new Set(plans.flatMap((p) => (p.kind === 'ready' && p.operation.method === 'GET' ? [p.concretePath.replace(/\/$/, '')] : [])));
  try {
    return plans.map((p) => (harvested(p) ? replan(p.operation) : p));
  } finally {
    harvest.pending = undefined;
  }
}

/**
 * Remember the first item of a successful GET list response, for later path
 * parameters, and (before the first write) what the list showed. A body too
 * large to read whole may have shown any record: `listed` is told so.
 */
function harvestIds(harvest: ValueHarvest, listed: ListedRecords | undefined, probe: Extract<PlannedProbe, { kind: 'ready' }>, exchange: HttpExchange, checked: Pick<CheckedExchange, 'json' | 'readInPart'>): void {
  if (probe.request.method !== 'GET') return;
  // No answer whole: its status is not known, but a list cut short may have shown any record.
  if (!exchange.response) {
    if (listed && checked.readInPart()) listed.recordUnread(probe.concretePath);
    return;
  }
  const status = exchange.response.status;
  if (status < 200 || status > 299) return;
  const body = checked.json();
  if (body === undefined) {
    if (listed && checked.readInPart()) listed.recordUnread(probe.concretePath);
    return;
  }
  harvest.recordCollection(probe.concretePath, body);
  listed?.record(probe.concretePath, body);
}

/** How many of the skipped operations no probe reached: the report's `operationsSkipped`. */
function neverProbed(skipped: ReadonlySet<string>, facts: readonly ProbeFact[]): number {
  const probed = new Set(facts.map((fact) => fact.operationId));
  let count = 0;
  for (const operationId of skipped) if (!probed.has(operationId)) count++;
  return count;
}

/**
 * Why a record is left behind, and, where the run deleted a record whose URL
 * it lies under (Unleash: a context field's legal value, then the field), that
 * the parent's DELETE may have taken it too. Still listed: the run cannot tell.
 */
function withDeletedParent(record: CreatedRecord, created: readonly CreatedRecord[]): string {
  const reason = record.reason ?? 'not deleted';
  const parent = created.find((other) => other.deleted && record.url.startsWith(`${other.url.replace(/\/+$/, '')}/`));
  return parent ? `${reason}; the run then deleted ${parent.url}, which it lies under, and which may have taken it too` : reason;
}

/**
 * What the run created, as the report states it: what it removed, what it left
 * behind with why, and the writes the user named, which may have changed data
 * the run did not create.
 */
function cleanupRecord(created: CreatedRecord[], namedWrites: NonNullable<NonNullable<Report['cleanup']>['namedWrites']>): NonNullable<Report['cleanup']> {
  return {
    created: created.length,
    deleted: created.filter((r) => r.deleted).map((r) => r.url),
    leftBehind: created.filter((r) => !r.deleted).map((r) => ({ url: r.url, reason: withDeletedParent(r, created) })),
    ...(namedWrites.length > 0 ? { namedWrites } : {}),
  };
}
