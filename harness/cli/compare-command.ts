import { basename, dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import { renderComparisonHtml } from '../report/compare-html.js';
import { renderComparisonMarkdown } from '../report/compare-markdown.js';
import { compareReports } from '../report/compare-reports.js';
import { readReportFile } from '../report/read-report.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import { writeReportFile } from '../report/write-report-file.js';
import type { CommandIo } from './run-command.js';

/**
 * `interop-harness compare a.json b.json … [--out compare.html|compare.md]`:
 * a requirement-by-vendor matrix of several reports. Without `--out` the
 * Markdown goes to stdout; with it, the file's extension picks HTML or
 * Markdown. Exit 0 when the comparison was written, 2 for bad input.
 *
 * @example
 *   await compareCommand(['a/report.json', 'b/report.json', '--out', 'compare.html'], io); // 0
 */
export async function compareCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, strict: true, allowPositionals: true, options: { out: { type: 'string', short: 'o' } } });
  } catch (error) {
    throw new HarnessError('USAGE', error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length < 2) throw new HarnessError('USAGE', 'compare needs at least two reports: interop-harness compare a/report.json b/report.json [--out compare.html]');
  const format = values.out === undefined ? 'md' : formatOf(values.out);
  const inputs = [];
  for (const file of positionals) inputs.push({ file, report: await readReportFile(resolve(io.cwd, file)) });
  const comparison = compareReports(inputs);
  const text = format === 'html' ? renderComparisonHtml(comparison) : renderComparisonMarkdown(comparison);
  if (values.out === undefined) {
    // markdownText has already made control characters visible, so this is terminal-safe.
    io.stdout.write(text);
    return 0;
  }
  const target = resolve(io.cwd, values.out);
  const written = await writeReportFile(dirname(target), basename(target), text);
  for (const warning of comparison.warnings) io.stdout.write(`warning: ${sanitizeTerminalText(warning)}\n`);
  io.stdout.write(`comparison written: ${sanitizeTerminalText(written)}\n`);
  return 0;
}

function formatOf(path: string): 'html' | 'md' {
  const extension = extname(path).toLowerCase();
  if (extension === '.html' || extension === '.htm') return 'html';
  if (extension === '.md' || extension === '.markdown') return 'md';
  throw new HarnessError('USAGE', `--out ${path}: name a .html or .md file`);
}
