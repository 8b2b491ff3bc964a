/**
 * Start-up figures: whole processes of the built CLI, each against its baseline
 * measured in the same run, interleaved (baseline, harness, baseline, ...) so a
 * busy machine weighs on both alike; the ratio is of the medians.
 *
 * - `--version` and `--help` against `node -e 0` (target: within 2x);
 * - `--dry-run` of the generated large document (bench/generate-large-document.ts),
 *   without the cache, against `SwaggerParser.validate` of the same file in its own
 *   process (target: within 1.5x);
 * - the same dry run again with the cache warm (target: within 1.0x);
 * - the same two figures for the document written as YAML, as most published
 *   documents are (its `info.description` carries the Markdown that real ones do;
 *   it has no anchors: BENCH_DOCUMENTS can name a document that has);
 * - the same two figures for each document named in BENCH_DOCUMENTS (a comma
 *   list of paths, JSON or YAML): real documents the bench does not contain, as
 *   issue 12 is judged on one. None is vendored: the ones we tried (unleash-server's
 *   own document, 198 operations, and its YAML and 3.1 variants) are too large to ship.
 *
 * @example
 *   npx tsx bench/startup-bench.ts            // prints the figures
 *   BENCH_DOCUMENTS=/tmp/a.json,/tmp/b.yaml BENCH_ONLY=startup npm run bench
 *   const figures = await startupFigures();  // bench/summary.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { meetsTarget, type BenchFigure } from './bench-figure.js';
import { ensureBuilt, ROOT } from './built-harness.js';
import { writeLargeDocument, writeLargeDocumentYaml } from './generate-large-document.js';

const BIN = join(ROOT, 'dist', 'cli', 'bin.js');

/** Runs of each command (and of its baseline); the median is kept. */
const QUICK_RUNS = 9;
const DOCUMENT_RUNS = 5;

interface Command {
  label: string;
  args: string[];
  env?: Record<string, string>;
}

/**
 * Wall-clock milliseconds of one process, from spawn to exit. Throws when it fails:
 * a figure of a command that did not do its work would be meaningless.
 */
function timeProcess(command: Command): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command.args, { cwd: ROOT, env: { ...process.env, ...command.env }, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command.label} exited ${result.status}: ${String(result.stderr).slice(0, 500)}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median times of a command and its baseline, runs interleaved. One unmeasured run of each first (disk cache, JIT of nothing). */
function compare(subject: Command, baseline: Command, runs: number, target: number): BenchFigure {
  timeProcess(baseline);
  timeProcess(subject);
  const subjectMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineMs.push(timeProcess(baseline));
    subjectMs.push(timeProcess(subject));
  }
  const s = median(subjectMs);
  const b = median(baselineMs);
  return {
    name: `${subject.label} vs ${baseline.label}`,
    ratio: s / b,
    target,
    better: 'lower',
    detail: `harness ${Math.round(s)} ms, ${baseline.label} ${Math.round(b)} ms (medians of ${runs})`,
  };
}

/** The paths in BENCH_DOCUMENTS, each checked to exist: a typo should fail loudly, not shrink the table. */
function extraDocuments(list: string | undefined): string[] {
  const paths = (list ?? '').split(',').map((path) => path.trim()).filter((path) => path !== '');
  for (const path of paths) if (!existsSync(path)) throw new Error(`BENCH_DOCUMENTS names ${path}, which does not exist`);
  return paths.map((path) => resolve(path));
}

/**
 * A cold (`--no-cache`) and a warm dry run of one document, each against
 * `SwaggerParser.validate` of the same file in its own process.
 */
function documentFigures(document: string, description: string, cache: Record<string, string>): BenchFigure[] {
  const swaggerParser: Command = {
    label: 'SwaggerParser.validate',
    args: ['-e', "require('@apidevtools/swagger-parser').validate(process.argv[1]).catch((e) => { console.error(e.message); process.exit(1); })", document],
  };
  const dryRun = (label: string, extra: string[]): Command => ({
    label,
    // Size is not what is measured: Microsoft Graph's beta document (45 MB) is over the default --max-profile.
    args: [BIN, 'run', '--profile', document, '--target', 'http://127.0.0.1:9', '--dry-run', '--max-profile', '1gb', ...extra],
    env: cache,
  });
  const cold = compare(dryRun(`--dry-run of ${description} (--no-cache)`, ['--no-cache']), swaggerParser, DOCUMENT_RUNS, 1.5);
  // The unmeasured first run of `compare` warms the cache; every measured one is a second run.
  const warm = compare(dryRun('the same --dry-run, second run (warm cache)', []), swaggerParser, DOCUMENT_RUNS, 1);
  return [cold, warm];
}

/**
 * The start-up figures, each a ratio to its baseline from the same run.
 * @example for (const f of await startupFigures()) console.log(f.name, f.ratio.toFixed(2));
 */
export async function startupFigures(): Promise<BenchFigure[]> {
  ensureBuilt();
  const work = mkdtempSync(join(tmpdir(), 'interop-startup-bench-'));
  try {
    const document = writeLargeDocument(join(work, 'large-openapi.json'));
    const yamlDocument = writeLargeDocumentYaml(join(work, 'large-openapi.yaml'));
    const cache = { INTEROP_CACHE_DIR: join(work, 'cache') };
    const node: Command = { label: 'node -e 0', args: ['-e', '0'] };
    const figures = [
      compare({ label: '--version', args: [BIN, '--version'] }, node, QUICK_RUNS, 2),
      compare({ label: '--help', args: [BIN, '--help'] }, node, QUICK_RUNS, 2),
      ...documentFigures(document, 'an 800 KB, 254-operation document', cache),
      ...documentFigures(yamlDocument, `the same document as YAML (${Math.round(statSync(yamlDocument).size / 1024)} KB)`, { INTEROP_CACHE_DIR: join(work, 'cache-yaml') }),
    ];
    for (const extra of extraDocuments(process.env.BENCH_DOCUMENTS)) {
      figures.push(...documentFigures(extra, `${basename(extra)} (${Math.round(statSync(extra).size / 1024)} KB)`, { INTEROP_CACHE_DIR: join(work, `cache-${figures.length}`) }));
    }
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const figure of await startupFigures()) {
    const verdict = meetsTarget(figure) ? 'ok  ' : 'MISS';
    console.log(`${verdict} ${figure.ratio.toFixed(2)}x (target ${figure.target}x)  ${figure.name}\n       ${figure.detail}`);
  }
}
