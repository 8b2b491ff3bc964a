/**
 * Everything a run does before its first request: load the profile, select
 * operations and checks, plan credentials, and (for a run, not a dry run)
 * compile the validators. Apart from run.ts so a dry run loads none of what
 * sending, checking and reporting need.
 */
import { undocumentedSuccessBodies } from '../profile/undocumented-success-bodies.js';
import { randomBytes } from 'node:crypto';
import { CHECKS } from '../checks/index.js';
import type { Check } from '../checks/check.js';
import { selectChecks } from '../checks/select-checks.js';
import { HarnessError } from '../errors.js';
import { createRedactor, type Redactor } from '../http/redactor.js';
import { harnessIdentity } from '../package-root.js';
import type { PlanContext } from '../plan/plan-probe.js';
import { isEmptySelection, selectOperations, type OperationSelection } from '../plan/operation-selection.js';
import { ownRecordVarWarnings, varWarnings } from '../plan/var-warnings.js';
import { refusedExampleWarnings } from '../plan/refused-examples.js';
import { planWrites, undefinedMethodReason, type Lifecycle, type WritePlan } from '../plan/write-plan.js';
import { loadProfile } from '../profile/load-profile.js';
import { isProfileUrl, type OriginCredentials } from '../profile/fetch-document.js';
import { readExportSpec } from '../profile/export-annotation.js';
import { openProfileCache } from '../profile/profile-cache.js';
import type { LoadedProfile, OperationSpec, ProfileWarning } from '../profile/profile-types.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import { buildPlanCredentials, givenCredentials, missingCredentialsWarning, secretPlacements, secretValues, serviceCredentialHeaders, type GivenCredentials } from '../plan/credentials.js';
import { readClaimsFile, type ClaimsDocument } from './claims.js';
import { buildRequirementIndex, type RequirementIndex } from './requirement-index.js';
import { resolveRunOptions, type ResolvedRunOptions, type RunOptions } from './run-options.js';

/** The load and compile stages' output: what probing needs, built once. */
export interface PreparedRun {
  options: ResolvedRunOptions;
  profile: LoadedProfile;
  validators: CompiledValidators;
  checks: Check[];
  requirements: RequirementIndex;
  warnings: ProfileWarning[];
  planContext: PlanContext;
  redactor: Redactor;
  /** The operations the run probes, after --operations/--skip-operations/--tags/--paths. */
  operations: OperationSpec[];
  /** With --allow-writes: the lifecycles on records the run creates, and the writes it will not send. */
  writePlan: WritePlan;
  /** `METHOD /path/template` of every operation an include filter named: writes the user allowed on records the run did not create. */
  namedWrites: ReadonlySet<string>;
  /** Named writes left to export-incremental to send as the export's touch (not probed as named writes). */
  exportTouches: OperationSpec[];
  /** Credentials as given (before a client-credentials token is fetched), to place them per operation. */
  credentials: GivenCredentials;
  /** `--var` names that are secrets (a security scheme names them): hidden in the report's command line. */
  secretVars: string[];
  /** Headers for requests that are not operations (discovery, claims, exports): user headers and credentials. */
  serviceHeaders: Record<string, string>;
  /** The claims document from --claims, read (and validated) before any request. */
  claimsFile?: { location: string; claims: ClaimsDocument };
  /** The load cache, when the options named one (`on`), bypassed it (`off`), or its folder was not safe to use (`refused`). */
  cache?: 'on' | 'off' | 'refused';
}

/** Everything a run prepares except its validators: what a dry run needs, since it validates nothing. */
export type PreparedPlan = Omit<PreparedRun, 'validators'>;

/**
 * Load the profile, compile the validators of the operations the run selected
 * and choose the checks: everything before the first request. Throws
 * HarnessError on bad input.
 */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const prepared = await prepare(options, true);
  return { ...prepared, validators: prepared.validators! };
}

/**
 * Load the profile, select operations and checks, plan credentials: a run's
 * preparation without compiling a validator, for `--dry-run`, which validates nothing.
 */
export async function preparePlan(options: RunOptions): Promise<PreparedPlan> {
  const { validators: _none, ...plan } = await prepare(options, false);
  return plan;
}

