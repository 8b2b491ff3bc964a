
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError } from '../errors.js';



import { DEFAULT_FORMATS, parseReportFormats } from '../report/report-formats.js';
import { readPrivateKey } from '../report/signing-keys.js';



import { formatWarning, PROFILE_WARNINGS_SHOWN, sanitizeTerminalText } from '../report/terminal-text.js';
import type { RunLimits } from '../report/report-types.js';
import { planDryRun } from '../run/dry-run.js';
import { preparePlan, type PreparedPlan } from '../run/prepare-run.js';
import { cacheFolder } from '../profile/profile-cache.js';
import type { RunOptions } from '../run/run-options.js';
import type { PlacedCredential } from '../plan/credentials.js';
import { reportArgv } from '../run/report-paths.js';
import { parseDuration, parsePercentage, parsePositive, parseSize } from './parse-quantity.js';

export const RUN_FLAGS = {
  profile: { type: 'string', short: 'p', multiple: true },
  target: { type: 'string', short: 't' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string', default: DEFAULT_FORMATS.join(',') },
  sign: { type: 'string' },
  checks: { type: 'string' },
  'skip-checks': { type: 'string' },
  operations: { type: 'string', multiple: true },
  'skip-operations': { type: 'string', multiple: true },
  tags: { type: 'string', multiple: true },
  paths: { type: 'string', multiple: true },
  'allow-writes': { type: 'boolean', default: false },
  'allow-remote-refs': { type: 'boolean', default: false },
  negative: { type: 'boolean', default: false },
  'max-negative': { type: 'string' },
  'min-coverage': { type: 'string' },
  seed: { type: 'string' },
  var: { type: 'string', multiple: true },
  header: { type: 'string', short: 'H', multiple: true },
  'token-env': { type: 'string' },
  'api-key-env': { type: 'string' },
  'header-env': { type: 'string', multiple: true },
  'query-env': { type: 'string', multiple: true },
  'cookie-env': { type: 'string', multiple: true },
  'basic-env': { type: 'string' },
  'redact-field': { type: 'string', multiple: true },
  'client-id': { type: 'string' },
  'client-secret-env': { type: 'string' },
  'token-url': { type: 'string' },
  claims: { type: 'string' },
  timeout: { type: 'string' },
  'max-body': { type: 'string' },
  'max-header': { type: 'string' },
  'max-redirects': { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  'run-timeout': { type: 'string' },
  'evidence-bytes': { type: 'string' },
  'max-retry-wait': { type: 'string' },
  'max-json-values': { type: 'string' },
  'max-pages': { type: 'string' },
  'export-wait': { type: 'string' },
  'max-export-bytes': { type: 'string' },
  'max-profile': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'no-cache': { type: 'boolean', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
  'no-color': { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

export interface CommandIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Parsed `run` flags, turned into library options plus what only the CLI needs. */
export interface RunInvocation {
  /** Options for the first profile; the others differ only by `profile`. */
  options: RunOptions;
  /** Every `--profile`, in order: a run of several probes the same target once per profile. */
  profiles: string[];
  outDir: string | undefined;
  formats: string[];
  /** Private key file for `--sign`: report.json is signed with it after it is written. */
  signKey: string | undefined;
  dryRun: boolean;
  quiet: boolean;
  noColor: boolean;
}

export function parseRunArgs(args: string[], io: CommandIo): RunInvocation {
  const { values } = parseFlags(args);
  const profiles = values.profile ?? [];
  if (profiles.length === 0) throw new HarnessError('USAGE', 'run needs --profile <path|bundled id> (see: interop-harness profiles)');
  if (!values.target) throw new HarnessError('USAGE', 'run needs --target <url> of the supplier to probe');
  const credentialOptions = parseCredentialFlags(values, io.env);
  const vars = Object.create(null) as Record<string, string>; // a --var named `__proto__` is kept
  for (const raw of values.var ?? []) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new HarnessError('USAGE', `--var takes name=value, got ${JSON.stringify(raw)}`);
    vars[raw.slice(0, eq)] = raw.slice(eq + 1);
  }
  const limits = parseLimitFlags(values);
  const negative = negativeFlags(values);
  const list = (raw: string | undefined) => (raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  // Repeatable, and each occurrence may be a comma list.
  const lists = (raw: string[] | undefined) => (raw && raw.length > 0 ? raw.flatMap((r) => list(r) ?? []) : undefined);
  const selection = {
    ...(values.operations ? { operations: lists(values.operations) } : {}),
    ...(values['skip-operations'] ? { skipOperations: lists(values['skip-operations']) } : {}),
    ...(values.tags ? { tags: lists(values.tags) } : {}),
    ...(values.paths ? { paths: lists(values.paths) } : {}),
  };
  return {
    options: {
      profile: profiles[0]!,
      target: values.target,
      checks: list(values.checks),
      skipChecks: list(values['skip-checks']),
      allowWrites: values['allow-writes'],
      ...(negative ? { negative } : {}),
      ...(Object.keys(selection).length > 0 ? { selection } : {}),
      ...(values['min-coverage'] !== undefined ? { minCoverage: parsePercentage('--min-coverage', values['min-coverage']) } : {}),
      allowRemoteRefs: values['allow-remote-refs'],
      vars,
      ...credentialOptions,
      ...(values['redact-field'] ? { redactFields: values['redact-field'] } : {}),
      ...(values.claims ? { claims: resolve(io.cwd, values.claims) } : {}),
      limits,
      invocation: { argv: reportArgv(['run', ...args], io.cwd) },
      cwd: io.cwd,
      cache: values['no-cache'] ? false : resolve(io.cwd, cacheFolder(io.env)),
    },
    profiles,
    outDir: values.out,
    formats: list(values.format) ?? [],
    signKey: values.sign,
    dryRun: values['dry-run'],
    quiet: values.quiet,
    noColor: values['no-color'],
  };
}

/** The flags of `run` that give credentials; `replay` takes the same ones, parsed by `parseCredentialFlags`. */
export const CREDENTIAL_FLAG_NAMES = ['header', 'token-env', 'api-key-env', 'header-env', 'query-env', 'cookie-env', 'basic-env', 'client-id', 'client-secret-env', 'token-url'] as const;

/** The flags of `run` that bound waits and bodies; `replay` takes the same ones, parsed by `parseLimitFlags`. */
export const LIMIT_FLAG_NAMES = ['timeout', 'run-timeout', 'max-body', 'max-header', 'evidence-bytes', 'max-retry-wait', 'max-json-values', 'max-pages', 'export-wait', 'max-export-bytes', 'max-profile', 'max-redirects', 'concurrency', 'rate'] as const;

type RunFlagValues = ReturnType<typeof parseFlags>['values'];

/** The run options that carry credentials, as the credential flags give them. */
export type CredentialRunOptions = Pick<
  RunOptions,
  'headers' | 'token' | 'tokenVariable' | 'apiKey' | 'apiKeyVariable' | 'basic' | 'placedCredentials' | 'clientId' | 'clientSecret' | 'tokenUrl' | 'secrets'
>;

/**
 * Credentials from the flags and the environment, as `run` takes them: every
 * secret read from a variable the user names (or INTEROP_CLIENT_ID /
 * INTEROP_CLIENT_SECRET), never from the command line.
 *
 * @example
 *   parseCredentialFlags({ 'token-env': 'SUPPLIER_TOKEN' }, process.env); // { token: '…', tokenVariable: 'SUPPLIER_TOKEN', headers: {}, secrets: [] }
 */
export function parseCredentialFlags(values: Pick<RunFlagValues, (typeof CREDENTIAL_FLAG_NAMES)[number]>, env: NodeJS.ProcessEnv): CredentialRunOptions {
  const secrets: string[] = [];
  let token: string | undefined;
  if (values['token-env']) {
    token = env[values['token-env']];
    if (!token) throw new HarnessError('SECRET_MISSING', `--token-env ${values['token-env']}: that environment variable is unset or empty`);
  }
  const credentials = clientCredentials(values, env);
  const apiKey = values['api-key-env'] === undefined ? undefined : secretFromEnv('--api-key-env', values['api-key-env'], env);
  const basic = values['basic-env'] === undefined ? undefined : basicFromEnv(values['basic-env'], env);
  const placedCredentials: PlacedCredential[] = [];
  for (const [flag, where] of [['header-env', 'header'], ['query-env', 'query'], ['cookie-env', 'cookie']] as const) {
    for (const raw of values[flag] ?? []) placedCredentials.push(placedFromEnv(`--${flag}`, where, raw, env));
  }
  const headers = Object.create(null) as Record<string, string>; // a header or --var named `__proto__` is kept
  for (const raw of values.header ?? []) {
    const colon = raw.indexOf(':');
    const name = colon > 0 ? raw.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new HarnessError('USAGE', `--header takes 'Name: value', got a value without a valid header name`);
    const value = raw.slice(colon + 1).trim();
    headers[name] = value;
    // A user-supplied header value may be a credential whatever its name: never echo it.
    if (value.length >= 4) secrets.push(value);
  }
  return {
    headers,
    token,
    ...(values['token-env'] && VARIABLE_NAME.test(values['token-env']) ? { tokenVariable: values['token-env'] } : {}),
    ...(apiKey !== undefined ? { apiKey, apiKeyVariable: values['api-key-env'] } : {}),
    ...(basic !== undefined ? { basic } : {}),
    ...(placedCredentials.length > 0 ? { placedCredentials } : {}),
    ...credentials,
    ...(values['token-url'] ? { tokenUrl: values['token-url'] } : {}),
    secrets,
  };
}

/**
 * The limit flags of `run` (`--timeout 5s`, `--max-body 1mb`, …) as run limits; unset ones are left to the defaults.
 *
 * @example
 *   parseLimitFlags({ timeout: '5s' }); // { requestTimeoutMs: 5000 }
 */
export function parseLimitFlags(values: Pick<RunFlagValues, (typeof LIMIT_FLAG_NAMES)[number]>): Partial<RunLimits> {
  const limits: Partial<RunLimits> = {};
  if (values.timeout) limits.requestTimeoutMs = parseDuration('--timeout', values.timeout);
  if (values['run-timeout']) limits.runTimeoutMs = parseDuration('--run-timeout', values['run-timeout']);
  if (values['max-body']) limits.maxBodyBytes = parseSize('--max-body', values['max-body']);
  if (values['max-header']) limits.maxHeaderBytes = parseSize('--max-header', values['max-header']);
  if (values['evidence-bytes']) limits.evidenceBodyBytes = parseSize('--evidence-bytes', values['evidence-bytes']);
  if (values['max-retry-wait']) limits.maxRetryWaitMs = parseDuration('--max-retry-wait', values['max-retry-wait']);
  if (values['max-json-values']) limits.maxJsonValues = Math.floor(parsePositive('--max-json-values', values['max-json-values']));
  if (values['max-pages']) limits.maxPages = Math.floor(parsePositive('--max-pages', values['max-pages']));
  if (values['export-wait']) limits.exportWaitMs = parseDuration('--export-wait', values['export-wait']);
  if (values['max-export-bytes']) limits.maxExportBytes = parseSize('--max-export-bytes', values['max-export-bytes']);
  if (values['max-profile']) limits.maxProfileBytes = parseSize('--max-profile', values['max-profile']);
  if (values['max-redirects']) limits.maxRedirects = Math.floor(parsePositive('--max-redirects', values['max-redirects']));
  if (values.concurrency) limits.concurrency = Math.floor(parsePositive('--concurrency', values.concurrency));
  if (values.rate) limits.ratePerSecond = parsePositive('--rate', values.rate);
  return limits;
}

/** An environment variable's name: what `${NAME}` in a curl line can expand. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A secret from the environment: an unset or empty variable is SECRET_MISSING, naming it. */
function secretFromEnv(flag: string, variable: string, env: NodeJS.ProcessEnv): string {
  if (!VARIABLE_NAME.test(variable)) throw new HarnessError('USAGE', `${flag} takes an environment variable's name (letters, digits, _), got ${JSON.stringify(variable)}`);
  const value = env[variable];
  if (!value) throw new HarnessError('SECRET_MISSING', `${flag} ${variable}: that environment variable is unset or empty`);
  return value;
}

/** `--header-env 'X-Api-Key=VAR'`, `--query-env 'api_key=VAR'`, `--cookie-env 'session=VAR'`. */
function placedFromEnv(flag: string, where: PlacedCredential['in'], raw: string, env: NodeJS.ProcessEnv): PlacedCredential {
  const eq = raw.lastIndexOf('=');
  const name = eq > 0 ? raw.slice(0, eq).trim() : '';
  const variable = eq > 0 ? raw.slice(eq + 1).trim() : '';
  const validName = where === 'header' ? /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) : name !== '' && !/[\s;=&#]/.test(name);
  if (!validName || variable === '') throw new HarnessError('USAGE', `${flag} takes 'name=VARIABLE' (the value is read from the environment), got ${JSON.stringify(raw)}`);
  return { in: where, name, value: secretFromEnv(flag, variable, env), variable };
}

/** `--basic-env USER_VAR:PASS_VAR`: both from the environment. */
function basicFromEnv(raw: string, env: NodeJS.ProcessEnv): { username: string; password: string; variables: [string, string] } {
  const [userVariable, passwordVariable, ...rest] = raw.split(':');
  if (!userVariable || !passwordVariable || rest.length > 0) throw new HarnessError('USAGE', `--basic-env takes USER_VARIABLE:PASSWORD_VARIABLE, got ${JSON.stringify(raw)}`);
  const username = secretFromEnv('--basic-env', userVariable, env);
  if (username.includes(':')) throw new HarnessError('USAGE', `--basic-env: the user name in ${userVariable} contains ':', which HTTP basic cannot carry`);
  return { username, password: secretFromEnv('--basic-env', passwordVariable, env), variables: [userVariable, passwordVariable] };
}

/**
 * OAuth 2.0 client credentials: `--client-id` or INTEROP_CLIENT_ID, and the
 * secret from the variable `--client-secret-env` names, or INTEROP_CLIENT_SECRET.
 * The secret never appears on the command line, so it never reaches a report.
 */
function clientCredentials(values: { 'client-id'?: string; 'client-secret-env'?: string }, env: NodeJS.ProcessEnv): { clientId?: string; clientSecret?: string } {
  const clientId = values['client-id'] ?? env.INTEROP_CLIENT_ID;
  const secretVariable = values['client-secret-env'] ?? 'INTEROP_CLIENT_SECRET';
  const clientSecret = env[secretVariable];
  if (values['client-secret-env'] && !clientSecret) {
    throw new HarnessError('SECRET_MISSING', `--client-secret-env ${secretVariable}: that environment variable is unset or empty`);
  }
  if (clientId === undefined && clientSecret === undefined) return {};
  if (!clientId) throw new HarnessError('USAGE', `a client secret is set (${secretVariable}) but no client id: pass --client-id or set INTEROP_CLIENT_ID`);
  if (!clientSecret) throw new HarnessError('SECRET_MISSING', `client id ${clientId} given but ${secretVariable} is unset or empty`);
  return { clientId, clientSecret };
}

/** `--negative [--seed S] [--max-negative N]`; the other two mean nothing without it. */
function negativeFlags(values: { negative?: boolean; seed?: string; 'max-negative'?: string }): { seed?: number; maxPerOperation?: number } | undefined {
  if (!values.negative) {
    const stray = values.seed !== undefined ? '--seed' : values['max-negative'] !== undefined ? '--max-negative' : undefined;
    if (stray) throw new HarnessError('USAGE', `${stray} applies to the negative phase: add --negative`);
    return undefined;
  }
  const whole = (flag: string, raw: string, min: number, max: number) => {
    if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new HarnessError('USAGE', `${flag} takes a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  return {
    ...(values.seed !== undefined ? { seed: whole('--seed', values.seed, 0, 0xffffffff) } : {}),
    ...(values['max-negative'] !== undefined ? { maxPerOperation: whole('--max-negative', values['max-negative'], 1, 1000) } : {}),
  };
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: RUN_FLAGS, strict: true, allowPositionals: false });
  } catch (err) {
    // parseArgs explains unknown flags and missing values well; keep its words, drop its stack.
    throw new HarnessError('USAGE', err instanceof Error ? err.message : String(err));
  }
}

/**
 * `interop-harness run`: probe, write the reports, print a summary.
 * Returns the exit code: 0 conformant, 1 a MUST-level failure or error.
 */
export async function runCommand(args: string[], io: CommandIo): Promise<number> {
  const invocation = parseRunArgs(args, io);
  const formats = parseReportFormats(invocation.formats);
  if (invocation.signKey !== undefined && !formats.includes('json')) {
    throw new HarnessError('USAGE', '--sign signs report.json: include json in --format');
  }
  const color = Boolean(io.stdout.isTTY) && !invocation.noColor && io.env.NO_COLOR === undefined;
  // Load every profile before probing anything: a bad one should cost seconds, not a run.
  if (invocation.dryRun) {
    // A dry run validates nothing, so it compiles nothing.
    const plans = [];
    for (const profile of invocation.profiles) plans.push(await preparePlan({ ...invocation.options, profile }));
    for (const plan of plans) writeDryRun(plan, io, invocation.quiet);
    // Said, not silently dropped: a script waiting for reports in --out should learn why there are none.
    const unused = [...(invocation.outDir !== undefined ? ['--out'] : []), ...(invocation.signKey !== undefined ? ['--sign'] : [])];
    if (unused.length > 0) io.stderr.write(`${unused.join(' and ')} ignored: a dry run sends nothing and writes no report\n`);
    return 0;
  }
  // Read the key before probing: a wrong path should cost seconds, not a whole run. (A dry run signs nothing.)
  const signingKey = invocation.signKey === undefined ? undefined : await readPrivateKey(resolve(io.cwd, invocation.signKey));
  // Loaded only for a run: a dry run writes no report, so it loads none of the writers.
  const { runAndReport } = await import('./run-and-report.js');
  return runAndReport(invocation, { formats, signingKey, color }, io);
}

/**
 * The command line as the report records it: every `--header` value replaced
 * by `[redacted]` (keeping the header name so a reader knows it was sent),
 * values of secret flags and of credential-like `--var`s too, and absolute
 * paths made relative (see reportArgv).
 *
 * @example
 *   redactArgv(['run', '-H', 'X-Api-Key: abc']); // ['run', '-H', 'X-Api-Key: [redacted]']
 */
export function redactArgv(argv: readonly string[], cwd = process.cwd()): string[] {
  return reportArgv(argv, cwd);
}

function writeDryRun(prepared: PreparedPlan, io: CommandIo, quiet: boolean): void {
  const planned = planDryRun(prepared);
  const named = planned.filter((request) => request.namedWrite).length;
  // Said in the header, not only on its line: a named write changes data the run did not create.
  const namedNote = named > 0 ? `, and ${named} named ${named === 1 ? 'write' : 'writes'} that may change data it did not create` : '';
  const mode = prepared.options.allowWrites ? `lifecycle writes only on records the run creates (--allow-writes)${namedNote}` : 'read-only';
  const negative = prepared.options.negativePhase;
  // A dry run has no answers: it lists the negative requests as if every valid read were answered 200.
  const negativeNote = negative ? `; negative requests chosen by --seed ${negative.seed} (pass it to the run to send these; none after a read answered 401, 403 or 5xx)` : '';
  // Written in blocks, not line by line: with stdout on a file each write is a system call,
  // and a large document plans tens of thousands of lines.
  const output = blockWriter(io.stdout);
  // Lines that say why an operation is not sent are in the plan, but not among its requests.
  const notSent = planned.filter((request) => request.reason.startsWith('not sent')).length;
  const notSentNote = notSent > 0 ? ` (and ${notSent} operation(s) listed as not sent)` : '';
  // A line for cases chosen at run time stands for up to that many requests, not one.
  const chosenLater = planned.filter((request) => request.upTo !== undefined);
  const laterNote = chosenLater.length > 0 ? ` and up to ${chosenLater.reduce((sum, request) => sum + request.upTo!, 0)} more chosen at run time` : '';
  output.line(`dry run: ${prepared.operations.length} operation(s) in ${sanitizeTerminalText(prepared.profile.info.id)}, ${planned.length - notSent - chosenLater.length} planned request(s)${laterNote}${notSentNote}, ${mode}${negativeNote}; nothing is sent`);
  // As a run prints them before its first probe (as many, and none with --quiet): a --var that fills
  // nothing is worth knowing before sending.
  if (!quiet) {
    for (const warning of prepared.warnings.slice(0, PROFILE_WARNINGS_SHOWN)) output.line(`warning: ${formatWarning(warning)}`);
    const hidden = prepared.warnings.length - PROFILE_WARNINGS_SHOWN;
    if (hidden > 0) output.line(`and ${hidden} more profile warnings (a run's report.json lists them all)`);
  }
  for (const request of planned) {
    output.line(sanitizeTerminalText(`${request.method} ${request.url}  (${request.operationId})`));
    output.line(sanitizeTerminalText(`    # ${request.reason}`));
    if (request.reason.startsWith('not sent')) continue;
    for (const [name, value] of Object.entries(request.headers)) output.line(sanitizeTerminalText(`    ${name}: ${value}`));
    if (request.body !== undefined) output.line(sanitizeTerminalText(`    body: ${request.body}`));
    if (request.note) output.line(sanitizeTerminalText(`    # ${request.note}`));
  }
  output.flush();
}

/** Characters gathered before a write: large enough to make writes rare, small enough to stay cheap in memory. */
const OUTPUT_BLOCK_CHARS = 64 * 1024;

/** Lines gathered into blocks of about `OUTPUT_BLOCK_CHARS` and written a block at a time. */
function blockWriter(stream: CommandIo['stdout']): { line(text: string): void; flush(): void } {
  let block = '';
  return {
    line(text) {
      block += `${text}\n`;
      if (block.length >= OUTPUT_BLOCK_CHARS) this.flush();
    },
    flush() {
      if (block === '') return;
      stream.write(block);
      block = '';
    },
  };
}


