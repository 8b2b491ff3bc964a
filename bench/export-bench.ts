/**
 * `npm run bench` (export case): validating a bulk export of 100,000 and
 * 1,000,000 persons served by the reference supplier, the harness's streaming
 * export reader against a raw baseline (undici stream, line split, JSON.parse,
 * the same compiled validator), each read in a fresh process so its peak RSS
 * is its own. Targets: throughput at least 0.8 of the raw baseline; peak RSS
 * under 200 MB at 1,000,000 records and flat as the export grows tenfold.
 * Never part of the tests and never fails CI.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

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
const summary: string[] = [];
for (const size of SIZES) {
  const supplier = await startSupplier(size);
  try {
    const { fileUrl, token, count } = await exportFile(supplier);
    const runs: Reading[] = [];
    // Alternate, so drift on a shared machine hits both sides alike.
    for (let round = 0; round < ROUNDS; round++) for (const mode of ['raw', 'harness'] as const) runs.push(await read(mode, fileUrl, token));
    for (const mode of ['raw', 'harness'] as const) {
      const mine = runs.filter((r) => r.mode === mode);
      const ms = median(mine.map((r) => r.ms));
      const { records, bytes, invalid } = mine[0]!;
      if (records !== count) throw new Error(`${mode} read ${records} records, the manifest says ${count}`);
      console.log(
        `${String(size).padStart(9)} persons  ${mode.padEnd(7)}  ${Math.round(records / (ms / 1000)).toLocaleString('en-GB').padStart(9)} records/s  ${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1).padStart(6)} MB/s  peak RSS ${Math.round(Math.max(...mine.map((r) => r.maxRssMb)))} MB (${Math.round(Math.max(...mine.map((r) => r.setupRssMb)))} MB before reading)  (${invalid} invalid, ${(bytes / 1024 / 1024).toFixed(0)} MB)`,
      );
    }
    const ratio = median(runs.filter((r) => r.mode === 'raw').map((r) => r.ms)) / median(runs.filter((r) => r.mode === 'harness').map((r) => r.ms));
    summary.push(`${size.toLocaleString('en-GB')} persons: harness/raw throughput ${ratio.toFixed(2)} (target 0.80), harness peak RSS ${Math.round(Math.max(...runs.filter((r) => r.mode === 'harness').map((r) => r.maxRssMb)))} MB (target < 200 MB)`);
  } finally {
    supplier.close();
  }
}
console.log(summary.join('\n'));
