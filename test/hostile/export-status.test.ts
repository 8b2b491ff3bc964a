import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import type { Report } from '../../harness/report/report-types.js';
import { STACK_TRACE } from './support/run-hostile.js';
import { boundedBy } from '../support/bounds.js';

/**
 * The export rows of the hostile-supplier table, run as a user would run the
 * CLI: an export status that never completes, and `Retry-After: 999999`. The
 * run ends within the export wait, exits 1, stays under 300 MB, and the
 * result says what was waited for and why the harness stopped.
 */

const EXPORT_WAIT_S = 3;
const PEAK_RSS_LIMIT_MB = 300;

for (const [defect, pattern] of [
  ['export-never-completes', /^the export had not completed after [\d.]+ s \(--export-wait 3 s\): \d+ polls answered 202/],
  ['export-retry-after-absurd', /^the supplier asked to wait 999999 s \(Retry-After: 999999\) before polling again, longer than the whole export wait \(--export-wait 3 s\); not waited/],
] as const) {
  t.test(`${defect}: bounded, reported, no crash`, async (t) => {
    const supplier = await startReferenceSupplier({ defects: [defect] });
    t.teardown(() => supplier.close());
    const out = mkdtempSync(join(tmpdir(), 'export-hostile-'));
    t.teardown(() => rmSync(out, { recursive: true, force: true }));
    const rssFile = join(out, 'rss');
    const argv = ['run', '--profile', 'data-export', '--target', supplier.url, '--client-id', supplier.clientId, '--client-secret-env', 'SECRET', '--export-wait', `${EXPORT_WAIT_S}s`, '--out', out, '--format', 'json', '--quiet'];
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support', 'cli-peak-memory.ts'), rssFile, ...argv], {
      env: { ...process.env, SECRET: supplier.clientSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const ms = performance.now() - started;

    t.equal(code, 1, 'exit 1: a MUST failed');
    t.notMatch(stderr, STACK_TRACE, 'no stack trace');
    t.ok(ms < boundedBy(EXPORT_WAIT_S * 1000), `ended at the export wait, not the supplier's never (took ${Math.round(ms)} ms)`);
    const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    t.ok(peakMb < PEAK_RSS_LIMIT_MB, `peak RSS ${Math.round(peakMb)} MB < ${PEAK_RSS_LIMIT_MB} MB`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    const status = report.results.find((r) => r.check === 'export-status');
    t.equal(status?.status, 'fail');
    t.match(status?.message, pattern);
    t.equal(report.options.limits.exportWaitMs, EXPORT_WAIT_S * 1000, 'the limit is recorded in the report');
    t.notOk(readFileSync(join(out, 'report.json'), 'utf8').includes(supplier.clientSecret), 'the client secret is in no report');
  });
}
