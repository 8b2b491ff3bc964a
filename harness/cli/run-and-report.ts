/**
 * `run` past its checks of the command line: probe with each profile, write
 * its reports, print the summary. Apart from run-command.ts so a dry run
 * loads neither the engine's sending and checking nor the report writers.
 */
import type { KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import { shellQuote } from '../http/curl.js';
import type { ReportFormat } from '../report/report-formats.js';
import type { Report } from '../report/report-types.js';
import type { ReporterContext } from '../report/reporter.js';
import { JSON_REPORT_FILE } from '../report/json-reporter.js';
import { SIGNATURE_SUFFIX, signReport } from '../report/report-signature.js';
import { runReporters, selectReporters } from '../report/reporters.js';
import { createUniqueSlugs } from '../report/safe-name.js';
import { verdictExitCode } from '../report/summarize.js';
import { createTerminalReporter } from '../report/terminal-reporter.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import { writeReportFile } from '../report/write-report-file.js';
import { executeRun } from '../run/run.js';
import { prepareRun } from '../run/prepare-run.js';
import type { CommandIo, RunInvocation } from './run-command.js';

/**
 * Returns the exit code: 0 conformant, 1 a MUST-level failure or error.
 */
export async function runAndReport(invocation: RunInvocation, output: { formats: ReportFormat[]; signingKey: KeyObject | undefined; color: boolean }, io: CommandIo): Promise<number> {
  const { signingKey, color } = output;
  const reporters = selectReporters(output.formats);
  const prepared = [];
  for (const profile of invocation.profiles) {
    const terminal = createTerminalReporter({ quiet: invocation.quiet });
    const context: ReporterContext = { outDir: '', stdout: io.stdout, color };
    const run = await prepareRun({ ...invocation.options, profile, onEvent: (event) => terminal.onEvent?.(event, context) });
    prepared.push({ run, terminal, context });
  }
  const several = prepared.length > 1;
  const stamp = timestamp(new Date());
  const verdicts: Array<{ id: string; verdict: Report['summary']['verdict'] }> = [];
  // A profile's id is the profile author's text: a folder gets a safe slug of it, unique in this run.
  const folderNames = createUniqueSlugs();
  let exitCode = 0;
  for (const { run, terminal, context } of prepared) {
    const report = await executeRun(run);
    // Several profiles share one run folder, one subfolder each; one profile writes where it always did.
    const folder = folderNames.next(report.profile.id);
    const base = invocation.outDir ?? join(io.cwd, 'reports', several ? `run-${stamp}` : `${folder}-${timestamp(new Date(report.startedAt))}`);
    context.outDir = createOutDir(several ? join(base, folder) : base, io.cwd);
    const files = await runReporters(reporters, report, context);
    if (signingKey !== undefined) files.push(await writeSignature(context.outDir, report, signingKey));
    await terminal.finish?.(report, context);
    for (const file of files) io.stdout.write(`report written: ${sanitizeTerminalText(file)}\n`);
    // The one command a supplier fixing a failure needs next, with the path it was written to.
    const jsonFile = files.find((file) => basename(file) === JSON_REPORT_FILE);
    if (jsonFile !== undefined && report.summary.failed > 0) io.stdout.write(`replay the failures: ${sanitizeTerminalText(`interop-harness replay ${shellQuote(jsonFile)}`)} (one of them: --result <id>)\n`);
    verdicts.push({ id: report.profile.id, verdict: report.summary.verdict });
    exitCode = Math.max(exitCode, verdictExitCode(report.summary));
  }
  if (several) {
    const line = verdicts.map((v) => `${v.id} ${v.verdict}`).join(', ');
    io.stdout.write(`${verdicts.length} profiles: ${sanitizeTerminalText(line)}\n`);
  }
  return exitCode;
}

/** `20261123T101530Z`: sortable, and safe in a folder name on every platform. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Signs the report's content and writes report.json.sig beside report.json.
 * Signs the report in memory, not the file read back: whatever happened to
 * the folder in between, the signature covers what this run produced.
 */
async function writeSignature(outDir: string, report: Report, key: KeyObject): Promise<string> {
  const signature = signReport(Buffer.from(JSON.stringify(report), 'utf8'), key);
  return writeReportFile(outDir, `${JSON_REPORT_FILE}${SIGNATURE_SUFFIX}`, `${JSON.stringify(signature, null, 2)}\n`);
}

function createOutDir(dir: string, cwd: string): string {
  const absolute = resolve(cwd, dir);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (err) {
    throw new HarnessError('OUTPUT_UNWRITABLE', `cannot create output folder ${absolute}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return absolute;
}
