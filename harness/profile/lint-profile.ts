import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { getAtPointer, isRecord, joinPointer } from '../json-pointer.js';
import { packageRoot } from '../package-root.js';
import { loadProfile } from './load-profile.js';
import type { LoadedProfile, ProfileWarning } from './profile-types.js';

/** One thing a profile author must fix (`error`) or should look at (`warning`). */
export interface LintFinding {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  location: string;
}

export interface LintResult {
  profile: LoadedProfile;
  findings: LintFinding[];
}

/** Warnings the loader raises that make a profile wrong rather than merely untidy. */
const ERROR_WARNINGS = new Set(['openapi-invalid', 'x-interop-invalid', 'ref-unresolved', 'duplicate-operation-id']);

/**
 * Check a profile the way its author needs before publishing it: valid
 * OpenAPI, `x-interop` valid against its JSON Schema, requirement IDs unique,
 * every requirement verified by a registered check or carrying a
 * `notTestedReason`, every named check real. Throws HarnessError only when
 * the file cannot be loaded at all.
 *
 * @example
 *   const { findings } = await lintProfile('profiles/open-architecture/openapi.yaml', CHECKS);
 */
export async function lintProfile(source: string, checks: readonly { id: string }[], options: { maxBytes?: number } = {}): Promise<LintResult> {
  const profile = await loadProfile(source, options);
  const findings: LintFinding[] = profile.warnings.map((w: ProfileWarning) => ({
    severity: ERROR_WARNINGS.has(w.code) ? 'error' : 'warning',
    code: w.code,
    message: w.message,
    location: w.location,
  }));
  const xInterop = profile.document['x-interop'];
  if (xInterop === undefined) {
    findings.push({ severity: 'error', code: 'x-interop-missing', message: 'no x-interop metadata: this is a plain OpenAPI document (generic mode), not a profile', location: '/x-interop' });
    return { profile, findings };
  }
  findings.push(...againstSchema(xInterop));
  const known = new Set(checks.map((c) => c.id));
  const annotations = findAnnotations(profile.document);
  profile.requirements.forEach((requirement) => {
    const location = `/x-interop/requirements/${indexOf(profile, requirement.id)}`;
    if (requirement.checks.length === 0 && !requirement.notTestedReason) {
      findings.push({ severity: 'error', code: 'requirement-unverified', message: `requirement ${requirement.id} names no check and gives no notTestedReason`, location });
    }
    for (const check of requirement.checks) {
      if (!known.has(check)) findings.push({ severity: 'error', code: 'unknown-check', message: `requirement ${requirement.id} names check "${check}", which does not exist`, location: `${location}/checks` });
    }
    if (!requirement.source) findings.push({ severity: 'warning', code: 'requirement-unsourced', message: `requirement ${requirement.id} does not say which public standard it traces to (source)`, location });
    for (const check of requirement.checks) {
      const annotation = Object.hasOwn(ANNOTATION_OF, check) ? ANNOTATION_OF[check] : undefined;
      if (annotation && !annotations.has(annotation)) {
        findings.push({
          severity: 'error',
          code: 'check-cannot-apply',
          message: `requirement ${requirement.id} names ${check}, but nothing in the profile carries ${annotation}: it could never be verified`,
          location: `${location}/checks`,
        });
      }
    }
  });
  const codeLists = getAtPointer(profile.document, '/x-interop/codeLists');
  for (const [pointer, value] of annotations.get('x-interop-code-list') ?? []) {
    if (typeof value !== 'string' || !isRecord(codeLists) || !Array.isArray(codeLists[value])) {
      findings.push({ severity: 'error', code: 'code-list-undefined', message: `x-interop-code-list ${JSON.stringify(value)} names no list in x-interop.codeLists`, location: pointer });
    }
  }
  return { profile, findings };
}

/** The annotation a check reads (profiles/AUTHORING.md); without one in the profile the check never applies. */
const ANNOTATION_OF: Readonly<Record<string, string>> = {
  pagination: 'x-interop-pagination',
  'coded-values': 'x-interop-code-list',
  'hash-integrity': 'x-interop-hash',
  'transparency-record': 'x-interop-transparency-records',
};

/** Every `x-interop-*` annotation in the document, by name, with where it is and its value. Bounded. */
function findAnnotations(document: unknown): Map<string, Array<[string, unknown]>> {
  const found = new Map<string, Array<[string, unknown]>>();
  const stack: Array<[unknown, string]> = [[document, '']];
  for (let visited = 0; stack.length > 0 && visited < 500_000; visited++) {
    const [node, pointer] = stack.pop()!;
    if (Array.isArray(node)) node.forEach((child, i) => stack.push([child, joinPointer(pointer, i)]));
    else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) {
        if (key.startsWith('x-interop-')) found.set(key, [...(found.get(key) ?? []), [joinPointer(pointer, key), child]]);
        else if (key !== 'x-interop') stack.push([child, joinPointer(pointer, key)]);
      }
    }
  }
  return found;
}

function indexOf(profile: LoadedProfile, id: string): number {
  const list = (profile.document['x-interop'] as { requirements?: Array<{ id?: unknown }> }).requirements ?? [];
  return list.findIndex((r) => r.id === id);
}

/** Validate against profiles/x-interop.schema.json, the published description of the metadata. */
function againstSchema(xInterop: unknown): LintFinding[] {
  let schema: object;
  try {
    schema = JSON.parse(readFileSync(join(packageRoot(), 'profiles', 'x-interop.schema.json'), 'utf8')) as object;
  } catch {
    return [];
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  if (validate(xInterop)) return [];
  return (validate.errors ?? []).slice(0, 50).map((e) => ({
    severity: 'error' as const,
    code: 'x-interop-schema',
    message: `x-interop${e.instancePath} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    location: `/x-interop${e.instancePath}`,
  }));
}
