import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../errors.js';
import { readNamedFile } from '../read-regular-file.js';
import { parseStrictJson } from '../strict-json.js';
import type { HttpExchange, OutgoingRequest } from '../http/exchange-types.js';
import { packageRoot } from '../package-root.js';
import type { LoadedProfile } from '../profile/profile-types.js';
import type { ClaimEntry, ClaimsLedger } from '../report/report-types.js';
import type { CheckResult } from '../results.js';

/** A claims document lists requirement ids: kilobytes. */
const MAX_CLAIMS_BYTES = 4 * 1024 * 1024;

/** A vendor's claims document, as `profiles/interop-claims.schema.json` describes it. */
export interface ClaimsDocument {
  supplier: string;
  product: string;
  productVersion?: string;
  claims: Array<{ profile: string; version: string; optional: string[] }>;
}

export const WELL_KNOWN_CLAIMS_PATH = '/.well-known/interop-claims';

let validateClaims: ((value: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null } | undefined;

/** Problems with a claims document against its JSON Schema; [] when valid. */
async function claimsProblems(value: unknown): Promise<string[]> {
  if (!validateClaims) {
    // Loaded when claims are read: a dry run never pays for it.
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'profiles', 'interop-claims.schema.json'), 'utf8')) as object;
    validateClaims = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
  }
  if (validateClaims(value)) return [];
  return (validateClaims.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/**
 * A claims document from a file (`--claims`). Bad input is a HarnessError: a
 * force that passes claims must know they were not read.
 *
 * @example
 *   const claims = await readClaimsFile('vendor-a-claims.json');
 */
export async function readClaimsFile(path: string): Promise<ClaimsDocument> {
  // The vendor wrote it: read as carefully as a report (regular file, bounded, a duplicate key refused).
  const bytes = await readNamedFile(path, { what: 'claims file', maxBytes: MAX_CLAIMS_BYTES, tooLarge: 'CLAIMS_INVALID' });
  let value: unknown;
  try {
    value = parseStrictJson(bytes);
  } catch (err) {
    throw new HarnessError('CLAIMS_INVALID', `claims file ${path} could not be read as JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const problems = await claimsProblems(value);
  if (problems.length > 0) throw new HarnessError('CLAIMS_INVALID', `claims file ${path} is not a valid claims document: ${problems.join('; ')}`);
  return value as ClaimsDocument;
}

/**
 * The claims a supplier publishes at `/.well-known/interop-claims`, or why
 * none were taken: an absent or invalid document is a fact for the report,
 * not a reason to stop.
 */
export async function fetchClaims(
  send: (request: OutgoingRequest) => Promise<HttpExchange>,
  target: URL,
  headers: Record<string, string>,
): Promise<{ claims: ClaimsDocument; url: string } | { claims: undefined; reason: string }> {
  const url = target.href.replace(/\/$/, '') + WELL_KNOWN_CLAIMS_PATH;
  const exchange = await send({ method: 'GET', url, headers: { ...headers, accept: 'application/json' }, followRedirects: true });
  if (!exchange.response) return { claims: undefined, reason: `${WELL_KNOWN_CLAIMS_PATH}: ${exchange.transportError?.message ?? 'no response'}` };
  if (exchange.response.status !== 200) return { claims: undefined, reason: `${WELL_KNOWN_CLAIMS_PATH} answered ${exchange.response.status}` };
  let value: unknown;
  try {
    value = JSON.parse(exchange.response.body.toString('utf8'));
  } catch {
    return { claims: undefined, reason: `${WELL_KNOWN_CLAIMS_PATH} is not JSON` };
  }
  const problems = await claimsProblems(value);
  if (problems.length > 0) return { claims: undefined, reason: `${WELL_KNOWN_CLAIMS_PATH} is not a valid claims document: ${problems.join('; ')}` };
  return { claims: value as ClaimsDocument, url };
}

/**
 * The ledger a force reads first: for each requirement of the profile, whether
 * it was claimed and whether the run verified, refuted or could not verify it.
 * With no claims document, the profile given on the command line counts as
 * claimed: its MUSTs claimed, its SHOULDs and MAYs not.
 *
 * - `verified`: every check the requirement names produced a pass and none failed or errored
 * - `refuted`: one of its checks failed
 * - `unverified`: a check errored, only skipped, did not run, or the requirement cannot be tested by probing
 * - `not-claimed`: an optional requirement the vendor does not claim (its observed status is still given)
 */
export function buildClaimsLedger(
  profile: LoadedProfile,
  results: readonly CheckResult[],
  source: { kind: 'file' | 'well-known'; location: string; claims: ClaimsDocument } | { kind: 'implied'; reason: string },
): ClaimsLedger {
  const claim = source.kind === 'implied' ? undefined : source.claims.claims.find((c) => c.profile === profile.info.id);
  const profileClaimed = source.kind === 'implied' || claim !== undefined;
  const optional = new Set(claim?.optional ?? []);
  const entries: ClaimEntry[] = profile.requirements.map((requirement) => {
    const own = results.filter((r) => r.requirement === requirement.id);
    const observed = observe(requirement.checks, own, requirement.notTestedReason);
    const claimed = profileClaimed && (requirement.level === 'MUST' || optional.has(requirement.id));
    return {
      requirement: requirement.id,
      level: requirement.level,
      claimed,
      status: claimed ? observed.status : 'not-claimed',
      observed: observed.status,
      reason: observed.reason,
    };
  });
  const count = (status: ClaimEntry['status']) => entries.filter((e) => e.status === status).length;
  return {
    source: source.kind,
    ...(source.kind === 'implied' ? { note: source.reason } : { location: source.location, supplier: source.claims.supplier, product: source.claims.product }),
    ...(source.kind !== 'implied' && source.claims.productVersion ? { productVersion: source.claims.productVersion } : {}),
    profileClaimed,
    ...(claim ? { versionClaimed: claim.version } : {}),
    ...(claim && claim.version !== profile.info.version ? { versionMismatch: `claimed against ${profile.info.id}@${claim.version}, run with @${profile.info.version}` } : {}),
    verified: count('verified'),
    refuted: count('refuted'),
    unverified: count('unverified'),
    notClaimed: count('not-claimed'),
    entries,
  };
}

function observe(checks: readonly string[], results: readonly CheckResult[], notTestedReason?: string): { status: Exclude<ClaimEntry['status'], 'not-claimed'>; reason: string } {
  if (checks.length === 0) return { status: 'unverified', reason: `not testable by probing: ${notTestedReason ?? 'no check named'}` };
  const failed = results.find((r) => r.status === 'fail');
  if (failed) return { status: 'refuted', reason: `${failed.check} failed on ${failed.operationId}: ${failed.message}` };
  const errored = results.find((r) => r.status === 'error');
  if (errored) return { status: 'unverified', reason: `${errored.check} could not get evidence on ${errored.operationId}: ${errored.message}` };
  const unproven = checks.filter((check) => !results.some((r) => r.check === check && r.status === 'pass'));
  if (unproven.length > 0) return { status: 'unverified', reason: `no passing result from ${unproven.join(', ')} (skipped or not run)` };
  return { status: 'verified', reason: `${checks.join(', ')} passed` };
}
