/**
 * Makes supplier text safe to *show*: characters that would hide or disguise
 * what a supplier sent become visible markers, and long text is cut to a
 * bound. Escaping for a given format (HTML, Markdown) is a separate step.
 */

/**
 * Format characters that change direction or hide text, as a regex source:
 * bidi embeddings, overrides, isolates and marks (they can make a failure
 * message read backwards, "Trojan Source"); zero-width spaces, joiners and
 * invisible operators; the soft hyphen, Hangul fillers and other blanks that
 * render as nothing; the byte order mark; interlinear annotations; and tag
 * characters (U+E0000 to U+E007F, which can smuggle invisible ASCII).
 */
const HIDDEN_FORMAT_SOURCE = String.raw`[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]`;

/** Hidden format characters (see above), for text that has had its controls dealt with already (the terminal). */
export const HIDDEN_FORMAT = new RegExp(HIDDEN_FORMAT_SOURCE, 'g');

/**
 * Characters shown as a marker such as `⟨U+202E⟩` instead of being rendered:
 * the hidden format characters above; C0 controls other than tab and
 * newline, DEL and C1 controls (terminal escapes, NUL); the non-characters
 * U+FFFE and U+FFFF.
 */
const INVISIBLE = new RegExp(`[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]|${HIDDEN_FORMAT_SOURCE}`, 'g');

/** A surrogate without its partner: not a character, so not showable. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The visible marker for one character: `⟨U+202E⟩`, `⟨U+E0041⟩`.
 *
 * @example
 *   codePointMarker('\u200b'); // '⟨U+200B⟩'
 */
export function codePointMarker(char: string): string {
  return `⟨U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * Replaces invisible and direction-changing characters with a visible
 * `⟨U+XXXX⟩` marker, and lone surrogates with U+FFFD. `report.json` keeps
 * the original text; this is for display only.
 *
 * @example
 *   revealInvisible('LIAF\u202e ok\u001b[2J'); // 'LIAF⟨U+202E⟩ ok⟨U+001B⟩[2J'
 */
export function revealInvisible(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(INVISIBLE, codePointMarker);
}

export interface CappedText {
  /** At most `limit` UTF-16 code units of the original, never ending in half a surrogate pair. */
  text: string;
  /** UTF-8 bytes left out; 0 when the text was short enough. */
  omittedBytes: number;
}

/**
 * Cuts `text` to at most `limit` code units so one huge supplier string (a
 * 1 MB header, say) cannot make a report page tens of megabytes. Reports say
 * how much was left out, so a reader knows to look in report.json.
 *
 * @example
 *   capText('x'.repeat(10), 4); // { text: 'xxxx', omittedBytes: 6 }
 */
export function capText(text: string, limit: number): CappedText {
  if (text.length <= limit) return { text, omittedBytes: 0 };
  let cut = limit;
  const last = text.charCodeAt(cut - 1);
  // Do not split a surrogate pair: it would leave a lone surrogate behind.
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return { text: text.slice(0, cut), omittedBytes: Buffer.byteLength(text.slice(cut), 'utf8') };
}
