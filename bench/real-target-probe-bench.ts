/**
 * `npm run bench` against a live server you name (opt-in, read-only): the
 * built harness's probing against a raw undici loop that sends the very
 * requests the harness sent, on the same server, in the same process. The
 * generated bench (probe-bench.ts) has a supplier that answers at once;
 * a real product has its own latency, its own CPU on the same machine, and
 * path parameters the harness only learns from its list responses.
 *
 *   BENCH_PROBE_TARGET=http://127.0.0.1:4242 \
 *   BENCH_PROBE_PROFILE=http://127.0.0.1:4242/docs/openapi.json \
 *   BENCH_PROBE_TOKEN_ENV=UNLEASH_PAT npm run bench
 *
 * The raw loop's requests are the harness's own, taken from the evidence of a
 * first run: every `${VAR}` the evidence shows for a credential is filled in
 * from the environment, as a reader of the report would to repeat it with
 * curl. A request whose evidence still holds `[redacted]` cannot be repeated
 * and is left out (the lines say how many). The raw loop parses each body and
 * validates it with the same compiled validator for its status and first JSON
 * media type; nothing else. Sends about 2 x blocks x 4 runs of the profile's
 * reads to the target: a read-only run (GET, HEAD, OPTIONS), and the raw loop
 * only the GETs of it.
 */
import { Agent, request } from 'undici';
import type { BenchFigure } from './bench-figure.js';
import { importBuilt } from './built-harness.js';
import { measureBlock, median, range } from './probe-bench.js';
import type { PreparedRun } from '../harness/index.js';

type Library = typeof import('../harness/index.js');
type FindResponseSpec = typeof import('../harness/schema/response-lookup.js').findResponseSpec;

const BLOCKS = Number(process.env.BENCH_PROBE_BLOCKS ?? 10);
const RUNS_PER_BLOCK = 3;
const CONCURRENCY = 8;
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

interface RawRequest {
  url: string;
  headers: Record<string, string>;
  operationId: string;
  method: string;
}

/** Whether the real-target bench was asked for (`BENCH_PROBE_TARGET` and `BENCH_PROBE_PROFILE` set). */
export function realTargetRequested(): boolean {
  return process.env.BENCH_PROBE_TARGET !== undefined && process.env.BENCH_PROBE_PROFILE !== undefined;
}

/**
 * `${VAR}` filled in from the environment, for the run's credential variables
 * only (`credentials`, the redactor's placeholders): any other `${...}` is text
 * the supplier's document put there, and filling it would send that variable's
 * value to the target. Undefined when a variable is unset or the text still
 * holds a redacted value.
 */
function filledIn(text: string, credentials: ReadonlySet<string>): string | undefined {
  if (text.includes('[redacted]')) return undefined;
  let missing = false;
  const filled = text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!credentials.has(name)) return whole;
    const value = process.env[name];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : filled;
}

/** The GETs a harness run sent and got an answer to, as the raw loop will send them again. */
function repeatableRequests(report: Awaited<ReturnType<Library['executeRun']>>, credentials: ReadonlySet<string>): { requests: RawRequest[]; left: number } {
  const seen = new Set<object>();
  const requests: RawRequest[] = [];
  let left = 0;
  for (const result of report.results) {
    const evidence = result.evidence;
    if (!evidence || seen.has(evidence)) continue;
    seen.add(evidence);
    if (!evidence.response || evidence.request.method !== 'GET') continue;
    const url = filledIn(evidence.request.url, credentials);
    const headers: Record<string, string> = {};
    let complete = url !== undefined;
    for (const [name, value] of Object.entries(evidence.request.headers)) {
      // The client sets these itself.
      if (name === 'host' || name === 'content-length' || name === 'connection') continue;
      const filled = filledIn(value, credentials);
      if (filled === undefined) complete = false;
      else headers[name] = filled;
    }
    if (complete) requests.push({ url: url!, headers, operationId: result.operationId, method: result.method });
    else left++;
  }
  return { requests, left };
}

