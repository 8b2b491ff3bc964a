/**
 * Texts on which js-yaml and the `yaml` library were seen to disagree, or
 * might, found before parsing (plain-yaml.ts then declines, and the careful
 * parse decides). Each costs a large real profile nothing (they are rare in
 * one); declining is always safe. Most were found by comparing the two on texts
 * built at random (test/profile/plain-yaml.test.ts).
 */

const CAREFUL_TEXT: ReadonlyArray<{ why: string; pattern: RegExp }> = [
  // A directive (`%YAML 1.1`) changes how scalars resolve.
  { why: 'directive', pattern: /^%/m },
  // A tag js-yaml knows can be dropped by it (`- !!str` then `200` on the next line gave the number 200):
  // `!!…`, a verbatim `!<…>`, and the lone `!`. Another tag makes js-yaml throw (unknown, or a flow
  // indicator after it), so the fast parse declines by its error; a description's Markdown (`![diagram](…)`,
  // GitHub's `> [!NOTE]`) is text.
  { why: 'tag', pattern: /(?:^|[\s[{,])!(?:[!<\s]|$)/m },
  // But a tag ending its line, before a block scalar on the next, js-yaml drops silently (`key: !x` then `|`).
  { why: 'tag ending its line', pattern: /(?:^|[\s[{,])![^\s[\]{},]*[ \t]*(?:#.*)?$/m },
  // A lone CR is a line break to js-yaml but not to yaml. A tab in a line's leading white space
  // (YAML indents with spaces only) is refused by yaml in places js-yaml takes it, such as a
  // blank line of a block scalar; a tab after a line's first character reads the same to both.
  { why: 'lone CR or tab in indentation', pattern: /\r(?!\n)|^ *\t/m },
  // `"x"#c`, `[#c`, `{b: c,#d`: yaml refuses a comment without a space before it, js-yaml takes it.
  { why: 'comment glued to a value', pattern: /(?:[^\s:[{,]["']|[\][{},])#/ },
  // `---openapi: 3.0.3`: a plain key to yaml, a document marker to js-yaml. (Not `\s`: a no-break space is not YAML white space.)
  { why: 'glued document marker', pattern: /^(?:---|\.\.\.)[^ \t\r\n]/m },
  // A block scalar as the whole document (`|2`, `&x |2`): its indentation indicator is read differently.
  { why: 'root block scalar', pattern: /^(?:(?:---)?[ \t]*(?:#.*)?\r?\n)*[ \t]*(?:---[ \t]+)?(?:&\S+[ \t]+)?[|>]/ },
  // An empty sequence entry: in a nested sequence js-yaml moves the next, outer entry into it
  // (`- -` then `- b` gave [[null, 'b']], yaml [[null], 'b']).
  { why: 'empty sequence entry', pattern: /^ *(?:- +)*-[ \t]*(?:#.*)?$/m },
  // `--- \a{[: `: content on the document marker's line, which yaml refused and js-yaml took.
  { why: 'content after a document marker', pattern: /^---[ \t]+[^ \t\r\n#]/m },
  // A byte order mark after the first character: yaml skips it, js-yaml makes it part of a key.
  { why: 'byte order mark', pattern: /\ufeff/ },
  // `\U00110000`: past the last code point; yaml refuses it, js-yaml makes two lone surrogates of it.
  { why: 'escape past U+10FFFF', pattern: /\\U(?!00(?:0|10))/ },
  // A last line of spaces with no line break after it ends a `|+` block differently to each.
  { why: 'spaces ending the text', pattern: /(?:^|\n) +$/ },
];

/**
 * Whether the text has something the two libraries read differently, found by
 * pattern or in one pass over its lines:
 *
 * - An implicit key's `:` more than 1024 characters after the key starts: yaml
 *   refuses it, js-yaml takes it. A long line with no such `:` holds no implicit
 *   key (one never spans lines: js-yaml refuses a key whose `:` is on the next
 *   line), as a description's long URL or paragraph does not.
 * - Lines of spaces only that open a block scalar (right after its `|` or `>`
 *   line) with more spaces than its first line with content: YAML 1.2.2 (8.1.1.1)
 *   makes that an error, which yaml reports and js-yaml does not.
 *
 * Elsewhere such lines read alike, but for one case, where the fast parse keeps
 * js-yaml's reading because yaml departs from the specification: the last lines
 * of a block whose header gives its indentation (`|2-`), with more spaces than
 * that, are text (8.1.2, `s-indent(n) nb-char+`), which yaml drops. js-yaml's
 * writer ends a string that ends in spaces so (unleash-server's own document,
 * written as YAML by js-yaml, has one), and reading it back gives that string.
 * (So such a string reads one way in a document the fast parse takes, the other
 * in one that something elsewhere sends to the careful parse.)
 *
 * @example needsCarefulParse('a: !!str 1') // true
 * @example needsCarefulParse('description: |\n  [![badge](u)](l)\n') // false
 */
export function needsCarefulParse(text: string): boolean {
  return CAREFUL_TEXT.some(({ pattern }) => pattern.test(text)) || hasLineReadTwoWays(text);
}

function hasLineReadTwoWays(text: string): boolean {
  let blank = 0;
  let afterHeader = false;
  for (let start = 0; start < text.length; ) {
    const next = text.indexOf('\n', start);
    const end = next < 0 ? text.length : next;
    const spaces = leadingSpaces(text, start);
    const stop = text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    if (stop - start > 1024 && hasOverlongKey(text.slice(start + spaces, stop))) return true;
    if (spaces === stop - start) {
      blank = Math.max(blank, spaces);
    } else {
      if (afterHeader && blank > spaces) return true;
      blank = 0;
      afterHeader = BLOCK_HEADER.test(text.slice(start, stop));
    }
    start = end + 1;
  }
  return false;
}

/**
 * A line over 1024 characters whose key's `:` comes past them. A quoted key may
 * hold `: ` itself (`"a: b"`, then 1,100 spaces, then `: v`): a line that starts
 * with a quote is judged by its last `: `.
 */
function hasOverlongKey(line: string): boolean {
  if (line[0] !== '"' && line[0] !== "'") return line.search(/:(?:\s|$)/) > 1024;
  for (let at = line.length - 1; at > 1024; at--) {
    if (line[at] === ':' && (at + 1 === line.length || /\s/.test(line[at + 1]!))) return true;
  }
  return false;
}

/** A line ending in a block scalar's header: `key: |`, `- >-`, `key: |2+ # note`. */
const BLOCK_HEADER = /(?:^|[\s:-])[|>][0-9+-]*[ \t]*(?:#.*)?$/;

/** How many spaces begin the line at `from`. */
export function leadingSpaces(text: string, from: number): number {
  let at = from;
  while (text.charCodeAt(at) === 0x20) at++;
  return at - from;
}
