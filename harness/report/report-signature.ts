/**
 * Detached Ed25519 signatures for report.json, so a force can tell whether a
 * report a vendor sent is the one the harness wrote.
 *
 * What is signed is one object, `signed`: the format name, the algorithm,
 * the canonicalization, the signer's key id, the SHA-256 of the report's
 * RFC 8785 canonical form (its content, whatever the formatting) and a short
 * digest of every top-level member of the report and of each of theirs
 * (`/summary/failed`, `/results/12`). The signature is over the canonical
 * form of `signed`, so nothing in the signature file is read before it is
 * checked against the key the verifier trusts: not the key id, not the
 * algorithm, not the digests. Only then are the digests used, to name what
 * changed instead of only saying "invalid".
 *
 * The report is read with the strict JSON reader: a duplicate key anywhere,
 * invalid UTF-8 or a number a double cannot hold exactly is refused, so the
 * content verified is the content every reader sees.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { parseStrictJson, StrictJsonError } from '../strict-json.js';
import { canonicalizeJson } from './canonical-json.js';
import { keyIdOf } from './signing-keys.js';

/** A signature file is the report's path plus this suffix: `report.json.sig`. */
export const SIGNATURE_SUFFIX = '.sig';

/** Names this layout, inside what is signed, so a signature made for something else never verifies as a report's. */
export const SIGNATURE_FORMAT = 'interop-harness report signature 2';

/** Hex digits kept per section digest: 128 bits, plenty to name a change, small for a thousand results. */
const SECTION_DIGEST_HEX = 32;

/** What the signature covers. */
export interface SignedReportDigest {
  format: typeof SIGNATURE_FORMAT;
  algorithm: 'Ed25519';
  canonicalization: 'RFC 8785';
  /** SHA-256 (hex) of the signer's public key (SPKI DER). */
  keyId: string;
  /** SHA-256 (hex) of the report's RFC 8785 canonical form. */
  reportSha256: string;
  /** JSON pointer (`/summary`, `/summary/failed`, `/results/12`) to a truncated SHA-256 of that value's canonical form. */
  sections: Record<string, string>;
}

/** The contents of `report.json.sig`: exactly these two members. */
export interface ReportSignature {
  signed: SignedReportDigest;
  /** Ed25519 signature (base64) of the RFC 8785 canonical form of `signed`. */
  signature: string;
}

/**
 * Signs report.json as written: `bytes` are the file's contents. Throws if
 * they are not strict JSON (the harness only signs what it just wrote).
 *
 * @example
 *   const signature = signReport(await readFile('out/report.json'), await readPrivateKey('vendor.key'));
 *   await writeFile('out/report.json.sig', `${JSON.stringify(signature, null, 2)}\n`);
 */
export function signReport(bytes: Uint8Array, privateKey: KeyObject): ReportSignature {
  const report = parseStrictJson(bytes);
  const signed: SignedReportDigest = {
    format: SIGNATURE_FORMAT,
    algorithm: 'Ed25519',
    canonicalization: 'RFC 8785',
    keyId: keyIdOf(privateKey),
    reportSha256: sha256(canonicalizeJson(report)),
    sections: sectionDigests(report),
  };
  return { signed, signature: sign(null, Buffer.from(canonicalizeJson(signed), 'utf8'), privateKey).toString('base64') };
}

export interface VerifyOutcome {
  /** True only when the signature verifies with the trusted key and covers this report's content. */
  ok: boolean;
  /** What is wrong, one finding per line, most important first; empty when ok. */
  problems: string[];
  /** The report, only when ok: exactly the content the signature covers. */
  report?: unknown;
}

/** Findings listed by name before the rest are counted. */
const CHANGES_SHOWN = 20;

/** Canonical base64 of a 64-byte Ed25519 signature. */
const ED25519_BASE64 = /^[A-Za-z0-9+/]{85}[AQgw]==$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks report.json's bytes against the bytes of its signature file and a
 * trusted public key, and says what changed when it can.
 *
 * @example
 *   const outcome = verifyReport(reportBytes, signatureBytes, publicKey);
 *   if (!outcome.ok) console.error(outcome.problems.join('\n')); // e.g. '/summary/failed changed'
 */
export function verifyReport(bytes: Uint8Array, signatureBytes: Uint8Array, publicKey: KeyObject): VerifyOutcome {
  const refuse = (problem: string): VerifyOutcome => ({ ok: false, problems: [problem] });
  let file: unknown;
  try {
    file = parseStrictJson(signatureBytes, { maxDepth: 4 });
  } catch (error) {
    return refuse(`the signature file is not strict JSON: ${describeError(error)}`);
  }
  // The envelope's shape only: none of its content is believed until the signature checks out.
  if (!isObject(file) || !hasExactly(file, ['signature', 'signed'])) return refuse('the signature file is not an interop-harness report signature (it must hold exactly "signed" and "signature"; an older format must be signed again)');
  if (typeof file.signature !== 'string' || !ED25519_BASE64.test(file.signature)) return refuse('the signature file\'s "signature" is not a base64 Ed25519 signature');
  if (!isObject(file.signed)) return refuse('the signature file\'s "signed" is not an object');
  const trustedKeyId = keyIdOf(publicKey);
  if (!verifySignature(canonicalizeJson(file.signed), file.signature, publicKey)) {
    return refuse(`the signature was not made with the key given (key id ${trustedKeyId.slice(0, 16)}…): the report was signed with another key, or the signature file was altered`);
  }

  // From here on `signed` is what the holder of the trusted key signed.
  const signed = file.signed;
  const signedProblem = describeBadSigned(signed, trustedKeyId);
  if (signedProblem) return refuse(signedProblem);
  const digest = signed as unknown as SignedReportDigest;

  let report: unknown;
  try {
    report = parseStrictJson(bytes);
  } catch (error) {
    const reason = error instanceof StrictJsonError ? error.message : describeError(error);
    return refuse(`report.json is not strict JSON (${reason}): a signed report always is, so it was edited after signing`);
  }
  if (sha256(canonicalizeJson(report)) === digest.reportSha256) return { ok: true, problems: [], report };
  const changes = describeChanges(digest.sections, sectionDigests(report), report);
  return { ok: false, problems: changes.length > 0 ? changes : ['the content of report.json is not what was signed (the change could not be located)'] };
}

