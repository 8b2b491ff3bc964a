/**
 * Where the harness's per-request client CPU goes, layer by layer, against the
 * same supplier as probe-bench.ts: a bare undici request, the harness's HTTP
 * client, and the client plus the check stage. A diagnostic for optimising
 * `harness/http/` and the checks; never part of the tests.
 *   BENCH_REQUESTS=4000 npx tsx bench/layer-bench.ts
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent } from 'undici';
import type { HttpLimits } from '../harness/http/exchange-types.js';
import { createHttpClient } from '../harness/http/http-client.js';
import { createRedactor } from '../harness/http/redactor.js';
import { parseJsonBody } from '../harness/json-body.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = 8;
const ROUTES = 50;

async function startSupplier(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bench-supplier.ts'), String(ROUTES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const url = /^listening (\S+)$/.exec(String(first.value))?.[1];
  if (!url) throw new Error('supplier did not start');
  return { url, stop: () => child.kill() };
}

async function measure(name: string, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < REQUESTS) await one(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane)); // warm-up
  next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${name.padEnd(28)} ${(REQUESTS / seconds).toFixed(0).padStart(6)} req/s ${((used.user + used.system) / REQUESTS).toFixed(0).padStart(5)} µs CPU/request`);
}

const supplier = await startSupplier();
try {
  const agent = new Agent({ connections: CONCURRENCY });
  await measure('raw undici + JSON.parse', async (i) => {
    const response = await agent.request({ origin: supplier.url, path: `/resources${i % ROUTES}`, method: 'GET', headers: { 'user-agent': 'bench' } });
    JSON.parse(await response.body.text());
  });
  await agent.close();
  const limits: HttpLimits = { requestTimeoutMs: 10_000, maxBodyBytes: 10 * 1024 * 1024, maxHeaderBytes: 16 * 1024, maxRedirects: 5, maxRetryWaitMs: 5000, evidenceBodyBytes: 4096 };
  const client = createHttpClient({ targetUrl: supplier.url, limits, redactor: createRedactor([]), connections: CONCURRENCY });
  await measure('harness client', async (i) => {
    await client.send({ method: 'GET', url: `${supplier.url}/resources${i % ROUTES}`, headers: { 'user-agent': 'bench', accept: 'application/json' }, followRedirects: true });
  });
  await measure('harness client + parse', async (i) => {
    const exchange = await client.send({ method: 'GET', url: `${supplier.url}/resources${i % ROUTES}`, headers: { 'user-agent': 'bench', accept: 'application/json' }, followRedirects: true });
    parseJsonBody(exchange.response!.body);
  });
  await client.close();
} finally {
  supplier.stop();
}
