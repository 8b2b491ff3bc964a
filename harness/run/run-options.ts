import { randomInt } from 'node:crypto';
import { HarnessError } from '../errors.js';
import type { OperationSelection } from '../plan/operation-selection.js';
import { secretsFromHeaders } from '../http/redactor.js';
import { admitUrl, type AllowedTargets } from '../http/target-allow-list.js';
import { DEFAULT_MAX_PROFILE_BYTES } from '../profile/max-profile-bytes.js';
import type { RunLimits } from '../report/report-types.js';
import type { RunEvent } from '../report/run-events.js';
import type { PlacedCredential } from '../plan/credentials.js';

/**
 * Options for one run, as the library takes them. The CLI builds these from
 * its flags; nothing below this boundary validates options again.
 *
 * @example
 *   const report = await run({ profile: 'baseline', target: 'http://127.0.0.1:8080' });
 */
export interface RunOptions {
  /** A profile path (YAML or JSON), or the id of a bundled profile. */
  profile: string;
  /** Absolute http(s) URL of the supplier; replaces the document's `servers` entirely (base path included). */
  target: string;
  /** Check IDs or globs to run (default: all that apply). */
  checks?: string[];
  /** Check IDs or globs to leave out. */
  skipChecks?: string[];
  /** Probe every method, not only GET and HEAD. Off by default: a force probes a sandbox it does not own. */
  allowWrites?: boolean;
  /**
   * The negative phase (`--negative`): after the ordinary probes, requests
   * made invalid in exactly one way (and valid boundary values), judged by the
   * negative checks. `seed` fixes which cases are chosen (default: a random
   * one, recorded in the report); `maxPerOperation` bounds them (default 8).
   * Read-only unless `allowWrites`.
   */
  negative?: boolean | { seed?: number; maxPerOperation?: number };
  /** Let `$ref`s reach outside the profile's folder or to remote URLs. */
  allowRemoteRefs?: boolean;
  /** Which operations to probe (`--operations`, `--skip-operations`, `--tags`, `--paths`); default: all. */
  selection?: OperationSelection;
  /**
   * The percentage (0 to 100) of the selected operations that must reach a
   * validated success response (`--min-coverage`). Below it the run has the
   * `thin-coverage` caveat, so it is not conformant. Default: none, where only
   * a run that reached no success response at all is held back.
   */
  minCoverage?: number;
  /**
   * Values for parameters (`--var personId=PER-000001`); they win over every other source.
   * A bare name fills path and required parameters; `operationId.name`, `query:name`,
   * `header:name` (and `operationId.query:name`) reach any parameter.
   */
  vars?: Record<string, string>;
  /** Extra request headers (`--header 'X-Api-Key: …'`). Values of sensitive names are redacted in evidence. */
  headers?: Record<string, string>;
  /** Bearer token sent as `Authorization: Bearer …` (the CLI reads it from `--token-env`). Always redacted. */
  token?: string;
  /** OAuth 2.0 client credentials: the run fetches a bearer token before probing. */
  clientId?: string;
  clientSecret?: string;
  /** Token endpoint; default: the profile's clientCredentials `tokenUrl`, resolved against the target. */
  tokenUrl?: string;
  /** The environment variable the token came from: evidence and curl lines say `Bearer ${VAR}`. */
  tokenVariable?: string;
  /**
   * A value for the document's apiKey security scheme(s), sent wherever the
   * scheme says (header, query parameter or cookie, under its name). The CLI
   * reads it from `--api-key-env`. Always redacted.
   */
  apiKey?: string;
  apiKeyVariable?: string;
  /** HTTP basic credentials, for a `type: http, scheme: basic` scheme (the CLI's `--basic-env USER_VAR:PASS_VAR`). */
  basic?: { username: string; password: string; variables?: [string, string] };
  /**
   * Credentials at places the user names (`--header-env`, `--query-env`,
   * `--cookie-env`), sent on every operation except those the document marks
   * `security: []`. Always redacted.
   */
  placedCredentials?: PlacedCredential[];
  /** Response field names whose values are masked in evidence, on top of secret-like names (`--redact-field`). */
  redactFields?: string[];
  /** A vendor claims document (JSON); without it the supplier's /.well-known/interop-claims is read. */
  claims?: string;
  /** Further strings never to write anywhere (client secrets, API keys). */
  secrets?: string[];
  limits?: Partial<RunLimits>;
  /**
   * The command line that started the run, recorded in the report as
   * `invocation`. Secrets in it are redacted with the rest of the report.
   */
  invocation?: { argv: string[] };
  /** The folder local paths in the report are written relative to (default: the process's). */
  cwd?: string;
  /**
   * A folder to keep what loading a profile concluded, keyed by the document's sha256
   * and the harness version, so the next run on the same document starts faster
   * (the CLI passes the user's cache folder, or `false` for `--no-cache`). Default: none.
   */
  cache?: string | false;
  /**
   * Where the run may send requests (the service's INTEROP_ALLOWED_TARGETS,
   * from `parseAllowedTargets`): a target or token URL outside it is refused
   * with TARGET_NOT_ALLOWED before anything is sent, and each connection goes
   * only to a resolved address it allows. Unset (the CLI): anywhere.
   */
  allowedTargets?: AllowedTargets;
  /** Aborts the run; probes not yet sent become `skip` results. */
  signal?: AbortSignal;
  /** Called for every event, in order. */
  onEvent?: (event: RunEvent) => void;
}

