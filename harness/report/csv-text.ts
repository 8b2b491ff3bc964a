/**
 * CSV cells for a spreadsheet. A cell a spreadsheet would read as a formula
 * (OWASP "CSV injection": `=`, `+`, `-`, `@`, a tab or a carriage return at
 * its start, or their full-width forms) gets a `'` in front, so it is shown
 * as text and never run; every cell is quoted (RFC 4180), quotes doubled;
 * invisible and bidi characters are shown as `⟨U+XXXX⟩` markers.
 */
import { revealInvisible } from './visible-text.js';

/** What a spreadsheet may take as the start of a formula or a DDE call. */
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

/**
 * One quoted CSV cell.
 *
 * @example
 *   csvCell('=HYPERLINK("http://evil.example")'); // '"\'=HYPERLINK(""http://evil.example"")"'
 *   csvCell('MUST'); // '"MUST"'
 */
export function csvCell(text: string): string {
  const shown = revealInvisible(text);
  const safe = FORMULA_START.test(shown) ? `'${shown}` : shown;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * Rows as CSV text, CRLF line ends (RFC 4180), every cell through `csvCell`.
 *
 * @example
 *   csvRows([['id', 'level'], ['R1', 'MUST']]); // '"id","level"\r\n"R1","MUST"\r\n'
 */
export function csvRows(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
