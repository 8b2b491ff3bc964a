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
/** Killed after this: a hang is a failure, not a stuck suite. */
const CHILD_KILL_MS = 60_000;

t.test('every behaviour at once, in a child process: exit 0/1, no stack trace, peak RSS under 300 MB', async (t) => {
  // The supplier runs here, the harness in the child, so the child's peak memory is the harness's alone.
  const target = await listen(t, createHostileSupplier({}));
  const dir = t.testdir({});
  const rssFile = join(dir, 'max-rss');
  const out = join(dir, 'out');
  // Default body (10 MB) and header limits, so memory is measured as a user would run it;
  // only the per-request timeout is cut from 10 s to 1 s to keep the suite fast.
  const args = ['--import', 'tsx', WRAPPER, rssFile, 'run', '--profile', HOSTILE_PROFILE_PATH, '--target', target, '--out', out, '--timeout', '1s'];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', SUPPLIER_TOKEN: 'unused' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const killer = setTimeout(() => child.kill('SIGKILL'), CHILD_KILL_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(killer);
  const ms = performance.now() - started;
  const errText = Buffer.concat(stderr).toString('utf8');

  t.ok(code === 0 || code === 1, 'exit code 0 or 1', { code, stderr: errText });
  t.notMatch(errText, STACK_TRACE, 'no stack trace on stderr');
  t.ok(ms < 30_000, `finished in ${Math.round(ms)} ms`);
  const maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  t.comment(`peak RSS of the harness process: ${maxRssMb.toFixed(1)} MB`);
  t.ok(maxRssMb > 0 && maxRssMb < PEAK_RSS_LIMIT_MB, `peak RSS ${maxRssMb.toFixed(1)} MB < ${PEAK_RSS_LIMIT_MB} MB`);

  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  for (const entry of BEHAVIOURS) {
    const pattern = new RegExp(entry.expect.message);
    const named = report.results.some(
      (r) => r.operationId === entry.operationId && (entry.expect.check === undefined || r.check === entry.expect.check) && r.status === entry.expect.status && pattern.test(r.message),
    );
    t.ok(named, `${entry.name} is reported as ${entry.expect.status}`);
  }
  t.ok(report.results.some((r) => r.operationId === 'wellBehaved' && r.check === 'response-schema' && r.status === 'pass'), 'the well-behaved operation passes');
});