/**
 * The operations whose responses a run can validate: those selected, and the
 * lifecycle steps and named writes the write plan adds (a clean-up DELETE's
 * response is not judged).
 */
function validatedOperations(all: OperationSpec[], selection: OperationSelection, selected: OperationSpec[], writePlan: WritePlan): OperationSpec[] {
  if (isEmptySelection(selection)) return all;
  const operations = new Set<OperationSpec>(selected);
  const addLifecycle = (lifecycle: Lifecycle): void => {
    operations.add(lifecycle.create);
    // The read that confirms an id the run chose among the answer's id fields is sent, and judged, even when left out.
    if (lifecycle.read) operations.add(lifecycle.read);
    for (const entry of lifecycle.entries) {
      if (entry.kind === 'child') addLifecycle(entry.lifecycle);
      else operations.add(entry.operation);
    }
  };
  for (const lifecycle of writePlan.lifecycles) addLifecycle(lifecycle);
  for (const operation of writePlan.namedWrites) operations.add(operation);
  return [...operations];
}

/**
 * What a profile fetched from the target's own origin is fetched with: the
 * credentials whose place the user named (`-H`, `--header-env`,
 * `--cookie-env`, `--token-env`, `--basic-env`), as the run's service-level
 * requests carry them. An API key's place is known only from the document,
 * and a client-credentials token only after it is read: neither is sent.
 */
function documentCredentials(resolved: ResolvedRunOptions): { credentials: OriginCredentials } | undefined {
  if (!isProfileUrl(resolved.profile)) return undefined;
  const given: GivenCredentials = { placed: resolved.placedCredentials ?? [] };
  if (resolved.token !== undefined) given.token = resolved.token;
  if (resolved.basic !== undefined) given.basic = resolved.basic;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...resolved.headers, ...serviceCredentialHeaders({}, given) })) headers[name.toLowerCase()] = value;
  if (Object.keys(headers).length === 0) return undefined;
  // A profile elsewhere gets none, nor do its `$ref`s to the target: the rule is the profile's own origin.
  const elsewhere = new URL(resolved.profile.trim()).origin !== resolved.target.origin;
  return { credentials: { origin: resolved.target.origin, headers, ...(elsewhere ? { withheld: true as const } : {}) } };
}

