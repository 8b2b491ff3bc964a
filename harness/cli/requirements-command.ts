import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import { loadProfile } from '../profile/load-profile.js';
import type { Requirement } from '../profile/profile-types.js';
import { csvRows } from '../report/csv-text.js';
import { markdownText } from '../report/markdown-text.js';
import { jsonForTerminal, sanitizeTerminalText } from '../report/terminal-text.js';
import { parseSize } from './parse-quantity.js';
import type { CommandIo } from './run-command.js';

const COLUMNS = ['id', 'level', 'principle', 'statement', 'checks', 'source'] as const;

/**
 * `interop-harness requirements <profile> [--format table|md|csv|json] [--max-profile <size>]`: the
 * profile's requirements, each with its level, principle, statement, the checks
 * that verify it (or why none can) and the public source it traces to.
 */
export async function requirementsCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'table' }, 'max-profile': { type: 'string' } } });
  } catch (err) {
    throw new HarnessError('USAGE', err instanceof Error ? err.message : String(err));
  }
  const [source] = parsed.positionals;
  if (!source || parsed.positionals.length > 1) throw new HarnessError('USAGE', 'requirements takes one profile path or bundled id');
  const maxProfile = parsed.values['max-profile'];
  const profile = await loadProfile(source, maxProfile ? { maxBytes: parseSize('--max-profile', maxProfile) } : {});
  const rows = profile.requirements.map(toRow);
  const format = parsed.values.format;
  const render = FORMATS[format as keyof typeof FORMATS];
  if (!render) throw new HarnessError('USAGE', `--format takes one of ${Object.keys(FORMATS).join(', ')}, got ${JSON.stringify(format)}`);
  io.stdout.write(render(rows, profile.requirements));
  return 0;
}

type Row = Record<(typeof COLUMNS)[number], string>;

function toRow(r: Requirement): Row {
  return {
    id: r.id,
    level: r.level,
    principle: r.principle ?? '',
    statement: r.statement,
    checks: r.checks.length > 0 ? r.checks.join(', ') : `not tested: ${r.notTestedReason ?? '(no reason given)'}`,
    source: r.source ?? '',
  };
}

const FORMATS = {
  table: (rows: Row[]) =>
    rows.map((r) => sanitizeTerminalText(`${r.id.padEnd(10)} ${r.level.padEnd(6)} ${r.statement}\n${' '.repeat(18)}checks: ${r.checks}${r.source ? `\n${' '.repeat(18)}source: ${r.source}` : ''}`)).join('\n') + '\n',
  md: (rows: Row[]) =>
    [`| ${COLUMNS.join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${COLUMNS.map((c) => markdownText(r[c], 2000)).join(' | ')} |`)].join('\n') + '\n',
  csv: (rows: Row[]) => csvRows([COLUMNS, ...rows.map((r) => COLUMNS.map((c) => r[c]))]),
  json: (_rows: Row[], requirements: Requirement[]) => jsonForTerminal(requirements) + '\n',
};
