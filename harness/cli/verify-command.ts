import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import { formatCommandLine } from '../report/report-facts.js';
import { SIGNATURE_SUFFIX, verifyReport } from '../report/report-signature.js';
import { keyIdOf, readPublicKey } from '../report/signing-keys.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import type { CommandIo } from './run-command.js';

/**
 * `interop-harness verify <report.json> --key <public key> [--signature <file>]`:
 * checks a report against its detached signature (`report.json.sig` by
 * default). Exit 0: exactly as signed. Exit 1: changed or not signed by that
 * key, naming what changed where it can. Exit 2: bad input (a missing file,
 * a key of the wrong kind).
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
  const bytes = await readInput(reportPath, 'report');
  const signatureText = await readInput(signaturePath, 'signature', values.signature ? undefined : 'was the run signed with --sign?');
  let signature: unknown;
  try {
    signature = JSON.parse(signatureText.toString('utf8'));
  } catch {
    signature = undefined;
  }
  const outcome = verifyReport(bytes, signature, publicKey);
  const safe = (text: string) => sanitizeTerminalText(text);
  if (!outcome.ok) {
    io.stdout.write(`NOT VERIFIED: ${safe(reportPath)}\n`);
    for (const problem of outcome.problems) io.stdout.write(`  - ${safe(problem)}\n`);
    return 1;
  }
  const report = outcome.report as {
    summary: { verdict: string };
    target: { url: string };
    profile: { id: string; version: string; sha256: string };
    harness: { version: string };
    startedAt: string;
    finishedAt: string;
    invocation?: { argv: string[] };
  };
  const lines = [
    `verified: ${reportPath} is exactly as signed by key ${keyIdOf(publicKey).slice(0, 16)}…`,
    `  verdict:  ${report.summary?.verdict}`,
    `  target:   ${report.target?.url}`,
    `  profile:  ${report.profile?.id}@${report.profile?.version} (sha256 ${report.profile?.sha256})`,
    `  harness:  ${report.harness?.version}`,
    `  run:      ${report.startedAt} to ${report.finishedAt}`,
  ];
  if (Array.isArray(report.invocation?.argv)) lines.push(`  command:  ${formatCommandLine(report.invocation.argv.map(String))}`);
  io.stdout.write(`${lines.map(safe).join('\n')}\n`);
  return 0;
}

async function readInput(path: string, what: string, hint?: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new HarnessError('USAGE', `cannot read ${what} ${path}: ${code}${hint ? ` (${hint})` : ''}`);
  }
}
