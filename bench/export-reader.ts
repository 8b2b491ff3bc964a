/**
 * One timed read of an export file, in a process of its own so its peak RSS
 * is its own: `raw` (undici stream, line split, JSON.parse, the compiled
 * validator, nothing else) or `harness` (the HTTP client's streaming download
 * and the export file reader, SHA-256 and line numbers included, exactly as
 * export-ndjson and export-integrity read a file).
 * Prints one JSON line.
 *
 * Usage: tsx bench/export-reader.ts <raw|harness> <file-url> <token>
 */
import { Agent, request } from 'undici';
import { createFileReader } from '../harness/export/export-file-reader.js';
import { readExportSpec } from '../harness/profile/export-annotation.js';
import { createHttpClient } from '../harness/http/http-client.js';
import { createRedactor } from '../harness/http/redactor.js';
import { loadProfile } from '../harness/profile/load-profile.js';
import { DEFAULT_LIMITS } from '../harness/run/run-options.js';
import { compileValidators } from '../harness/schema/compile-validators.js';

const [mode, fileUrl, token] = process.argv.slice(2) as [string, string, string];
const profile = await loadProfile('data-export', { allowRemoteRefs: false });
const validators = compileValidators(profile);
const pointer = readExportSpec(profile.document)!.types.find((t) => t.name === 'person')!.schemaPointer;
const headers = { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' };

// What the process holds before the file is read (tsx, the profile, compiled validators): the floor under the peak.
const setupRssMb = process.memoryUsage().rss / 1024 / 1024;
let records = 0;
let invalid = 0;
let bytes = 0;
const started = performance.now();
if (mode === 'raw') {
  const agent = new Agent();
  const response = await request(fileUrl, { headers, dispatcher: agent });
  let carry: Buffer | undefined;
  const onLine = (line: Buffer): void => {
    if (line.length === 0) return;
    records += 1;
    if (validators.validate(pointer, JSON.parse(line.toString('utf8'))).length > 0) invalid += 1;
  };
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    if (carry && nl !== -1) {
      onLine(Buffer.concat([carry, chunk.subarray(0, nl)]));
      carry = undefined;
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      onLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
  }
  if (carry) onLine(carry);
  await agent.close();
} else {
  const limits = DEFAULT_LIMITS;
  const client = createHttpClient({ targetUrl: new URL(fileUrl).origin, limits, redactor: createRedactor([token]) });
  const reader = createFileReader({ validate: (record) => validators.validate(pointer, record), maxLineBytes: limits.maxBodyBytes });
  const exchange = await client.download({ method: 'GET', url: fileUrl, headers, followRedirects: true }, (head) => reader.openSink(head), { maxBytes: limits.maxExportBytes });
  const reading = reader.finish(exchange.response !== undefined && !exchange.response.truncated);
  records = reading.records;
  invalid = reading.invalid;
  bytes = exchange.response?.bytes ?? 0;
  await client.close();
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ mode, records, invalid, bytes, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, setupRssMb })}\n`);
