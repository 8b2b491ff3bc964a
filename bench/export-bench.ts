/**
 * `npm run bench` (export case): validating a bulk export of 100,000 and
 * 1,000,000 persons served by the reference supplier, the harness's streaming
 * export reader against a raw baseline (undici stream, line split, JSON.parse,
 * the same compiled validator), each read in a fresh process so its peak RSS
 * is its own. Targets: throughput at least 0.8 of the raw baseline; peak RSS
 * under 200 MB at 1,000,000 records and flat as the export grows tenfold
 * (at most 1.25 times the smaller export's).
 * Never part of the tests and never fails CI.
 *   npx tsx bench/export-bench.ts      (alone; bench/summary.ts runs it with the rest)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { BenchFigure } from './bench-figure.js';

const SIZES = (process.env.BENCH_EXPORT_SIZES ?? '100000,1000000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_EXPORT_ROUNDS ?? 2);
const TSX = ['--import', 'tsx'];

interface Reading {
  mode: 'raw' | 'harness';
  records: number;
  invalid: number;
  bytes: number;
  ms: number;
  maxRssMb: number;
  setupRssMb: number;
}

async function startSupplier(persons: number) {
  const child = spawn(process.execPath, [...TSX, join(import.meta.dirname, 'export-supplier.ts'), String(persons)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const match = /^listening (\S+) (\S+) (\S+)$/.exec(String(first.value ?? ''));
  if (!match) throw new Error(`export supplier did not start: ${String(first.value)}`);
  return { url: match[1]!, clientId: match[2]!, clientSecret: match[3]!, close: () => child.kill() };
}

async function json(url: string, init: RequestInit): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Kick off a person export and wait for its manifest: the file URL the readers then stream. */
async function exportFile(supplier: { url: string; clientId: string; clientSecret: string }): Promise<{ fileUrl: string; token: string; count: number }> {
  const tokenResponse = await json(`${supplier.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: supplier.clientId, client_secret: supplier.clientSecret }),
  });
  const token = (tokenResponse.body as { access_token: string }).access_token;
  const auth = { authorization: `Bearer ${token}` };
  const kickoff = await fetch(`${supplier.url}/v1/$export?_type=person`, { headers: { ...auth, prefer: 'respond-async' } });
  const statusUrl = kickoff.headers.get('content-location');
  if (kickoff.status !== 202 || !statusUrl) throw new Error(`kick-off answered ${kickoff.status}`);
  for (;;) {
    const status = await json(statusUrl, { headers: auth });
    if (status.status === 200) {
      const output = (status.body as { output: Array<{ type: string; url: string; count: number }> }).output.find((o) => o.type === 'person')!;
      return { fileUrl: output.url, token, count: output.count };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(status.headers.get('retry-after') ?? 1)));
  }
}

function read(mode: 'raw' | 'harness', fileUrl: string, token: string): Promise<Reading> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX, join(import.meta.dirname, 'export-reader.ts'), mode, fileUrl, token], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Reading) : reject(new Error(`${mode} reader exited ${code}`))));
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const peak = (runs: Reading[]): number => Math.round(Math.max(...runs.map((r) => r.maxRssMb)));
const RSS_LIMIT_MB = 200;

/**
 * Measure export verification at each size: throughput against the raw reader,
 * peak RSS at the largest size, and how much the peak grows with the export.
 *
 * @example
 *   const { figures } = await exportFigures();
 *   // [{ name: 'export 100,000 records/s vs raw', ratio: 0.97, target: 0.8, better: 'higher', ... }, ...]
 */
export async function exportFigures(): Promise<{ figures: BenchFigure[]; lines: string[] }> {
  const figures: BenchFigure[] = [];
  const lines: string[] = [];
  const peaks: Array<{ size: number; mb: number }> = [];
  for (const size of SIZES) {
    const supplier = await startSupplier(size);
    try {
      const { fileUrl, token, count } = await exportFile(supplier);
      const runs: Reading[] = [];
      // Alternate, so drift on a shared machine hits both sides alike.
      for (let round = 0; round < ROUNDS; round++) for (const mode of ['raw', 'harness'] as const) runs.push(await read(mode, fileUrl, token));
      const rate: Record<string, number> = {};
      for (const mode of ['raw', 'harness'] as const) {
        const mine = runs.filter((r) => r.mode === mode);
        const ms = median(mine.map((r) => r.ms));
        const { records, bytes, invalid } = mine[0]!;
        if (records !== count) throw new Error(`${mode} read ${records} records, the manifest says ${count}`);
        rate[mode] = records / (ms / 1000);
        lines.push(
          `${String(size).padStart(9)} persons  ${mode.padEnd(7)}  ${Math.round(rate[mode]!).toLocaleString('en-GB').padStart(9)} records/s  ${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1).padStart(6)} MB/s  peak RSS ${peak(mine)} MB (${Math.round(Math.max(...mine.map((r) => r.setupRssMb)))} MB before reading)  (${invalid} invalid, ${(bytes / 1024 / 1024).toFixed(0)} MB)`,
        );
      }
      const ratio = median(runs.filter((r) => r.mode === 'raw').map((r) => r.ms)) / median(runs.filter((r) => r.mode === 'harness').map((r) => r.ms));
      const harnessPeak = peak(runs.filter((r) => r.mode === 'harness'));
      peaks.push({ size, mb: harnessPeak });
      const k = (n: number) => Math.round(n / 1000).toLocaleString('en-GB');
      figures.push({
        name: `export ${size.toLocaleString('en-GB')} records/s vs raw`,
        ratio,
        target: 0.8,
        better: 'higher',
        detail: `harness ${k(rate.harness!)}k/s, raw ${k(rate.raw!)}k/s, median of ${ROUNDS}`,
      });
    } finally {
      supplier.close();
    }
  }
  const largest = peaks[peaks.length - 1]!;
  figures.push({
    name: `export ${largest.size.toLocaleString('en-GB')} peak RSS / ${RSS_LIMIT_MB} MB`,
    ratio: largest.mb / RSS_LIMIT_MB,
    target: 1,
    better: 'lower',
    detail: `harness peak ${largest.mb} MB`,
  });
  if (peaks.length > 1) {
    const smallest = peaks[0]!;
    figures.push({
      name: `export peak RSS growth, ${largest.size / smallest.size}x records`,
      ratio: largest.mb / smallest.mb,
      target: 1.25,
      better: 'lower',
      detail: `${smallest.mb} MB at ${smallest.size.toLocaleString('en-GB')}, ${largest.mb} MB at ${largest.size.toLocaleString('en-GB')}`,
    });
  }
  return { figures, lines };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { figures, lines } = await exportFigures();
  console.log(lines.join('\n'));
  for (const f of figures) console.log(`${f.name}: ${f.ratio.toFixed(2)} (target ${f.better === 'higher' ? '>=' : '<='} ${f.target})  ${f.detail}`);
}
