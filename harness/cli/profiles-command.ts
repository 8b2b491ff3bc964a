import { listBundledProfiles } from '../profile/bundled-profiles.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import type { CommandIo } from './run-command.js';

/** `interop-harness profiles`: one line per bundled profile, in aligned columns. */
export function profilesCommand(io: CommandIo): number {
  const rows = [['id', 'version', 'status', 'title'], ...listBundledProfiles().map((p) => [p.id, p.version, p.status ?? '', p.title].map((cell) => sanitizeTerminalText(cell)))];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) io.stdout.write(`${row.slice(0, 3).map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}  ${row[3]}\n`);
  return 0;
}