async function prepare(options: RunOptions, withValidators: boolean): Promise<PreparedPlan & { validators?: CompiledValidators }> {
  const resolved = resolveRunOptions(options);
  const cache = typeof resolved.cache === 'string' ? openProfileCache(resolved.cache) : undefined;
  const profile = await loadProfile(resolved.profile, {
    allowRemoteRefs: resolved.allowRemoteRefs ?? false,
    maxBytes: resolved.limits.maxProfileBytes,
    // A profile given as a URL is fetched with the run's own wait and redirect bounds.
    fetchLimits: { requestTimeoutMs: resolved.limits.requestTimeoutMs, maxRedirects: resolved.limits.maxRedirects },
    ...documentCredentials(resolved),
    ...(resolved.allowedTargets ? { allowedTargets: resolved.allowedTargets } : {}),
    ...(cache && !cache.refused && !cache.unavailable ? { cache } : {}),
  });
  const later: ProfileWarning[] = [];
  if (cache?.refused) later.push({ code: 'cache-refused', message: `${cache.refused}; the run went on without it`, location: '' });
  const basePath = basePathWarning(profile, resolved.target);
  if (basePath) later.push(basePath);
  const checks = checksForProfile(profile, resolved, later);
  const selection = resolved.selection ?? {};
  const selected = selectOperations(profile.operations, profile.document, selection);
  later.push(...varWarnings(resolved.vars, selected.operations, profile.document));
  later.push(...refusedExampleWarnings(resolved.vars, selected.operations, profile.document));
  const bodiless = undocumentedSuccessBodies(selected.operations);
  if (bodiless) later.push(bodiless);
  const touchSent = checks.some((check) => check.id === 'export-incremental');
  const { touches, ...writePlan } = resolved.allowWrites ? planRunWrites(profile, selected.operations, selected.named, touchSent) : { lifecycles: [], namedWrites: [], notSent: [], touches: [] };
  later.push(...ownRecordVarWarnings(resolved.vars, writePlan.lifecycles));
  // Loaded only to compile: a dry run never loads the validator.
  const validators = withValidators
    ? (await import('../schema/compile-validators.js')).compileValidators(profile, { timeoutMs: resolved.limits.requestTimeoutMs, operations: validatedOperations(profile.operations, selection, selected.operations, writePlan) })
    : undefined;
  const warnings = [...profile.warnings, ...(validators?.warnings ?? []), ...later];
  const identity = harnessIdentity();
  const headers: Record<string, string> = { 'user-agent': `${identity.name}/${identity.version}`, ...resolved.headers };
  // Credentials go where the document's security schemes say, operation by operation (see credentials.ts).
  const { given, secretVars } = givenCredentials(profile.document, resolved);
  const fetching = resolved.clientId !== undefined && given.token === undefined;
  const missing = missingCredentialsWarning(profile.document, profile.operations, fetching ? { ...given, token: 'client-credentials' } : given);
  // First, before probing starts: the writes a filter named change what the run did not create.
  const named = namedWritesWarning([...writePlan.namedWrites, ...touches]);
  if (named) warnings.unshift(named);
  // First: a run without credentials against a secured API is mostly 401s; the warning must not be cut off.
  if (missing) warnings.unshift(missing);
  const placements = [
    ...secretPlacements(profile.document, given),
    ...Object.keys(resolved.headers).map((name) => ({ in: 'header' as const, name })),
  ];
  // Upper, lower, digit and a symbol, 20 characters: most password rules take it. The symbol is `_`, which
  // no URL or form encoding changes: a supplier echoing it form-encoded (`!` as %21) would have leaked it.
  // Made only where a write body may be sent (never in a read-only run): a secret never sent cannot leak,
  // and each one the redactor knows is searched for in every text it redacts.
  const runSecret = resolved.allowWrites ? `Ip1_${randomBytes(12).toString('base64url')}` : undefined;
  const secrets = [...resolved.secrets, ...secretValues(given), ...secretVars.map((name) => resolved.vars[name]!), ...(runSecret ? [runSecret] : [])];
  // A method HTTP does not define is never sent, named or not (the export's touch request asks this set too).
  const namedWrites = new Set(profile.operations.filter((o) => selected.named.has(o.operationId) && undefinedMethodReason(o.method) === undefined).map((o) => `${o.method} ${o.path}`));
  return {
    ...(resolved.claims ? { claimsFile: { location: resolved.claims, claims: await readClaimsFile(resolved.claims) } } : {}),
    options: resolved,
    profile,
    ...(validators ? { validators } : {}),
    ...(resolved.cache !== undefined ? { cache: cache === undefined || cache.unavailable ? 'off' : cache.refused ? 'refused' : 'on' } : {}),
    checks,
    requirements: buildRequirementIndex(profile),
    warnings,
    operations: selected.operations,
    writePlan,
    exportTouches: touches,
    namedWrites,
    planContext: {
      document: profile.document,
      target: resolved.target,
      vars: resolved.vars,
      headers,
      allowWrites: resolved.allowWrites,
      namedWrites,
      runTag: randomBytes(3).toString('hex'),
      ...(runSecret ? { runSecret } : {}),
      credentials: buildPlanCredentials(profile.document, profile.operations, given),
    },
    redactor: createRedactor(secrets, { placements, fields: resolved.redactFields ?? [] }),
    credentials: given,
    secretVars,
    serviceHeaders: { ...headers, ...serviceCredentialHeaders(profile.document, given) },
  };
}

/**
 * The run's writes (write-plan.ts), where a named write that is the export's
 * touch (x-interop.export), with export-incremental among the run's checks,
 * is not also probed: the README has the user name `PATCH
 * /v1/persons/{personId}` so the check may send the profile's own change,
 * and a probe would send a generated body to an existing person as well.
 * `touches` lists them, for the named-writes warning: the check sends them.
 */
