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

import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import { codePointMarker, HIDDEN_FORMAT } from './visible-text.js';
import type { ProfileWarning } from '../profile/profile-types.js';

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

/** A UTF-16 surrogate without its partner: terminals show garbage or swallow the next character. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface SanitizeOptions {
  /** Keep line breaks as `\n` (normalised) instead of turning them into spaces. Default false. */
  multiline?: boolean;
}

/**
 * Removes ANSI/VT escape sequences and C0 and C1 control characters, shows
 * bidi, zero-width and other hidden format characters as `⟨U+XXXX⟩` markers
 * (a reader should see that something was hidden, not have it vanish), and
 * turns lone surrogates into U+FFFD. Line breaks and tabs become spaces, so
 * one value stays on one line (a table cell, a log line); with `multiline`,
 * line breaks become `\n` instead.
 *
 * @example
 *   sanitizeTerminalText('ok\x1b[2J\u202edone\r\nnext'); // 'ok⟨U+202E⟩done next'
 *   sanitizeTerminalText('a\r\nb', { multiline: true });  // 'a\nb'
 */
export function sanitizeTerminalText(text: string, options: SanitizeOptions = {}): string {
  const lineBreak = options.multiline ? '\n' : ' ';
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(LINE_BREAK, lineBreak)
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(HIDDEN_FORMAT, codePointMarker);
}

/** Characters JSON.stringify leaves raw that a terminal would act on or hide: C1 controls, line separators, hidden format characters. */
const JSON_UNSAFE = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029]|${HIDDEN_FORMAT.source}`, 'g');

/**
 * JSON for a terminal or a pipe: `JSON.stringify` with two-space indent, and
 * every character a terminal would act on or hide written as a `\\u` escape,
 * so the text is safe to print and still parses to the same value.
 *
 * @example
 *   jsonForTerminal({ id: 'R1\u202e' }); // '{\n  "id": "R1\\u202e"\n}'
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (chars) => [...chars].map((c) => unicodeEscape(c)).join(''));
}

function unicodeEscape(char: string): string {
  const code = char.codePointAt(0)!;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  const offset = code - 0x10000;
  return `\\u${(0xd800 + (offset >> 10)).toString(16)}\\u${(0xdc00 + (offset & 0x3ff)).toString(16)}`;
}

/** What the output guard looks at: escape sequences whole, CRLF, single controls, hidden format characters, lone surrogates. */
const GUARDED = new RegExp([ESCAPE_SEQUENCE.source, String.raw`\r\n`, String.raw`[\x00-\x1f\x7f-\x9f]`, HIDDEN_FORMAT.source, LONE_SURROGATE.source].join('|'), 'g');
const HARNESS_COLOUR = /^\x1b\[[0-9;]*m$/;

export interface GuardOptions {
  /** The stream is a terminal the harness draws on: its own SGR colours and the progress line's `\r` pass. */
  tty: boolean;
}

/**
 * The last step before a byte reaches stdout or stderr, whatever printed
 * it: newlines, CRLF and tabs pass; every other control character and escape
 * sequence is removed, except, on a terminal, SGR colour codes and `\r`
 * (the harness's own colours and progress line); hidden format characters
 * become `⟨U+XXXX⟩` markers. Text should already have been sanitised where
 * it was printed; this guarantees that nothing printed raw gets through.
 *
 * @example
 *   guardTerminalOutput('ok \x1b]8;;https://x\x07link\x1b]8;;\x07\n', { tty: false }); // 'ok link\n'
 *   guardTerminalOutput('\x1b[31mFAIL\x1b[0m\r', { tty: true }); // unchanged
 */
export function guardTerminalOutput(text: string, options: GuardOptions): string {
  return text.replace(GUARDED, (match) => {
    if (match === '\n' || match === '\r\n' || match === '\t') return match;
    if (options.tty && (match === '\r' || HARNESS_COLOUR.test(match))) return match;
    if (match.length <= 2 && HIDDEN_FORMAT_ONE.test(match)) return codePointMarker(match);
    if (match.length === 1 && match >= '\ud800' && match <= '\udfff') return '\ufffd';
    return '';
  });
}

const HIDDEN_FORMAT_ONE = new RegExp(`^(?:${HIDDEN_FORMAT.source})$`);

/**
 * A stream whose every write passes through `guardTerminalOutput` first.
 * `isTTY` and `columns` are those of the stream it wraps.
 *
 * @example
 *   const stdout = createGuardedStream(process.stdout);
 *   stdout.write('\x1b[2Jnot cleared\n'); // 'not cleared'
 */
export function createGuardedStream<S extends NodeJS.WritableStream & { isTTY?: boolean; columns?: number }>(stream: S): Writable & { isTTY?: boolean; columns?: number } {
  const decoder = new StringDecoder('utf8');
  const guarded = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (text !== '') stream.write(guardTerminalOutput(text, { tty: stream.isTTY === true }));
      // Called at once, so every write reaches the wrapped stream in the same tick, in order.
      callback();
    },
  });
  Object.defineProperty(guarded, 'isTTY', { get: () => stream.isTTY, enumerable: true });
  Object.defineProperty(guarded, 'columns', { get: () => stream.columns, enumerable: true });
  return guarded;
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

/** Profile warnings a run (or a dry run) prints before its first request; the rest are counted. */
export const PROFILE_WARNINGS_SHOWN = 10;

/**
 * A profile warning as the terminal shows it, safe to print: the run before
 * its first probe, --dry-run before its plan.
 *
 * @example
 *   formatWarning({ code: 'var-unused', message: '--var x fills no parameter', location: '/paths' });
 *   // '--var x fills no parameter [var-unused at /paths]'
 */
export function formatWarning(warning: ProfileWarning): string {
  return sanitizeTerminalText(`${warning.message} [${warning.code} at ${warning.location === '' ? '/' : warning.location}]`);
}