/**
 * Digests of every top-level member of the report and, for objects and
 * arrays, of each of their members, keyed by JSON pointer: `/summary`,
 * `/summary/failed`, `/results`, `/results/0`, … Each is the first 128 bits
 * of SHA-256 of the canonical JSON.
 *
 * @example
 *   Object.keys(sectionDigests({ summary: { failed: 1 }, results: [{}] })); // ['/summary', '/summary/failed', '/results', '/results/0']
 */
export function sectionDigests(report: unknown): Record<string, string> {
  const digests: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!isObject(report)) {
    digests[''] = digest(report);
    return digests;
  }
  for (const [key, value] of Object.entries(report)) {
    const pointer = `/${escapePointer(key)}`;
    digests[pointer] = digest(value);
    if (Array.isArray(value)) value.forEach((item: unknown, index) => (digests[`${pointer}/${index}`] = digest(item)));
    else if (isObject(value)) for (const [member, inner] of Object.entries(value)) digests[`${pointer}/${escapePointer(member)}`] = digest(inner);
  }
  return digests;
}

/**
 * Names the sections whose digests differ, preferring the most precise: when
 * `/summary/failed` changed, `/summary` is not listed as well. Linear in the
 * number of sections.
 */
function describeChanges(signed: Record<string, string>, current: Record<string, string>, report: unknown): string[] {
  const names = new Set([...Object.keys(signed), ...Object.keys(current)]);
  const changed = [...names].filter((name) => signed[name] !== current[name]);
  // A section with a changed member is described by that member.
  const parentsOfChanged = new Set(changed.map(parentPointer).filter((p): p is string => p !== undefined));
  const lines: string[] = [];
  for (const name of changed) {
    if (parentsOfChanged.has(name)) continue;
    if (!(name in current)) lines.push(`${name} removed`);
    else if (!(name in signed)) lines.push(`${name} added`);
    else lines.push(`${name} changed${describeNow(name, report)}`);
  }
  const isResult = (n: string) => /^\/results\/\d+$/.test(n);
  const signedResults = Object.keys(signed).filter(isResult).length;
  const currentResults = Object.keys(current).filter(isResult).length;
  if (signedResults !== currentResults) lines.unshift(`results: ${signedResults} were signed, ${currentResults} are there now`);
  if (lines.length > CHANGES_SHOWN) return [...lines.slice(0, CHANGES_SHOWN), `and ${lines.length - CHANGES_SHOWN} more changes`];
  return lines;
}

/** `/summary/failed` → `/summary`; a top-level pointer has no parent section. */
function parentPointer(pointer: string): string | undefined {
  const last = pointer.lastIndexOf('/');
  return last > 0 ? pointer.slice(0, last) : undefined;
}

/** For a changed result, what it says now, so a reader can find it: ` (now: pass server-error GET /v1/persons)`. */
function describeNow(name: string, report: unknown): string {
  const match = /^\/results\/(\d+)$/.exec(name);
  if (!match || !isObject(report) || !Array.isArray(report.results)) return '';
  const result: unknown = report.results[Number(match[1])];
  if (!isObject(result)) return '';
  const words = [result.status, result.check, result.method, result.path].filter((w): w is string => typeof w === 'string').map((w) => w.slice(0, 120));
  return words.length > 0 ? ` (now: ${words.join(' ')})` : '';
}

/** What the trusted key signed must still be a report signature for this key, in this format. */
function describeBadSigned(signed: Record<string, unknown>, trustedKeyId: string): string | undefined {
  if (!hasExactly(signed, ['algorithm', 'canonicalization', 'format', 'keyId', 'reportSha256', 'sections']) || signed.format !== SIGNATURE_FORMAT) {
    return `the signature is valid but what it signs is not a report signature in the format "${SIGNATURE_FORMAT}"`;
  }
  if (signed.algorithm !== 'Ed25519' || signed.canonicalization !== 'RFC 8785') return 'the signature is valid but names an algorithm or canonicalization other than Ed25519 over RFC 8785';
  if (signed.keyId !== trustedKeyId) return 'the signature is valid but names another key as its signer';
  if (typeof signed.reportSha256 !== 'string' || !HEX64.test(signed.reportSha256)) return 'the signature is valid but its report digest is not a SHA-256';
  if (!isObject(signed.sections) || !Object.values(signed.sections).every((d) => typeof d === 'string')) return 'the signature is valid but its section digests are malformed';
  return undefined;
}

function hasExactly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value).sort();
  return own.length === keys.length && own.every((key, index) => key === keys[index]);
}

function verifySignature(text: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function digest(value: unknown): string {
  return sha256(canonicalizeJson(value)).slice(0, SECTION_DIGEST_HEX);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
