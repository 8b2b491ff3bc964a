import { HarnessError } from '../errors.js';
import { getAtPointer, isRecord, localRefToPointer } from '../json-pointer.js';
import type { OperationSpec, ProfileWarning } from '../profile/profile-types.js';

/**
 * Credentials as the run applies them: taken from the environment (never
 * invented) and placed the way the document's security schemes say
 * (`components.securitySchemes` and the top-level or operation `security`).
 */

/** Where a credential travels in a request. */
export type CredentialPlace = 'header' | 'query' | 'cookie';

/** A credential placed explicitly (`--header-env`, `--query-env`, `--cookie-env`). */
export interface PlacedCredential {
  in: CredentialPlace;
  name: string;
  value: string;
  /** The environment variable it came from, for `$VAR` placeholders in curl lines. */
  variable?: string;
}

/** Every credential a run was given, before the document says where each goes. */
export interface GivenCredentials {
  /** Bearer token (`--token-env`, or fetched with client credentials). */
  token?: string;
  tokenVariable?: string;
  /** Value for the document's apiKey scheme(s) (`--api-key-env`, or a `--var` named like the scheme's parameter). */
  apiKey?: string;
  apiKeyVariable?: string;
  basic?: { username: string; password: string; variables?: [string, string] };
  placed: PlacedCredential[];
}

/**
 * The options that give a run credentials, for a hint where a request went
 * without them: one wording, naming the API key too (an apiKey scheme in a
 * query parameter is reached by neither a token nor a header).
 */
export const CREDENTIAL_OPTIONS = '--token-env VAR, --api-key-env VAR, --client-id with --client-secret-env, or --header';

/** What one request carries: lower-case header names; query and cookie names as the document spells them. */
export interface AppliedCredentials {
  headers: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
}

/**
 * The planner's view: what to add to each operation's request, and which
 * parameters a security scheme names (never filled with an example or a
 * generated value: they get the credential or are left out).
 */
export interface PlanCredentials {
  /** Keyed by the operation's JSON pointer; an operation with none (e.g. `security: []`) is absent. */
  perOperation: Record<string, AppliedCredentials>;
  /** `in:name` of every parameter a security scheme names; header names lower-case. */
  schemeParameters: string[];
}

/** A place in a request where a secret is written, for redaction by position rather than by value. */
export interface SecretPlacement {
  in: CredentialPlace;
  name: string;
  /** The environment variable behind it: evidence and curl lines say `${VAR}` there. */
  variable?: string;
  /** For Authorization: how the value is built, so `Bearer ${VAR}` keeps its scheme. */
  scheme?: 'bearer' | 'basic';
  /** For basic: the user and password variables, so a curl line can say `-u "${U}:${P}"`. */
  basicVariables?: [string, string];
  /**
   * The credential sent there (the token, for bearer), so the redactor can tell
   * which of two placements for one header a sent value came from. Only the
   * redactor reads it; it is never written anywhere.
   */
  value?: string;
}

interface SecurityScheme {
  name: string;
  kind: 'bearer' | 'basic' | 'apiKey' | 'other';
  /** apiKey only. */
  in?: CredentialPlace;
  paramName?: string;
  /** Words for messages: `bearer 'jwt'`, `apiKey 'api_key' in query`. */
  label: string;
  /** The flag that would satisfy it. */
  hint: string;
}

const EMPTY: AppliedCredentials = Object.freeze(emptyApplied());

/** Null-prototype maps: a scheme or parameter named `__proto__` or `constructor` is just a name. */
function emptyApplied(): AppliedCredentials {
  const map = () => Object.create(null) as Record<string, string>;
  return { headers: map(), query: map(), cookies: map() };
}

/**
 * The credentials to apply to one operation, for the planner.
 *
 * @example
 *   const applied = credentialsFor(context.credentials, operation);
 *   Object.assign(headers, applied.headers);
 */
export function credentialsFor(credentials: PlanCredentials | undefined, operation: OperationSpec): AppliedCredentials {
  if (!credentials || !Object.hasOwn(credentials.perOperation, operation.pointer)) return EMPTY;
  return credentials.perOperation[operation.pointer]!;
}

