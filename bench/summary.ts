/**
 * `npm run bench`: every bench module, one after the other, then every figure
 * with its target in one table on one screen. Each module returns BenchFigure[]
 * (bench/bench-figure.ts); the figures are ratios against a baseline measured
 * in the same run, so they travel between machines where absolute numbers do not.
 * Never part of the tests and never fails CI: a module that throws is shown as a
 * row saying so, and the exit code is 0 whatever the figures say.
 *   npm run bench                      (everything: a few minutes on 2 cores)
 *   BENCH_ONLY=probe npm run bench     (a comma list of: startup, probe, real-probe, export)
 *   BENCH_PROBE_TARGET=… BENCH_PROBE_PROFILE=… npm run bench   (adds real-probe: see real-target-probe-bench.ts)
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { meetsTarget, type BenchFigure } from './bench-figure.js';
import { exportFigures } from './export-bench.js';
import { probeFigures } from './probe-bench.js';
import { realTargetFigures, realTargetRequested } from './real-target-probe-bench.js';

interface BenchModule {
  id: string;
  /** Absent when the module is not in this checkout. */
  run?: () => Promise<{ figures: BenchFigure[]; lines: string[] }>;
}

/** The start-up bench lives on its own branch until it lands: load it only when it is here. */
async function startupModule(): Promise<BenchModule['run']> {
  if (!existsSync(join(import.meta.dirname, 'startup-bench.ts'))) return undefined;
  const specifier = './startup-bench.js';
  const mod = (await import(specifier)) as { startupFigures: () => Promise<BenchFigure[]> };
  return async () => ({ figures: await mod.startupFigures(), lines: [] });
}

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
// Start-up first: whole-process timings are the most sensitive to a busy machine.
const modules: BenchModule[] = [
  { id: 'startup', run: await startupModule() },
  { id: 'probe', run: probeFigures },
  // Only when a live server is named: it sends that server real requests.
  ...(realTargetRequested() ? [{ id: 'real-probe', run: realTargetFigures }] : []),
  { id: 'export', run: exportFigures },
].filter((m) => !only || only.includes(m.id));

const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${process.platform}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${loadavg()[0]!.toFixed(2)} at start`;
console.log(`interop-harness bench: ${machine}`);

const rows: Array<BenchFigure | { name: string; missing: string }> = [];
for (const module of modules) {
  if (!module.run) {
    rows.push({ name: `${module.id} bench`, missing: 'not in this checkout' });
    continue;
  }
  const started = performance.now();
  process.stderr.write(`running ${module.id} bench...\n`);
  try {
    const { figures, lines } = await module.run();
    for (const line of lines) console.log(`  ${line}`);
    rows.push(...figures);
  } catch (error) {
    rows.push({ name: `${module.id} bench`, missing: `failed: ${error instanceof Error ? error.message : String(error)}` });
  }
  process.stderr.write(`${module.id} bench took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

// One screen: a long figure name is cut (each module's own output has it whole).
const NAME_WIDTH = 52;
const shown = (name: string): string => (name.length > NAME_WIDTH ? `${name.slice(0, NAME_WIDTH - 1)}…` : name);
const width = Math.max(6, ...rows.map((r) => shown(r.name).length));
console.log('');
console.log(`${'figure'.padEnd(width)}  ratio  target   met  detail`);
for (const row of rows) {
  if ('missing' in row) {
    console.log(`${shown(row.name).padEnd(width)}      -       -     -  ${row.missing}`);
    continue;
  }
  const target = `${row.better === 'higher' ? '>=' : '<='}${row.target.toFixed(2)}`;
  console.log(`${shown(row.name).padEnd(width)}  ${row.ratio.toFixed(2).padStart(5)}  ${target.padStart(6)}  ${(meetsTarget(row) ? 'yes' : 'NO').padStart(4)}  ${row.detail}`);
}
const figures = rows.filter((r): r is BenchFigure => !('missing' in r));
console.log(`${figures.filter(meetsTarget).length} of ${figures.length} figures meet their target (ratios: harness over its baseline, same run, same machine)`);