/** Safe defaults for a target nobody vouches for. Every one is a CLI flag. */
export const DEFAULT_LIMITS: RunLimits = {
  requestTimeoutMs: 10_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxRedirects: 5,
  concurrency: 4,
  ratePerSecond: null,
  runTimeoutMs: 10 * 60_000,
  evidenceBodyBytes: 4 * 1024,
  maxRetryWaitMs: 5_000,
  maxJsonValues: 1_000_000,
  maxPages: 100,
  exportWaitMs: 5 * 60_000,
  maxExportBytes: 2 * 1024 ** 3,
  maxProfileBytes: DEFAULT_MAX_PROFILE_BYTES,
};

/** Options after validation, with defaults filled in. */
export interface ResolvedRunOptions extends Omit<RunOptions, 'limits' | 'target'> {
  target: URL;
  limits: RunLimits;
  vars: Record<string, string>;
  headers: Record<string, string>;
  secrets: string[];
  allowWrites: boolean;
  /** The negative phase's settings when `--negative` was given, the seed always filled in. */
  negativePhase?: NegativePhaseOptions;
}

/** `--negative` as the run uses it. */
export interface NegativePhaseOptions {
  seed: number;
  maxPerOperation: number;
}

/** Cases per operation when `--max-negative` is not given. */
export const DEFAULT_MAX_NEGATIVE = 8;

/** The negative phase's settings, validated; a missing seed is drawn at random (and recorded, so the run can be repeated). */
function resolveNegative(negative: RunOptions['negative']): NegativePhaseOptions | undefined {
  if (!negative) return undefined;
  const given = negative === true ? {} : negative;
  const seed = given.seed ?? randomInt(0, 2 ** 31);
  const maxPerOperation = given.maxPerOperation ?? DEFAULT_MAX_NEGATIVE;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new HarnessError('USAGE', `the negative seed must be a whole number from 0 to 4294967295, got ${String(seed)}`);
  if (!Number.isSafeInteger(maxPerOperation) || maxPerOperation < 1) throw new HarnessError('USAGE', `the negative cases per operation must be a whole number of at least 1, got ${String(maxPerOperation)}`);
  return { seed, maxPerOperation };
}

/** Validate options once, at the library's boundary. Throws HarnessError (exit 2 in the CLI). */
export function resolveRunOptions(options: RunOptions): ResolvedRunOptions {
  const target = parseTarget(options.target);
  const limits = { ...DEFAULT_LIMITS, ...definedOnly(options.limits ?? {}) };
  for (const [name, value] of Object.entries(limits)) {
    if (name === 'ratePerSecond' && value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new HarnessError('USAGE', `limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  // Credentials in sensitive headers (Authorization, X-Api-Key, …) are secrets too,
  // so the final redaction of the report knows them, not only the HTTP layer.
  const secrets = [...(options.secrets ?? []), ...secretsFromHeaders(options.headers ?? {})];
  if (options.token) secrets.push(options.token);
  if (options.apiKey) secrets.push(options.apiKey);
  if (options.basic) secrets.push(options.basic.password, `${options.basic.username}:${options.basic.password}`);
  for (const placed of options.placedCredentials ?? []) {
    if (!['header', 'query', 'cookie'].includes(placed.in) || placed.name === '') throw new HarnessError('USAGE', `a placed credential needs in: header, query or cookie and a name`);
    secrets.push(placed.value);
  }
  if (options.clientSecret) secrets.push(options.clientSecret);
  if ((options.clientId === undefined) !== (options.clientSecret === undefined)) {
    throw new HarnessError('USAGE', 'client credentials need both a client id and a client secret');
  }
  if (options.tokenUrl !== undefined) parseTarget(options.tokenUrl, 'token URL');
  const { minCoverage } = options;
  if (minCoverage !== undefined && (typeof minCoverage !== 'number' || !(minCoverage >= 0 && minCoverage <= 100))) {
    throw new HarnessError('USAGE', `the minimum coverage must be a percentage from 0 to 100, got ${String(minCoverage)}`);
  }
  if (options.allowedTargets) {
    checkAllowed(options.allowedTargets, target, 'target');
    if (options.tokenUrl !== undefined) checkAllowed(options.allowedTargets, options.tokenUrl, 'token URL');
  }
  return {
    ...options,
    target,
    limits,
    // No prototype: a parameter named `constructor` must not find Object.prototype's.
    vars: Object.assign(Object.create(null) as Record<string, string>, options.vars ?? {}),
    headers: { ...(options.headers ?? {}) },
    secrets,
    allowWrites: options.allowWrites ?? false,
    ...(options.negative ? { negativePhase: resolveNegative(options.negative)! } : {}),
  };
}

/**
 * Throws TARGET_NOT_ALLOWED for a URL the allow-list refuses. A stored
 * supplier whose URL the operator has since taken off the list ends here,
 * before the profile is even loaded.
 */
export function checkAllowed(allowed: AllowedTargets, url: string | URL, what: string): void {
  const admission = admitUrl(allowed, url);
  if (!admission.allowed) throw new HarnessError('TARGET_NOT_ALLOWED', `${what} not allowed: ${admission.reason}`);
}

function parseTarget(raw: string, what = 'target'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HarnessError('TARGET_INVALID', `${what} is not a URL: ${JSON.stringify(raw)} (expected e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HarnessError('TARGET_INVALID', `${what} must be http or https, got ${url.protocol.replace(':', '')}: ${raw}`);
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and evidence; they have their own flags.
    throw new HarnessError('TARGET_INVALID', `${what} must not carry credentials; use --token-env or --header`);
  }
  if (url.search !== '') {
    // Silently dropping it would probe without what the user meant to send (often an API key).
    throw new HarnessError('TARGET_INVALID', `${what} must not carry a query string; give query parameters with --var and API keys with --api-key-env, --query-env or --header`);
  }
  url.hash = '';
  return url;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