/** Whether a security scheme names this parameter (`in:name`), so its value is a credential, never an example. */
export function isSchemeParameter(credentials: PlanCredentials | undefined, place: string, name: string): boolean {
  if (!credentials) return false;
  const key = `${place}:${place === 'header' ? name.toLowerCase() : name}`;
  return credentials.schemeParameters.includes(key);
}

/** Whether the applied credentials are empty. */
export function isEmpty(applied: AppliedCredentials): boolean {
  return Object.keys(applied.headers).length === 0 && Object.keys(applied.query).length === 0 && Object.keys(applied.cookies).length === 0;
}

/** The document's security schemes by name, understood. */
function readSchemes(document: Record<string, unknown>): Map<string, SecurityScheme> {
  const schemes = new Map<string, SecurityScheme>();
  const components = document.components;
  const declared = isRecord(components) && isRecord(components.securitySchemes) ? components.securitySchemes : {};
  for (const name of Object.keys(declared)) {
    let raw: unknown = declared[name];
    if (isRecord(raw) && typeof raw.$ref === 'string') {
      const pointer = localRefToPointer(raw.$ref);
      raw = pointer === undefined ? undefined : getAtPointer(document, pointer);
    }
    if (!isRecord(raw)) continue;
    const type = typeof raw.type === 'string' ? raw.type : '';
    const httpScheme = typeof raw.scheme === 'string' ? raw.scheme.toLowerCase() : '';
    if (type === 'apiKey' && (raw.in === 'header' || raw.in === 'query' || raw.in === 'cookie') && typeof raw.name === 'string' && raw.name !== '') {
      // A key in the Authorization header goes there bare; Directus documents its token so but takes only `Bearer <token>`.
      const hint = raw.in === 'header' && raw.name.toLowerCase() === 'authorization' ? '--api-key-env VAR (or --token-env VAR, if the API wants "Bearer <key>" in Authorization)' : '--api-key-env VAR';
      schemes.set(name, { name, kind: 'apiKey', in: raw.in, paramName: raw.name, label: `apiKey '${name}' in ${raw.in} (${raw.name})`, hint });
    } else if ((type === 'http' && httpScheme === 'bearer') || type === 'oauth2' || type === 'openIdConnect') {
      const hint = type === 'oauth2' && isRecord(raw.flows) && isRecord(raw.flows.clientCredentials) ? '--token-env VAR or --client-id/--client-secret-env' : '--token-env VAR';
      schemes.set(name, { name, kind: 'bearer', label: `${type === 'http' ? 'bearer' : type} '${name}'`, hint });
    } else if (type === 'http' && httpScheme === 'basic') {
      schemes.set(name, { name, kind: 'basic', label: `basic '${name}'`, hint: '--basic-env USER_VAR:PASS_VAR' });
    } else {
      schemes.set(name, { name, kind: 'other', label: `${type || 'unknown'}${httpScheme ? ` ${httpScheme}` : ''} '${name}'`, hint: "--header 'Authorization: …'" });
    }
  }
  return schemes;
}

/** `undefined`: the operation says nothing about security; `[]`: explicitly none. Each entry is one alternative. */
function requirementOf(document: Record<string, unknown>, operation: OperationSpec): string[][] | undefined {
  const object = getAtPointer(document, operation.pointer);
  const raw = isRecord(object) && Object.hasOwn(object, 'security') ? object.security : document.security;
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(isRecord).map((alternative) => Object.keys(alternative));
}

function hasAny(given: GivenCredentials): boolean {
  return given.token !== undefined || given.apiKey !== undefined || given.basic !== undefined || given.placed.length > 0;
}

/**
 * What each scheme would put in a request with the given credentials, or
 * undefined when the run has nothing for it.
 */
