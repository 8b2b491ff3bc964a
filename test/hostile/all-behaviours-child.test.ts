import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { BEHAVIOURS } from '../../fixtures/hostile-supplier/behaviours.js';
import { createHostileSupplier, HOSTILE_PROFILE_PATH } from '../../fixtures/hostile-supplier/create-hostile-supplier.js';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';
import { STACK_TRACE } from './support/run-hostile.js';

const ROOT = join(import.meta.dirname, '..', '..');
const WRAPPER = join(import.meta.dirname, 'support', 'cli-peak-memory.ts');
/** The bound on the harness's peak memory against a hostile supplier. */
const PEAK_RSS_LIMIT_MB = 300;
/** The run's own deadline, passed as --run-timeout: the bound the harness promises to keep. */
const RUN_TIMEOUT_MS = 60_000;
/** Killed after this: a hang is a failure, not a stuck suite. */
const CHILD_KILL_MS = 100_000;

t.test('every behaviour at once, in a child process: exit 0/1, no stack trace, peak RSS under 300 MB', async (t) => {
  // The supplier runs here, the harness in the child, so the child's peak memory is the harness's alone.
  const target = await listen(t, createHostileSupplier({}));
  const dir = t.testdir({});
  const rssFile = join(dir, 'max-rss');
  const out = join(dir, 'out');
  // Default limits (10 MB body, 10 s per request), so memory is measured as a user would run it
  // and no outcome but the two stalls' depends on the clock: on a loaded machine a 1 s timeout
  // ended the compression bombs before their body limit did.
  const args = ['--import', 'tsx', WRAPPER, rssFile, 'run', '--profile', HOSTILE_PROFILE_PATH, '--target', target, '--out', out, '--run-timeout', `${RUN_TIMEOUT_MS}ms`];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', SUPPLIER_TOKEN: 'unused' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const killer = setTimeout(() => child.kill('SIGKILL'), CHILD_KILL_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(killer);
  const errText = Buffer.concat(stderr).toString('utf8');

  t.ok(code === 0 || code === 1, 'exit code 0 or 1', { code, stderr: errText });
  t.notMatch(errText, STACK_TRACE, 'no stack trace on stderr');
  const maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  t.comment(`peak RSS of the harness process: ${maxRssMb.toFixed(1)} MB`);
  t.ok(maxRssMb > 0 && maxRssMb < PEAK_RSS_LIMIT_MB, `peak RSS ${maxRssMb.toFixed(1)} MB < ${PEAK_RSS_LIMIT_MB} MB`);

  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  t.ok(report.durationMs <= RUN_TIMEOUT_MS + 5000, `the run kept its --run-timeout (${report.durationMs} ms)`);
  for (const entry of BEHAVIOURS) {
    const pattern = new RegExp(entry.expect.message);
    const named = report.results.some(
      (r) => r.operationId === entry.operationId && (entry.expect.check === undefined || r.check === entry.expect.check) && r.status === entry.expect.status && pattern.test(r.message),
    );
    t.ok(named, `${entry.name} is reported as ${entry.expect.status}`);
  }
  t.ok(report.results.some((r) => r.operationId === 'wellBehaved' && r.check === 'response-schema' && r.status === 'pass'), 'the well-behaved operation passes');
});
