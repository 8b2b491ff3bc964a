import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import { readNamedFile } from '../read-regular-file.js';
import { MAX_REPORT_BYTES } from '../report/read-report.js';
import { formatCommandLine } from '../report/report-facts.js';
import { SIGNATURE_SUFFIX, verifyReport } from '../report/report-signature.js';
import { keyIdOf, readPublicKey } from '../report/signing-keys.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import type { CommandIo } from './run-command.js';

/** A signature file holds a digest per result: a few MB for the largest run, never this much. */
const MAX_SIGNATURE_BYTES = 64 * 1024 * 1024;

/**
 * `interop-harness verify <report.json> --key <public key> [--signature <file>]`:
 * checks a report against its detached signature (`report.json.sig` by
 * default). Exit 0: the signature, checked with that key, covers this
 * report's content (formatting may differ). Exit 1: changed, not signed by
 * that key, or either file not strict JSON, naming what changed where it can.
 * Exit 2: bad input (a missing file, a key of the wrong kind).
 *
 * @example
 *   await verifyCommand(['out/report.json', '--key', 'vendor-a.pub'], io); // 0, prints "verified: …"
 */
export async function verifyCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, allowPositionals: true, options: { key: { type: 'string', short: 'k' }, signature: { type: 'string', short: 's' } } });
  } catch (error) {
    throw new HarnessError('USAGE', error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new HarnessError('USAGE', 'verify takes one report: interop-harness verify <report.json> --key <public key>');
  if (!values.key) throw new HarnessError('USAGE', 'verify needs --key <public key> (the .pub file of whoever signed the report)');
  const reportPath = resolve(io.cwd, positionals[0]!);
  const signaturePath = values.signature ? resolve(io.cwd, values.signature) : `${reportPath}${SIGNATURE_SUFFIX}`;
  const publicKey = await readPublicKey(resolve(io.cwd, values.key));
  const bytes = await readNamedFile(reportPath, { what: 'report', maxBytes: MAX_REPORT_BYTES });
  const signatureBytes = await readNamedFile(signaturePath, {
    what: 'signature',
    maxBytes: MAX_SIGNATURE_BYTES,
    ...(values.signature ? {} : { hint: 'was the run signed with --sign?' }),
  });
  const outcome = verifyReport(bytes, signatureBytes, publicKey);
  const safe = (text: string) => sanitizeTerminalText(text);
  if (!outcome.ok) {
    io.stdout.write(`NOT VERIFIED: ${safe(reportPath)}\n`);
    for (const problem of outcome.problems) io.stdout.write(`  - ${safe(problem)}\n`);
    return 1;
  }
  // Every value below comes from the content the signature covers; none from the signature file.
  const report = outcome.report as Record<string, unknown>;
  const field = (...path: string[]) => {
    let value: unknown = report;
    for (const key of path) value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : '(not recorded)';
  };
  const lines = [
    `verified: ${reportPath} has the content signed by key ${keyIdOf(publicKey).slice(0, 16)}…`,
    `  verdict:  ${field('summary', 'verdict')}`,
    `  target:   ${field('target', 'url')}`,
    `  profile:  ${field('profile', 'id')}@${field('profile', 'version')} (sha256 ${field('profile', 'sha256')})`,
    `  harness:  ${field('harness', 'version')}`,
    `  run:      ${field('startedAt')} to ${field('finishedAt')}`,
  ];
  const argv = (report.invocation as { argv?: unknown } | undefined)?.argv;
  if (Array.isArray(argv)) lines.push(`  command:  ${formatCommandLine(argv.filter((arg): arg is string => typeof arg === 'string'))}`);
  io.stdout.write(`${lines.map(safe).join('\n')}\n`);
  return 0;
}