async function rawRun(prepared: PreparedRun, requests: RawRequest[], findResponseSpec: FindResponseSpec): Promise<number> {
  const agent = new Agent({ connections: CONCURRENCY });
  const operations = new Map(prepared.profile.operations.map((o) => [`${o.method} ${o.operationId}`, o]));
  let next = 0;
  async function lane() {
    while (next < requests.length) {
      const sent = requests[next++]!;
      const response = await request(sent.url, { dispatcher: agent, headers: sent.headers });
      const text = await response.body.text();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      const operation = operations.get(`${sent.method} ${sent.operationId}`);
      const pointer = operation && findResponseSpec(operation, response.statusCode)?.content.find((c) => c.schemaPointer !== undefined && /json/i.test(c.mediaRange))?.schemaPointer;
      if (pointer) prepared.validators.validate(pointer, value);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  await agent.close();
  return requests.length;
}

/**
 * Probe the named server with the harness and with the raw loop, in pairs of
 * blocks (the side going first alternating), and return the medians of the
 * pairs' ratios.
 */
export async function realTargetFigures(): Promise<{ figures: BenchFigure[]; lines: string[] }> {
  const { executeRun, prepareRun } = await importBuilt<Library>('harness/index.js');
  // The harness's own lookup of the response a status falls under (exact, range, default).
  const { findResponseSpec } = await importBuilt<{ findResponseSpec: FindResponseSpec }>('harness/schema/response-lookup.js');
  const target = process.env.BENCH_PROBE_TARGET!;
  const tokenVariable = process.env.BENCH_PROBE_TOKEN_ENV;
  const token = tokenVariable === undefined ? undefined : process.env[tokenVariable];
  if (tokenVariable !== undefined && !token) throw new Error(`BENCH_PROBE_TOKEN_ENV names ${tokenVariable}, which is not set`);
  const prepared = await prepareRun({
    profile: process.env.BENCH_PROBE_PROFILE!,
    target,
    ...(token ? { token, tokenVariable } : {}),
    limits: { concurrency: CONCURRENCY },
  });
  const first = await executeRun(prepared);
  const { requests, left } = repeatableRequests(first, prepared.redactor.curlVariables.variables);
  if (requests.length === 0) throw new Error(`the harness's run of ${target} sent no GET the raw loop could repeat`);
  const harnessRun = async () => (await executeRun(prepared)).summary.probes;
  const rawOnce = () => rawRun(prepared, requests, findResponseSpec);
  const rate: number[] = [];
  const cpu: number[] = [];
  const busy = { harness: [] as number[], raw: [] as number[] };
  for (let block = 0; block < BLOCKS; block++) {
    const harnessFirst = block % 2 === 0;
    const a = await measureBlock(harnessFirst ? harnessRun : rawOnce, RUNS_PER_BLOCK);
    const b = await measureBlock(harnessFirst ? rawOnce : harnessRun, RUNS_PER_BLOCK);
    const [harness, raw] = harnessFirst ? [a, b] : [b, a];
    rate.push(harness.requestsPerSecond / raw.requestsPerSecond);
    cpu.push(harness.cpuMicros / raw.cpuMicros);
    busy.harness.push(harness.busy);
    busy.raw.push(raw.busy);
  }
  const host = new URL(target).host;
  return {
    figures: [
      { name: `probing req/s vs raw loop, ${host}`, ratio: median(rate), target: 0.9, better: 'higher', detail: `median of ${BLOCKS} pairs' ratios, range ${range(rate)}; ${first.summary.probes} probes per run` },
      { name: `probing client CPU/request vs raw, ${host}`, ratio: median(cpu), target: 1.5, better: 'lower', detail: `median of ${BLOCKS} pairs' ratios, range ${range(cpu)}` },
    ],
    lines: [
      `real target ${new URL(target).origin}: the harness's run sent ${first.summary.probes} probes; the raw loop repeats ${requests.length} GETs of them${left > 0 ? ` (${left} left out: their evidence holds a value the environment cannot fill)` : ''}`,
      `client thread busy: raw loop ${median(busy.raw).toFixed(2)}, harness ${median(busy.harness).toFixed(2)} of the time (event-loop utilisation, medians; well below 1, the server paces both)`,
    ],
  };
}