function applyScheme(scheme: SecurityScheme, given: GivenCredentials, into: AppliedCredentials): boolean {
  if (scheme.kind === 'bearer' && given.token !== undefined) {
    into.headers.authorization = `Bearer ${given.token}`;
    return true;
  }
  if (scheme.kind === 'basic' && given.basic) {
    into.headers.authorization = basicHeader(given.basic.username, given.basic.password);
    return true;
  }
  if (scheme.kind === 'apiKey' && scheme.in && scheme.paramName) {
    const explicit = given.placed.find((p) => p.in === scheme.in && sameName(p.in, p.name, scheme.paramName!));
    const value = explicit?.value ?? given.apiKey;
    if (value === undefined) return false;
    place(into, scheme.in, scheme.paramName, value);
    return true;
  }
  return false;
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function sameName(place: CredentialPlace, a: string, b: string): boolean {
  return place === 'header' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function place(into: AppliedCredentials, where: CredentialPlace, name: string, value: string): void {
  if (where === 'header') into.headers[name.toLowerCase()] = value;
  else if (where === 'query') into.query[name] = value;
  else into.cookies[name] = value;
}

/**
 * Plan every operation's credentials from the document and what was given.
 * An operation with `security: []` gets none. One with a requirement gets the
 * alternative the run can satisfy best. One the document says nothing about
 * gets the token, basic credentials and explicit placements (as a document
 * that describes no security at all usually still needs them). Explicit
 * placements (`--header-env` …) go on every operation not marked `security: []`.
 *
 * @example
 *   buildPlanCredentials(profile.document, profile.operations, { token: 't0k3n-abcdef', placed: [] });
 */
export function buildPlanCredentials(document: Record<string, unknown>, operations: readonly OperationSpec[], given: GivenCredentials): PlanCredentials {
  const schemes = readSchemes(document);
  const kinds = new Set([...schemes.values()].map((s) => s.kind));
  const schemeParameters = [...schemes.values()]
    .filter((s) => s.kind === 'apiKey')
    .map((s) => `${s.in}:${s.in === 'header' ? s.paramName!.toLowerCase() : s.paramName}`);
  const perOperation: Record<string, AppliedCredentials> = Object.create(null) as Record<string, AppliedCredentials>;
  if (!hasAny(given)) return { perOperation, schemeParameters };
  const firstApiKey = [...schemes.values()].find((s) => s.kind === 'apiKey');
  for (const operation of operations) {
    const requirement = requirementOf(document, operation);
    if (requirement !== undefined && requirement.length === 0) continue;
    const applied: AppliedCredentials = emptyApplied();
    if (requirement === undefined || requirement.every((alternative) => alternative.length === 0)) {
      // The document says nothing here (or allows anonymous access): send what the user gave.
      if (given.token !== undefined) applied.headers.authorization = `Bearer ${given.token}`;
      else if (given.basic) applied.headers.authorization = basicHeader(given.basic.username, given.basic.password);
      if (firstApiKey && given.apiKey !== undefined && requirement === undefined) applyScheme(firstApiKey, given, applied);
    } else {
      let best: AppliedCredentials | undefined;
      let bestScore = -1;
      for (const alternative of requirement) {
        const candidate: AppliedCredentials = emptyApplied();
        let satisfied = 0;
        for (const name of alternative) {
          const scheme = schemes.get(name);
          if (scheme && applyScheme(scheme, given, candidate)) satisfied++;
        }
        // Fully satisfied alternatives first, then the one with the most credentials.
        const score = (satisfied === alternative.length ? 1000 : 0) + satisfied;
        if (score > bestScore) {
          best = candidate;
          bestScore = score;
        }
      }
      Object.assign(applied.headers, best?.headers);
      Object.assign(applied.query, best?.query);
      Object.assign(applied.cookies, best?.cookies);
      // A credential of a kind the document never describes: the user knows better than the document.
      if (given.token !== undefined && !kinds.has('bearer') && applied.headers.authorization === undefined) applied.headers.authorization = `Bearer ${given.token}`;
      if (given.basic && !kinds.has('basic') && applied.headers.authorization === undefined) applied.headers.authorization = basicHeader(given.basic.username, given.basic.password);
    }
    for (const placed of given.placed) place(applied, placed.in, placed.name, placed.value);
    if (!isEmpty(applied)) perOperation[operation.pointer] = applied;
  }
  return { perOperation, schemeParameters };
}

/**
 * Headers every service-level request carries (discovery, claims, exports),
 * which are not operations of the document: the token or basic credentials,
 * and header and cookie credentials (apiKey-in-header or `--header-env`).
 */
export function serviceCredentialHeaders(document: Record<string, unknown>, given: GivenCredentials): Record<string, string> {
  const applied: AppliedCredentials = emptyApplied();
  if (given.token !== undefined) applied.headers.authorization = `Bearer ${given.token}`;
  else if (given.basic) applied.headers.authorization = basicHeader(given.basic.username, given.basic.password);
  const apiKey = [...readSchemes(document).values()].find((s) => s.kind === 'apiKey' && s.in !== 'query');
  if (apiKey && given.apiKey !== undefined) applyScheme(apiKey, given, applied);
  for (const placed of given.placed) if (placed.in !== 'query') place(applied, placed.in, placed.name, placed.value);
  const cookies = Object.entries(applied.cookies).map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  if (cookies.length > 0) applied.headers.cookie = cookies.join('; ');
  return applied.headers;
}

/**
 * Where the secrets sit in a request, for redaction by position: the
 * document's apiKey parameters, explicit placements, and Authorization.
 */
export function secretPlacements(document: Record<string, unknown>, given: GivenCredentials): SecretPlacement[] {
  const placements: SecretPlacement[] = [];
  for (const scheme of readSchemes(document).values()) {
    if (scheme.kind !== 'apiKey') continue;
    const explicit = given.placed.find((p) => p.in === scheme.in && sameName(p.in, p.name, scheme.paramName!));
    const variable = explicit ? explicit.variable : given.apiKeyVariable;
    const value = explicit ? explicit.value : given.apiKey;
    placements.push({ in: scheme.in!, name: scheme.paramName!, ...(variable ? { variable } : {}), ...(value !== undefined ? { value } : {}) });
  }
  for (const placed of given.placed) placements.push({ in: placed.in, name: placed.name, ...(placed.variable ? { variable: placed.variable } : {}), value: placed.value });
  if (given.token !== undefined) placements.push({ in: 'header', name: 'authorization', scheme: 'bearer', ...(given.tokenVariable ? { variable: given.tokenVariable } : {}), value: given.token });
  else if (given.basic) placements.push({ in: 'header', name: 'authorization', scheme: 'basic', ...(given.basic.variables ? { basicVariables: given.basic.variables } : {}) });
  return placements;
}

/**
 * The values that are secrets: every credential, in the forms it is sent in.
 * A Basic header's base64, its `user:password` and the password alone are all listed.
 */
export function secretValues(given: GivenCredentials): string[] {
  const values: string[] = given.placed.map((p) => p.value);
  if (given.token !== undefined) values.push(given.token);
  if (given.apiKey !== undefined) values.push(given.apiKey);
  if (given.basic) {
    const pair = `${given.basic.username}:${given.basic.password}`;
    values.push(given.basic.password, pair, Buffer.from(pair, 'utf8').toString('base64'));
  }
  return values;
}

/**
 * The apiKey schemes' parameter names: a `--var` with one of these names is
 * that scheme's credential (and so a secret), not an ordinary parameter value.
 */
export function apiKeyParameterNames(document: Record<string, unknown>): string[] {
  return [...readSchemes(document).values()].filter((s) => s.kind === 'apiKey').map((s) => s.paramName!);
}

/** The header names the document's apiKey schemes put a key in, lower-cased (`x-rapidapi-key`, `ocp-apim-subscription-key`). */
export function apiKeyHeaderNames(document: Record<string, unknown>): Set<string> {
  return new Set([...readSchemes(document).values()].filter((s) => s.kind === 'apiKey' && s.in === 'header').map((s) => s.paramName!.toLowerCase()));
}

/** Whether the document has an apiKey scheme; `--api-key-env` without one is a usage error. */
export function requireApiKeyScheme(document: Record<string, unknown>): void {
  if (apiKeyParameterNames(document).length === 0) {
    throw new HarnessError('USAGE', "--api-key-env: the document declares no apiKey security scheme; place the key with --header-env 'Name=VAR', --query-env 'name=VAR' or --cookie-env 'name=VAR'");
  }
}

/**
 * A warning, given before probing, when the document declares security that
 * the run has no credential for: without one most probes answer 401 and
 * prove nothing about the API.
 *
 * @example
 *   missingCredentialsWarning(doc, ops, { placed: [] })?.message
 *   // "the document declares security (bearer 'jwt', apiKey 'api_key' in query (api_key)) and no credentials were given: pass --token-env VAR / --api-key-env VAR"
 */
export function missingCredentialsWarning(document: Record<string, unknown>, operations: readonly OperationSpec[], given: GivenCredentials): ProfileWarning | undefined {
  const schemes = readSchemes(document);
  const used = new Map<string, SecurityScheme>();
  let unsatisfied = 0;
  const plan = buildPlanCredentials(document, operations, given);
  for (const operation of operations) {
    const requirement = requirementOf(document, operation);
    if (!requirement || requirement.length === 0 || requirement.some((alternative) => alternative.length === 0)) continue;
    for (const alternative of requirement) for (const name of alternative) {
      const scheme = schemes.get(name);
      if (scheme) used.set(name, scheme);
    }
    if (!Object.hasOwn(plan.perOperation, operation.pointer)) unsatisfied++;
  }
  if (used.size === 0) return undefined;
  const labels = [...used.values()].map((s) => s.label).join(', ');
  const hints = [...new Set([...used.values()].map((s) => s.hint))].join(' / ');
  if (!hasAny(given)) {
    return { code: 'credentials-missing', message: `the document declares security (${labels}) and no credentials were given: pass ${hints}; without them most probes will answer 401/403`, location: '/components/securitySchemes' };
  }
  const kinds = new Set([...used.values()].map((s) => s.kind));
  // A key in the Authorization header may want `Bearer <key>` (Directus): there --token-env is advice, not a mistake.
  const keyInAuthorization = [...used.values()].some((s) => s.kind === 'apiKey' && s.in === 'header' && s.paramName?.toLowerCase() === 'authorization');
  if (given.token !== undefined && !kinds.has('bearer') && !kinds.has('other') && !keyInAuthorization && given.apiKey === undefined && given.basic === undefined && given.placed.length === 0) {
    // NocoDB: a valid API key passed with --token-env went out as a bearer token, and every answer was 401.
    return { code: 'credentials-missing', message: `the token (--token-env) is sent as "Authorization: Bearer <token>", but the document's security describes no bearer token (${labels}): if it is the key for that, pass it with ${hints}`, location: '/components/securitySchemes' };
  }
  if (unsatisfied > 0) {
    return { code: 'credentials-missing', message: `${unsatisfied} operation(s) require security (${labels}) that none of the given credentials satisfies: pass ${hints}`, location: '/components/securitySchemes' };
  }
  return undefined;
}

/** The credential options of a run, as `givenCredentials` reads them. */
export interface CredentialOptions {
  token?: string;
  tokenVariable?: string;
  apiKey?: string;
  apiKeyVariable?: string;
  basic?: { username: string; password: string; variables?: [string, string] };
  placedCredentials?: PlacedCredential[];
  vars: Record<string, string>;
}

/**
 * What the run was given, with one rule from the document: a `--var` named
 * like an apiKey scheme's parameter (`--var api_key=…`) is that scheme's
 * credential when `--api-key-env` is not given. Returns the names of `--var`s
 * that are secrets, so the command line in the report hides their values.
 */
export function givenCredentials(document: Record<string, unknown>, options: CredentialOptions): { given: GivenCredentials; secretVars: string[] } {
  const given: GivenCredentials = { placed: [...(options.placedCredentials ?? [])] };
  if (options.token !== undefined) given.token = options.token;
  if (options.tokenVariable !== undefined) given.tokenVariable = options.tokenVariable;
  if (options.basic !== undefined) given.basic = options.basic;
  if (options.apiKey !== undefined) {
    requireApiKeyScheme(document);
    given.apiKey = options.apiKey;
    if (options.apiKeyVariable !== undefined) given.apiKeyVariable = options.apiKeyVariable;
  }
  // Bare (`api_key`) or scoped (`query:api_key`, `listItems.api_key`) alike.
  const names = new Set(apiKeyParameterNames(document));
  const bare = (key: string) => key.slice(Math.max(key.lastIndexOf('.'), key.lastIndexOf(':')) + 1);
  const secretVars = Object.keys(options.vars).filter((key) => names.has(bare(key)));
  const fromVar = secretVars.find((key) => options.vars[key] !== '');
  if (given.apiKey === undefined && fromVar !== undefined) given.apiKey = options.vars[fromVar];
  return { given, secretVars };
}
