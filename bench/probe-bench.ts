/**
 * `npm run bench`: the harness's probing throughput against a raw undici loop
 * that sends the same requests with the same concurrency and validates with the
 * same compiled validators, in the same process, alternating rounds. The ratio
 * is what matters (target: 0.8 or better); absolute numbers depend on the machine.
 * Never part of the tests and never fails CI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { executeRun, planDryRun, prepareRun, type PreparedRun } from '../harness/index.js';

const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 8;

/**
 * The supplier runs in its own process, as a real one would: what is compared
 * is the client side, the harness against a bare loop, not who gets the CPU.
 */
async function startSupplier(): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bench-supplier.ts'), String(OPERATIONS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const url = /^listening (\S+)$/.exec(line ?? '')?.[1];
  if (!url) throw new Error(`bench supplier did not start: ${line}`);
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    }),
  };
}

function itemSchema(i: number) {
  return {
    type: 'object',
    required: ['id', 'name', 'createdAt', 'count'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^R[0-9]+-[0-9]+$' },
      name: { type: 'string', minLength: 1 },
      createdAt: { type: 'string', format: 'date-time' },
      count: { type: 'integer', minimum: 0 },
      tags: { type: 'array', items: { type: 'string' } },
      score: { type: ['number', 'null'] },
      [`field${i}`]: { type: 'boolean' },
    },
  };
}

/** A large generated OpenAPI 3.1 profile: one list operation per resource, each with its own schema. */
function generateProfile(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < OPERATIONS; i++) {
    schemas[`Item${i}`] = itemSchema(i);
    paths[`/resources${i}`] = {
      get: {
        operationId: `listResources${i}`,
        responses: {
          '200': {
            description: 'a page',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['data'],
                  properties: { data: { type: 'array', items: { $ref: `#/components/schemas/Item${i}` } }, next: { type: ['string', 'null'] } },
                },
              },
            },
          },
        },
      },
    };
  }
  return { openapi: '3.1.0', info: { title: 'bench', version: '1.0.0' }, paths, components: { schemas } };
}

/** The baseline: undici stream, JSON.parse, the same compiled validator; nothing else. */
interface Round {
  requestsPerSecond: number;
  /** Client CPU (user + system) per request, in microseconds. */
  cpuMicros: number;
}

async function measure(requests: () => Promise<number>): Promise<Round> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const count = await requests();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { requestsPerSecond: count / seconds, cpuMicros: (used.user + used.system) / count };
}

async function rawRound(prepared: PreparedRun, targets: Array<{ url: string; pointer: string; headers: Record<string, string> }>): Promise<number> {
  const agent = new Agent({ connections: CONCURRENCY });
  let next = 0;
  let invalid = 0;
  async function lane() {
    while (next < targets.length) {
      const target = targets[next++]!;
      const response = await request(target.url, { dispatcher: agent, headers: target.headers });
      const value: unknown = JSON.parse(await response.body.text());
      if (prepared.validators.validate(target.pointer, value).length > 0) invalid++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  await agent.close();
  if (invalid > 0) throw new Error(`raw loop saw ${invalid} invalid bodies: the bench is broken`);
  return targets.length;
}

async function harnessRound(prepared: PreparedRun): Promise<number> {
  const report = await executeRun(prepared);
  if (report.summary.failed + report.summary.errors > 0) throw new Error('harness saw failures: the bench is broken');
  return report.summary.probes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'interop-bench-'));
  const supplier = await startSupplier();
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(generateProfile()));
    const loadStarted = performance.now();
    const prepared = await prepareRun({ profile: file, target: supplier.url, limits: { concurrency: CONCURRENCY } });
    const loadMs = performance.now() - loadStarted;

    const planned = planDryRun(prepared);
    const targets = prepared.profile.operations.map((operation, i) => ({
      url: planned[i]!.url,
      pointer: operation.responses[0]!.content[0]!.schemaPointer!,
      headers: planned[i]!.headers,
    }));

    // Warm both paths (JIT, connections) before measuring.
    await harnessRound(prepared);
    await rawRound(prepared, targets);
    const harness: Round[] = [];
    const raw: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(await measure(() => rawRound(prepared, targets)));
      harness.push(await measure(() => harnessRound(prepared)));
    }
    const h = median(harness.map((r) => r.requestsPerSecond));
    const r = median(raw.map((r) => r.requestsPerSecond));
    const hCpu = median(harness.map((r) => r.cpuMicros));
    const rCpu = median(raw.map((r) => r.cpuMicros));
    console.log(`profile: ${OPERATIONS} operations, concurrency ${CONCURRENCY}, ${ROUNDS} rounds each (median), supplier in its own process`);
    console.log(`load + compile profile: ${loadMs.toFixed(0)} ms (of which compiling validators ${prepared.validators.compileMs.toFixed(0)} ms)`);
    console.log(`raw undici loop:        ${r.toFixed(0)} requests/s, ${rCpu.toFixed(0)} µs client CPU per request`);
    console.log(`interop-harness:        ${h.toFixed(0)} requests/s, ${hCpu.toFixed(0)} µs client CPU per request`);
    console.log(`ratio harness/raw:      ${(h / r).toFixed(2)} requests/s (target >= 0.80); CPU per request ${(hCpu / rCpu).toFixed(2)}x the raw loop`);
  } finally {
    await supplier.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