function planRunWrites(profile: LoadedProfile, operations: readonly OperationSpec[], named: ReadonlySet<string>, touchSent: boolean): WritePlan & { touches: OperationSpec[] } {
  const plan = planWrites(profile.operations, operations, named, profile.document);
  const touchKeys = new Set((readExportSpec(profile.document)?.types ?? []).flatMap((type) => (type.touch ? [`${type.touch.method.toUpperCase()} ${type.touch.path}`] : [])));
  // Without export-incremental nothing sends the touch: the write named stays a named write, as asked.
  const touches = touchSent ? plan.namedWrites.filter((operation) => touchKeys.has(`${operation.method.toUpperCase()} ${operation.path}`)) : [];
  if (touches.length === 0) return { ...plan, touches };
  const reason = "named for export-incremental's touch, which sends the profile's own change (x-interop.export); not probed as well, with a generated body, on a record the run did not create";
  return { ...plan, namedWrites: plan.namedWrites.filter((o) => !touches.includes(o)), notSent: [...plan.notSent, ...touches.map((operation) => ({ operation, reason }))], touches };
}

/**
 * The writes an include filter named, said before any is sent: each goes to
 * state the run did not create (a bulk `DELETE /things`, a settings toggle),
 * and the run cannot undo it. The dry run lists them too.
 */
function namedWritesWarning(namedWrites: readonly OperationSpec[]): ProfileWarning | undefined {
  if (namedWrites.length === 0) return undefined;
  const shown = namedWrites.slice(0, 5).map((o) => `${o.method} ${o.path}`).join(', ');
  const more = namedWrites.length > 5 ? ` and ${namedWrites.length - 5} more` : '';
  return {
    code: 'named-writes',
    message: `${namedWrites.length} write${namedWrites.length === 1 ? '' : 's'} named by --operations or --paths will be sent to state the run did not create, and not undone: ${shown}${more}`,
    location: '',
  };
}

/**
 * `--target` replaces the document's servers, base path included. When the
 * target has no path but the document's server has one, say so up front: a
 * run of 404s is the usual sign of a forgotten `/v1`.
 */
function basePathWarning(profile: LoadedProfile, target: URL): ProfileWarning | undefined {
  const server = profile.info.servers[0];
  if (!server || target.pathname !== '/' || server.includes('{')) return undefined;
  let path: string;
  try {
    path = new URL(server, 'http://relative.invalid').pathname.replace(/\/$/, '');
  } catch {
    return undefined;
  }
  if (path === '') return undefined;
  const suggestion = target.href.replace(/\/$/, '') + path;
  return {
    code: 'target-base-path',
    message: `the document's server ${server} has the base path ${path}, but --target has none: requests go to ${target.origin}/…; if the API lives under ${path}, pass --target ${suggestion}`,
    location: '/servers/0/url',
  };
}

/**
 * In profile mode the profile says which checks verify its requirements; in
 * generic mode every generic check runs (a supplier is judged against its own
 * document, not against a policy nobody asked for). `--checks`/`--skip-checks`
 * narrow either.
 */
function checksForProfile(profile: LoadedProfile, options: ResolvedRunOptions, warnings: ProfileWarning[]): Check[] {
  // The negative checks judge only the requests --negative sends: without it they have nothing to judge.
  const negative = (c: Check) => c.kind === 'negative' && options.negativePhase !== undefined;
  let candidates: readonly Check[] = CHECKS.filter((c) => c.scope === 'generic' && (c.kind !== 'negative' || negative(c)));
  if (profile.info.mode === 'profile') {
    const named = new Set(profile.requirements.flatMap((r) => r.checks));
    for (const id of named) {
      if (!CHECKS.some((c) => c.id === id)) {
        warnings.push({ code: 'unknown-check', message: `x-interop names check "${id}", which this harness version does not have`, location: '/x-interop/requirements' });
      }
    }
    candidates = CHECKS.filter((c) => (named.has(c.id) && c.kind !== 'negative') || negative(c));
  }
  const selected = selectChecks(candidates, { include: options.checks, exclude: options.skipChecks });
  if (selected.length === 0) {
    // A run that checks nothing would report "conformant" about nothing.
    throw new HarnessError('USAGE', `no checks left to run (profile checks: ${candidates.map((c) => c.id).join(', ') || 'none'}); loosen --checks/--skip-checks`);
  }
  return selected;
}
