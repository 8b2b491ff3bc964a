/**
 * Escaping for XML 1.0 text and attribute values.
 *
 * A supplier controls much of what a report repeats (body excerpts, header
 * values, messages echoed from its errors), so every string that goes into
 * junit.xml passes through here. Escaping `>` as well as `<` and `&` means the
 * output never contains `]]>` or a raw tag, so CDATA is never needed.
 */

/**
 * Characters XML 1.0 forbids outright (C0 controls other than tab, LF, CR;
 * lone surrogates; U+FFFE and U+FFFF), plus the ones it discourages and CI
 * viewers mis-render (DEL and the C1 controls). A document containing the
 * former is not well-formed, and parsers in CI systems reject the whole file.
 */
const NOT_XML_CHAR =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Bidi embeddings, overrides and isolates. Legal XML, but CI systems show
 * junit.xml as HTML, where a supplier's U+202E could make a failure message
 * read backwards or disguise it (Trojan Source); report.json keeps the original.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Removes characters that may not (or should not) appear in an XML 1.0
 * document, and bidi controls that would make a CI viewer misdisplay it.
 *
 * @example
 *   stripInvalidXmlChars('a\u0000b\u001b[31m\u202e'); // 'ab[31m'
 */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(BIDI_CONTROL, '');
}

/**
 * Escapes text content of an element: `& < > " '` become entities, invalid
 * characters are dropped.
 *
 * @example
 *   escapeXmlText(']]></failure><script>'); // ']]&gt;&lt;/failure&gt;&lt;script&gt;'
 */
export function escapeXmlText(text: string): string {
  // A raw CR would be normalised away by any XML parser; keep it as a reference.
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (char) => ENTITY[char] ?? char).replace(/\r/g, '&#13;');
}

/**
 * Escapes an attribute value (for use between double quotes). Tab, LF and CR
 * are written as character references because a parser would otherwise
 * normalise them to spaces, losing the line structure of a message.
 *
 * @example
 *   escapeXmlAttribute('a "b"\nc'); // 'a &quot;b&quot;&#10;c'
 */
export function escapeXmlAttribute(value: string): string {
  return stripInvalidXmlChars(value).replace(/[&<>"'\t\n\r]/g, (char) => ENTITY[char] ?? char);
}

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
