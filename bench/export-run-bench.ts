/**
 * `npm run bench` (whole-run export case): the CLI's `run` of the data-export
 * profile's export checks against the reference supplier serving 100,000 and
 * 1,000,000 persons, with default options, in a child process whose peak RSS
 * is its own (the supplier runs in another). Targets: export-completeness
 * passes (the list is walked to its end whatever --max-pages says) and peak
 * RSS stays under 200 MB at 1,000,000 persons.
 * Runs the built CLI: `npm run build` first. Never part of the tests and never fails CI.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '100000,1000000').split(',').map(Number);
const TSX = ['--import', 'tsx'];

for (const size of SIZES) {
  const supplier = spawn(process.execPath, [...TSX, join(import.meta.dirname, 'export-supplier.ts'), String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await createInterface({ input: supplier.stdout! })[Symbol.asyncIterator]().next();
  const match = /^listening (\S+) (\S+) (\S+)$/.exec(String(first.value ?? ''));
  if (!match) throw new Error(`export supplier did not start: ${String(first.value)}`);
  const out = mkdtempSync(join(tmpdir(), 'export-run-bench-'));
  try {
    const started = performance.now();
    // The child reports its own peak RSS on exit: process.resourceUsage().maxRSS is in KB.
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        // The built CLI, as a user runs it (`npm run build` first): tsx's compiler would add its own memory.
        ['--import', 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss "+process.resourceUsage().maxRSS+"\\n"))', join(import.meta.dirname, '..', 'dist', 'cli', 'bin.js'),
          'run', '--profile', 'data-export', '--target', match[1]!, '--client-id', match[2]!, '--checks', 'export-completeness', '--out', out, '-q'],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, INTEROP_CLIENT_SECRET: match[3]! } },
      );
      let err = '';
      child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.on('exit', (exitCode) => {
        const rss = /maxrss (\d+)/.exec(err)?.[1];
        const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { results: Array<{ check: string; status: string; message: string }> };
        const result = report.results.find((r) => r.check === 'export-completeness');
        console.log(`${String(size).padStart(9)} persons  run ${Math.round((performance.now() - started) / 1000)} s  peak RSS ${Math.round(Number(rss) / 1024)} MB (target < 200 MB)  export-completeness ${result?.status}: ${result?.message.slice(0, 100)}`);
        resolve(exitCode);
      });
    });
    if (code !== 0 && code !== 1) throw new Error(`run exited ${code}`);
  } finally {
    supplier.kill();
    rmSync(out, { recursive: true, force: true });
  }
}
