/**
 * Detached Ed25519 signatures for report.json, so a force can tell whether a
 * report a vendor sent is the one the harness wrote.
 *
 * The signature covers the RFC 8785 canonical form of the report (its
 * content, whatever the formatting). Beside it the signature file keeps a
 * signed manifest: SHA-256 of the exact file bytes, and a short digest of
 * every top-level section and of each of their members (`summary.failed`,
 * `results[12]`). When the signature does not match, `verify` compares
 * digests to name what changed instead of only saying "invalid".
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalizeJson } from './canonical-json.js';
import { keyIdOf } from './signing-keys.js';

/** A signature file is the report's path plus this suffix: `report.json.sig`. */
export const SIGNATURE_SUFFIX = '.sig';

/** Hex digits kept per section digest: 128 bits, plenty to name a change, small for a thousand results. */
const SECTION_DIGEST_HEX = 32;

export interface SignatureManifest {
  /** SHA-256 (hex) of report.json's bytes exactly as written. */
  fileSha256: string;
  /** Section path (`summary`, `summary.failed`, `results`, `results[12]`) to a truncated SHA-256 of its canonical JSON. */
  sections: Record<string, string>;
}

/** The contents of `report.json.sig`. */
export interface ReportSignature {
  algorithm: 'Ed25519';
  canonicalization: 'RFC 8785';
  /** SHA-256 (hex) of the signer's public key (SPKI DER). */
  keyId: string;
  /** Ed25519 signature (base64) of the report's canonical JSON. */
  signature: string;
  manifest: SignatureManifest;
  /** Ed25519 signature (base64) of the manifest's canonical JSON, so its digests can be trusted when naming a change. */
  manifestSignature: string;
}

/**
 * Signs report.json as written: `bytes` are the file's contents. Throws if
 * they are not JSON (the harness only signs what it just wrote).
 *
 * @example
 *   const signature = signReport(await readFile('out/report.json'), await readPrivateKey('vendor.key'));
 *   await writeFile('out/report.json.sig', `${JSON.stringify(signature, null, 2)}\n`);
 */
export function signReport(bytes: Uint8Array, privateKey: KeyObject): ReportSignature {
  const report: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  const manifest: SignatureManifest = { fileSha256: sha256(bytes), sections: sectionDigests(report) };
  return {
    algorithm: 'Ed25519',
    canonicalization: 'RFC 8785',
    keyId: keyIdOf(privateKey),
    signature: sign(null, Buffer.from(canonicalizeJson(report), 'utf8'), privateKey).toString('base64'),
    manifest,
    manifestSignature: sign(null, Buffer.from(canonicalizeJson(manifest), 'utf8'), privateKey).toString('base64'),
  };
}

export interface VerifyOutcome {
  /** True only when the content verifies and the file's bytes are exactly those signed. */
  ok: boolean;
  /** What is wrong, one finding per line, most important first; empty when ok. */
  problems: string[];
  /** The parsed report, when it was JSON. */
  report?: unknown;
}

/** Findings listed by name before the rest are counted. */
const CHANGES_SHOWN = 20;

/**
 * Checks report.json's bytes against a signature and a trusted public key,
 * and says what changed when it can.
 *
 * @example
 *   const outcome = verifyReport(bytes, JSON.parse(sigText), publicKey);
 *   if (!outcome.ok) console.error(outcome.problems.join('\n')); // e.g. 'summary.failed changed'
 */
export function verifyReport(bytes: Uint8Array, signature: unknown, publicKey: KeyObject): VerifyOutcome {
  const shapeProblem = describeBadSignatureFile(signature);
  if (shapeProblem) return { ok: false, problems: [shapeProblem] };
  const sig = signature as ReportSignature;
  const trustedKeyId = keyIdOf(publicKey);
  if (sig.keyId !== trustedKeyId) {
    return { ok: false, problems: [`signed by a different key (key id ${sig.keyId.slice(0, 16)}…), not the one given (key id ${trustedKeyId.slice(0, 16)}…)`] };
  }

  let report: unknown;
  try {
    report = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { ok: false, problems: [`report.json is no longer valid JSON (${error instanceof Error ? error.message : String(error)}): it was edited after signing`] };
  }

  let canonical: string;
  try {
    canonical = canonicalizeJson(report);
  } catch (error) {
    return { ok: false, problems: [`report.json cannot be canonicalised: ${error instanceof Error ? error.message : String(error)}`], report };
  }
  const contentOk = verifySignature(canonical, sig.signature, publicKey);
  const fileOk = sha256(bytes) === sig.manifest.fileSha256;
  if (contentOk && fileOk) return { ok: true, problems: [], report };
  const manifestOk = verifySignature(canonicalizeJson(sig.manifest), sig.manifestSignature, publicKey);
  if (contentOk) {
    // Same content, different bytes: whitespace, escapes or key order were changed.
    return {
      ok: false,
      problems: [
        manifestOk
          ? "report.json's content is as signed, but its bytes differ (formatting changed: whitespace, escapes or key order); use the file exactly as it was signed"
          : 'the signature file was altered (its manifest no longer verifies)',
      ],
      report,
    };
  }
  if (!manifestOk) return { ok: false, problems: ['the signature does not match report.json, and the signature file itself was altered, so what changed cannot be named'], report };
  const changes = describeChanges(sig.manifest.sections, sectionDigests(report), report);
  return {
    ok: false,
    problems: changes.length > 0 ? changes : ['the signature does not match report.json (the change could not be located)'],
    report,
  };
}

