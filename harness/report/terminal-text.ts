/**
 * Making untrusted text safe to print on a terminal or into a CI log.
 *
 * A supplier controls response bodies, header values, error messages echoed
 * back, even the profile text it hands over. Printed raw, an escape sequence
 * could recolour or clear the log, rewrite earlier lines (`\r`, cursor moves),
 * set the window title or plant a hyperlink (OSC 8), and bidi override
 * characters could make `FAIL` read as something else. So everything that did
 * not come from the harness itself goes through `sanitizeTerminalText` first.
 */

/**
 * Escape sequences, removed whole so no parameter bytes are left behind as
 * noise. Order matters: the string-type sequences (OSC, DCS, SOS, PM, APC) run
 * up to a terminator, so they are matched before the short forms.
 */
const ESCAPE_SEQUENCE = new RegExp(
  [
    // OSC / DCS / SOS / PM / APC, 7-bit (ESC ] P X ^ _) or 8-bit (0x9D 0x90 0x98 0x9E 0x9F), ended by BEL or ST.
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)`,
    // CSI, 7-bit (ESC [) or 8-bit (0x9B): parameters, intermediates, final byte.
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`,
    // Any other ESC sequence: optional intermediates then one final byte.
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]`,
  ].join('|'),
  'g',
);

/** Line breaks and tabs: kept as layout (a space, or a newline in multi-line text), never as controls. */
const LINE_BREAK = /\r\n|[\r\n\v\f\u0085\u2028\u2029]/g;

/** C0 controls (bar `\n`, already normalised), DEL and C1 controls: what the escape pass left (a lone ESC, BEL, backspace…). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Bidi embeddings, overrides and isolates: they can reorder what a reader sees (Trojan Source). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/** A UTF-16 surrogate without its partner: terminals show garbage or swallow the next character. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface SanitizeOptions {
  /** Keep line breaks as `\n` (normalised) instead of turning them into spaces. Default false. */
  multiline?: boolean;
}

/**
 * Removes ANSI/VT escape sequences, C0 and C1 control characters, bidi
 * override/isolate characters and lone surrogates (→ U+FFFD). Line breaks and
 * tabs become spaces, so one value stays on one line (a table cell, a log
 * line); with `multiline`, line breaks become `\n` instead.
 *
 * @example
 *   sanitizeTerminalText('ok\x1b[2J\u202edone\r\nnext'); // 'okdone next'
 *   sanitizeTerminalText('a\r\nb', { multiline: true });  // 'a\nb'
 */
export function sanitizeTerminalText(text: string, options: SanitizeOptions = {}): string {
  const lineBreak = options.multiline ? '\n' : ' ';
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(LINE_BREAK, lineBreak)
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(BIDI_CONTROL, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

/**
 * Cuts text to at most `max` characters (code points, so a surrogate pair is
 * never split), ending with `…` when anything was cut. Does not sanitise:
 * sanitise first, so the count is of what will be shown.
 *
 * @example
 *   truncateText('response body does not match schema', 20); // 'response body does …'
 */
export function truncateText(text: string, max: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  if (max <= 0) return '';
  return codePoints.slice(0, max - 1).join('') + '…';
}

/**
 * Pads text with spaces to `width` code points (or truncates it to fit), for
 * table columns. Characters that take two columns (CJK) are counted as one;
 * a slightly ragged row is acceptable, a misleading cell is not.
 *
 * @example
 *   fitText('MUST', 6); // 'MUST  '
 */
export function fitText(text: string, width: number): string {
  const cut = truncateText(text, width);
  return cut + ' '.repeat(Math.max(0, width - Array.from(cut).length));
}
