/**
 * The one place HTML reports turn text into markup. Everything a supplier or
 * a profile controls (bodies, headers, messages, URLs, statements) reaches the
 * page only through `htmlText`, which bounds it, makes invisible and bidi
 * characters visible, and escapes it. Supplier text is never put in an
 * attribute, a URL or a `<style>` element, so escaping text content is enough.
 */
import { capText, revealInvisible } from './visible-text.js';

/** Longest supplier string rendered (code units); the rest is in report.json. */
export const HTML_TEXT_LIMIT = 8 * 1024;

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes the five characters that are markup in HTML text or attribute
 * values. Harness-made strings only; untrusted text goes through `htmlText`.
 *
 * @example
 *   escapeHtml('<a href="x">&</a>'); // '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITY[char]!);
}

/**
 * Untrusted text as safe HTML: cut to `limit` (default 8 KB) with a note of
 * how many bytes were left out, invisible and bidi characters shown as
 * `⟨U+XXXX⟩` markers, then escaped.
 *
 * @example
 *   htmlText('<script>alert(1)</script>\u202e'); // '&lt;script&gt;alert(1)&lt;/script&gt;⟨U+202E⟩'
 *   htmlText('x'.repeat(9000)).endsWith('(808 bytes more in report.json)</span>'); // true
 */
export function htmlText(text: string, limit = HTML_TEXT_LIMIT): string {
  const capped = capText(text, limit);
  const body = escapeHtml(revealInvisible(capped.text));
  if (capped.omittedBytes === 0) return body;
  return `${body}<span class="omitted"> … (${formatBytes(capped.omittedBytes)} more in report.json)</span>`;
}

/**
 * A byte count for people: `512 bytes`, `12 KB`, `1.5 MB`.
 *
 * @example
 *   formatBytes(1_048_576); // '1 MB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}