/**
 * Digests of every top-level member of the report and, for objects and
 * arrays, of each of their members: `summary`, `summary.failed`, `results`,
 * `results[0]`, … Each is the first 128 bits of SHA-256 of the canonical JSON.
 *
 * @example
 *   Object.keys(sectionDigests({ summary: { failed: 1 }, results: [{}] })); // ['summary', 'summary.failed', 'results', 'results[0]']
 */
export function sectionDigests(report: unknown): Record<string, string> {
  const digests: Record<string, string> = {};
  if (!isObject(report)) return { '': digest(report) };
  for (const [key, value] of Object.entries(report)) {
    digests[key] = digest(value);
    if (Array.isArray(value)) value.forEach((item: unknown, index) => (digests[`${key}[${index}]`] = digest(item)));
    else if (isObject(value)) for (const [member, inner] of Object.entries(value)) digests[`${key}.${member}`] = digest(inner);
  }
  return digests;
}

/**
 * Names the sections whose digests differ, preferring the most precise: when
 * `summary.failed` changed, `summary` is not listed as well.
 */
function describeChanges(signed: Record<string, string>, current: Record<string, string>, report: unknown): string[] {
  const lines: string[] = [];
  const names = [...new Set([...Object.keys(signed), ...Object.keys(current)])];
  const differs = (name: string) => signed[name] !== current[name];
  const changed = names.filter(differs);
  for (const name of changed) {
    const hasChangedChild = changed.some((other) => other !== name && (other.startsWith(`${name}.`) || other.startsWith(`${name}[`)));
    if (hasChangedChild) continue;
    if (!(name in current)) lines.push(`${name} removed`);
    else if (!(name in signed)) lines.push(`${name} added`);
    else lines.push(`${name} changed${describeNow(name, report)}`);
  }
  const signedResults = Object.keys(signed).filter((n) => /^results\[\d+\]$/.test(n)).length;
  const currentResults = Object.keys(current).filter((n) => /^results\[\d+\]$/.test(n)).length;
  if (signedResults !== currentResults) lines.unshift(`results: ${signedResults} were signed, ${currentResults} are there now`);
  if (lines.length > CHANGES_SHOWN) return [...lines.slice(0, CHANGES_SHOWN), `and ${lines.length - CHANGES_SHOWN} more changes`];
  return lines;
}

/** For a changed result, what it says now, so a reader can find it: ` (now: pass server-error GET /v1/persons)`. */
function describeNow(name: string, report: unknown): string {
  const match = /^results\[(\d+)\]$/.exec(name);
  if (!match || !isObject(report) || !Array.isArray(report.results)) return '';
  const result: unknown = report.results[Number(match[1])];
  if (!isObject(result)) return '';
  const words = [result.status, result.check, result.method, result.path].filter((w): w is string => typeof w === 'string').map((w) => w.slice(0, 120));
  return words.length > 0 ? ` (now: ${words.join(' ')})` : '';
}

function describeBadSignatureFile(value: unknown): string | undefined {
  if (!isObject(value)) return 'the signature file is not a JSON object';
  if (value.algorithm !== 'Ed25519') return `the signature file names algorithm ${JSON.stringify(value.algorithm)}; only Ed25519 is supported`;
  if (value.canonicalization !== 'RFC 8785') return `the signature file names canonicalization ${JSON.stringify(value.canonicalization)}; only RFC 8785 is supported`;
  if (typeof value.keyId !== 'string' || typeof value.signature !== 'string' || typeof value.manifestSignature !== 'string') return 'the signature file is missing keyId, signature or manifestSignature';
  const manifest = value.manifest;
  if (!isObject(manifest) || typeof manifest.fileSha256 !== 'string' || !isObject(manifest.sections)) return 'the signature file has no valid manifest';
  if (!Object.values(manifest.sections).every((d) => typeof d === 'string')) return 'the signature file has no valid manifest';
  return undefined;
}

function verifySignature(text: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function digest(value: unknown): string {
  return sha256(Buffer.from(canonicalizeJson(value), 'utf8')).slice(0, SECTION_DIGEST_HEX);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
