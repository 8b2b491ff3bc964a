/**
 * Escaping for the Markdown summary. GitHub, GitLab and CI step summaries
 * render Markdown *and* inline HTML, so untrusted text is HTML-escaped, has
 * its Markdown punctuation backslash-escaped (no links, images or emphasis
 * can be formed from it), is kept on one line where a table cell needs it,
 * and is bounded.
 */
import { capText, revealInvisible } from './visible-text.js';

/**
 * HTML escaping for text outside any tag: `&`, `<` and `>`, so no tag or entity
 * can form. Quotes stay as they are: they mean something only inside a tag,
 * and `&quot;` makes a Markdown file read in a terminal or CI log hard to read.
 */
function escapeTextHtml(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

/** Characters Markdown treats as syntax inside a line. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~#!]/g;

/**
 * Untrusted text for a Markdown table cell or list item: one line, at most
 * `limit` characters (with a note of what was cut), invisible and bidi
 * characters shown as `⟨U+XXXX⟩`, HTML and Markdown syntax escaped.
 *
 * @example
 *   markdownText('[click](javascript:alert(1)) <img src=x> | next'); // '\\[click\\](javascript:alert(1)) &lt;img src=x&gt; \\| next'
 */
export function markdownText(text: string, limit = 300): string {
  const capped = capText(text, limit);
  const line = revealInvisible(capped.text.replace(/\r\n|\r|\n/g, ' '));
  // Markdown punctuation first: escaped after, the `#` of an entity would become `&\#39;`, which renders as those six characters.
  const escaped = escapeTextHtml(line.replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`));
  return capped.omittedBytes === 0 ? escaped : `${escaped} … (${capped.omittedBytes} more bytes in report.json)`;
}

/**
 * Untrusted text as a fenced code block whose fence is longer than any run of
 * backticks inside, so the text cannot close it early. Content of a code
 * block is shown literally, never rendered as HTML.
 *
 * @example
 *   markdownCodeBlock("curl 'https://x'"); // "```\ncurl 'https://x'\n```"
 */
export function markdownCodeBlock(text: string, limit = 2000): string {
  const capped = capText(text, limit);
  const content = revealInvisible(capped.text) + (capped.omittedBytes === 0 ? '' : ` … (${capped.omittedBytes} more bytes in report.json)`);
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}\n${content}\n${fence}`;
}
