import { createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReport, renderJunitXml, renderMarkdownReport, run as runEngine, signReport, type AllowedTargets, type Report, type RunEvent, type RunOptions } from '../../index.js';
import type { RunProgress, SupplierAuth } from '../domain.js';
import type { SecretBox } from '../secret-box.js';
import type { Queryable } from '../store/database.js';
import { sealedSigningKeyOf } from '../store/evaluations-repository.js';
import type { RunArtifact } from '../store/runs-repository.js';
import { claimsOf, sealedAuthOf, supplierById } from '../store/suppliers-repository.js';
import { sealPurpose } from '../seal-purposes.js';

/** The report files a finished run keeps, by the name the API serves them under. */
export const ARTIFACT_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'report.json': 'application/json',
  'report.json.sig': 'application/json',
  'report.html': 'text/html; charset=utf-8',
  'report.md': 'text/markdown; charset=utf-8',
  'junit.xml': 'application/xml',
};

/**
 * One run through the engine's library API, exactly as `interop-harness run`
 * would do it, with the supplier's credentials opened only here and handed to
 * the engine (which redacts them from everything it writes). Returns the
 * report and its files, report.json signed with the evaluation's key.
 *
 * @example
 *   const { report, artifacts } = await executeRun(db, box, { runId, supplierId, evaluationId, profile: 'baseline' }, { onProgress, signal });
 */
export async function executeRun(
  db: Queryable,
  box: SecretBox,
  run: { id: string; supplierId: string; evaluationId: string; profile: string; kind?: 'evaluation' | 'self-test' },
  hooks: { onProgress(progress: RunProgress): void; signal?: AbortSignal; allowedTargets?: AllowedTargets },
): Promise<{ report: Report; artifacts: RunArtifact[]; progress: RunProgress }> {
  const supplier = await supplierById(db, run.supplierId);
  if (!supplier) throw new Error('the run\'s supplier no longer exists');
  const sealedAuth = await sealedAuthOf(db, supplier.id);
  const auth = sealedAuth === null ? undefined : (JSON.parse(box.open(sealedAuth, sealPurpose.supplierAuth(supplier.id))) as SupplierAuth);
  const sealedKey = await sealedSigningKeyOf(db, run.evaluationId);
  if (sealedKey === undefined) throw new Error('the run\'s evaluation no longer exists');
  const privateKey = createPrivateKey(box.open(sealedKey, sealPurpose.signingKey(run.evaluationId)));

  const progress: RunProgress = {};
  const claims = await claimsOf(db, supplier.id);
  const scratch = claims === undefined ? undefined : await mkdtemp(join(tmpdir(), 'interop-claims-'));
  try {
    let claimsFile: string | undefined;
    if (scratch !== undefined) {
      claimsFile = join(scratch, 'claims.json');
      await writeFile(claimsFile, JSON.stringify(claims), { mode: 0o600 });
    }
    const options: RunOptions = {
      profile: run.profile,
      target: supplier.target,
      ...credentialOptions(auth),
      ...(claimsFile ? { claims: claimsFile } : {}),
      // Signed with the evaluation's key either way: what started the run, and for whom, must be inside the signature.
      invocation: { argv: ['serve', run.kind === 'self-test' ? 'self-test' : 'run', run.id, '--evaluation', run.evaluationId, '--supplier', run.supplierId] },
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      // Checked again here, not only when the supplier was added: the operator may have narrowed the list since.
      ...(hooks.allowedTargets ? { allowedTargets: hooks.allowedTargets } : {}),
      onEvent(event: RunEvent) {
        if (event.type === 'run-started') progress.operations = event.operations;
        else if (event.type === 'probe-finished') {
          progress.probesFinished = (progress.probesFinished ?? 0) + 1;
          progress.lastOperation = event.probe.operationId;
        } else return;
        hooks.onProgress({ ...progress });
      },
    };
    const report = await runEngine(options);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    const signature = signReport(Buffer.from(json, 'utf8'), privateKey);
    const files: Record<string, string> = {
      'report.json': json,
      'report.json.sig': `${JSON.stringify(signature, null, 2)}\n`,
      'report.html': renderHtmlReport(report),
      'report.md': renderMarkdownReport(report),
      'junit.xml': renderJunitXml(report),
    };
    const artifacts = Object.entries(files).map(([name, content]) => ({ name, mediaType: ARTIFACT_MEDIA_TYPES[name]!, content }));
    return { report, artifacts, progress };
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

/** The engine's options for a supplier's credentials; every value is also a secret the engine redacts. */
function credentialOptions(auth: SupplierAuth | undefined): Partial<RunOptions> {
  if (auth === undefined) return {};
  if ('bearerToken' in auth) return { token: auth.bearerToken };
  if ('clientId' in auth) return { clientId: auth.clientId, clientSecret: auth.clientSecret, ...(auth.tokenUrl ? { tokenUrl: auth.tokenUrl } : {}) };
  // Custom header names (X-Vendor-Key) are not all recognisably sensitive: every value is declared secret.
  return { headers: { ...auth.headers }, secrets: Object.values(auth.headers) };
}
