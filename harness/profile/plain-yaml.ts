/**
 * A fast first attempt at parsing a YAML profile, with js-yaml (several times
 * faster than the `yaml` library on a large document), for the common case only:
 * one document, no directive, no merge key, no collection or null or a very long
 * key, no alias inside its own anchor, no expansion of aliases past the size limit. It gives the very value the careful path in read-document.ts
 * would give, or says it cannot vouch for one (`undefined`), and the careful path
 * runs; so every error, its line and column, the duplicate-key and expansion
 * checks stay the careful path's own. One exception, where yaml departs from YAML
 * 1.2.2 and js-yaml does not: see `hasLineReadTwoWays`. js-yaml's schema here is the
 * YAML 1.2 core schema exactly as `yaml` resolves it (no timestamps, no `1_000` numbers).
 * test/profile/plain-yaml.test.ts compares the two on texts built at random.
 */
import { createRequire } from 'node:module';
import type { LoaderState } from 'js-yaml';

type JsYaml = typeof import('js-yaml');

let loaded: { library: JsYaml; schema: import('js-yaml').Schema } | undefined;

/** The `yaml` library's core-schema scalars (yaml/dist/schema/core, common/null): same tests, same values. */
function coreSchema(library: JsYaml): import('js-yaml').Schema {
  const scalar = (tag: string, test: RegExp, construct: (text: string) => unknown): import('js-yaml').Type =>
    new library.Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (data) => typeof data === 'string' && test.test(data), construct: (data) => construct(data as string) });
  return library.FAILSAFE_SCHEMA.extend({
    implicit: [
      new library.Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (data) => data === null || (typeof data === 'string' && /^(?:~|[Nn]ull|NULL)?$/.test(data)), construct: () => null }),
      scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
      scalar('int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (text) => (text.startsWith('0o') ? parseInt(text.slice(2), 8) : text.startsWith('0x') ? parseInt(text.slice(2), 16) : parseInt(text, 10))),
      scalar('float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/, (text) =>
        text.slice(-3).toLowerCase() === 'nan' ? NaN : text.slice(-3).toLowerCase() === 'inf' ? (text[0] === '-' ? -Infinity : Infinity) : parseFloat(text),
      ),
    ],
  });
}

/**
 * The `yaml` library refuses an implicit key whose `:` is over 1024 characters from
 * its start; js-yaml does not. A key this short cannot be that long in the text
 * (an escape such as `\u00e9` is 6 characters for 1, plus a `!!str` tag and quotes).
 */
const MAX_KEY_LENGTH = 160;

/** JSON characters a collection or pair adds beyond its children, as yaml-tree-bounds.ts counts them. */
const OVERHEAD = 2;

/**
 * The document's value as a plain JSON tree, or undefined when the careful parse
 * must decide (anything unusual, any error, or a tree over `maxBytes`).
 *
 * @example parsePlainYaml('openapi: 3.0.3\npaths: {}', 1e6) // { value: { openapi: '3.0.3', paths: {} } }
 * @example parsePlainYaml('a: &x {b: 1}\nc: *x', 1e6) // { value: { a: { b: 1 }, c: { b: 1 } } } (two objects, not one)
 * @example parsePlainYaml('a: &x [*x]', 1e6) // undefined (an alias inside its own anchor: the careful path refuses it)
 */
export function parsePlainYaml(text: string, maxBytes: number): { value: unknown } | undefined {
  if (needsCarefulParse(text)) return undefined;
  loaded ??= (() => {
    const library = createRequire(import.meta.url)('js-yaml') as JsYaml;
    return { library, schema: coreSchema(library) };
  })();
  /** Set when a node is written so that the two libraries may read it differently. */
  let uncertain = false;
  /** Each anchor's name, and where the content of the node it names begins. */
  const anchors = new Map<string, number>();
  // A set: a collection closes once per level that composes it (`- a: 1` closes its mapping twice).
  const collections = new Set<unknown>();
  /** Where each node being composed began: js-yaml opens and closes them nested. */
  const opened: number[] = [];
  let value: unknown;
  try {
    value = loaded.library.load(text, {
      schema: loaded.schema,
      listener(event, state) {
        if (event === 'open') {
          opened.push(state.position);
          return;
        }
        const start = opened.pop();
        if (state.result !== null && typeof state.result === 'object') collections.add(state.result);
        if (uncertain || start === undefined) return;
        const content = contentStart(text, start, state.anchor);
        if (content === undefined || spansLinesUnevenly(text, content, state.position, state.kind)) uncertain = true;
        // An anchor defined again: an alias after both names the later one to yaml, and to js-yaml
        // the one whose node ended last (an outer collection over an inner node with the same anchor).
        // (js-yaml closes some nodes twice, as two nested levels: the same anchor at the same place is one.)
        if (state.anchor !== null && content !== undefined) {
          const at = anchors.get(state.anchor);
          if (at !== undefined && at !== content) uncertain = true;
          anchors.set(state.anchor, content);
        }
      },
    });
  } catch {
    // A duplicate key, a syntax error, an unknown tag, several documents: the careful path says where.
    return undefined;
  }
  if (uncertain) return undefined;
  // Every collection parsed must sit in the tree as a value: one that does not was a key or was merged (`<<`).
  const walked = walk(value);
  if (walked === undefined || walked.collections !== collections.size || walked.size > maxBytes) return undefined;
  if (value === undefined) return { value: null };
  if (typeof value === 'number') return { value: Number.isFinite(value) ? value + 0 : null };
  // The careful path's round trip, where an alias's collection is shared (by js-yaml, as by yaml):
  // each place gets a copy of its own, within the size just bounded. Without one the tree is its own.
  return { value: walked.shared ? JSON.parse(JSON.stringify(value)) : value };
}

/**
 * Texts on which js-yaml and the `yaml` library were seen to disagree, or
 * might: declined before parsing, so the careful parse decides. Each costs a
 * large real profile nothing (they are rare in one); declining is always safe.
 */
const CAREFUL_TEXT: ReadonlyArray<{ why: string; pattern: RegExp }> = [
  // A directive (`%YAML 1.1`) changes how scalars resolve.
  { why: 'directive', pattern: /^%/m },
  // A tag js-yaml knows can be dropped by it (`- !!str` then `200` on the next line gave the number 200):
  // `!!…`, a verbatim `!<…>`, and the lone `!`. Any other `!` opening a node is a tag js-yaml refuses
  // (unknown, or a flow indicator after it), so the fast parse declines by its error. Left to that, a
  // description's Markdown (`![diagram](…)`, GitHub's `> [!NOTE]`) no longer sends a profile down the slow path.
  { why: 'tag', pattern: /(?:^|[\s[{,])!(?:[!<\s]|$)/m },
  // A lone CR is a line break to js-yaml but not to yaml. A tab in a line's leading white space
  // (YAML indents with spaces only) is refused by yaml in places js-yaml takes it, such as a
  // blank line of a block scalar; a tab after a line's first character reads the same to both.
  { why: 'lone CR or tab in indentation', pattern: /\r(?!\n)|^ *\t/m },
  // `"x"#c`: yaml refuses a comment without a space before it, js-yaml takes it.
  { why: 'comment glued to a value', pattern: /(?:[^\s:[{,]["']|[\]}])#/ },
  // `---openapi: 3.0.3`: a plain key to yaml, a document marker to js-yaml.
  { why: 'glued document marker', pattern: /^(?:---|\.\.\.)\S/m },
  // A block scalar as the whole document (`|2`): its indentation indicator is read differently.
  { why: 'root block scalar', pattern: /^(?:[ \t]*(?:#.*)?\r?\n)*[ \t]*(?:---[ \t]+)?[|>]/ },
  // An empty sequence entry: in a nested sequence js-yaml moves the next, outer entry into it
  // (`- -` then `- b` gave [[null, 'b']], yaml [[null], 'b']).
  { why: 'empty sequence entry', pattern: /^ *(?:- +)*-[ \t]*(?:#.*)?$/m },
  // `--- \a{[: `: content on the document marker's line, which yaml refused and js-yaml took.
  { why: 'content after a document marker', pattern: /^---[ \t]+[^\s#]/m },
];

/**
 * Lines the two libraries read differently, found in one pass over the text:
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
 */
function hasLineReadTwoWays(text: string): boolean {
  let blank = 0;
  let afterHeader = false;
  for (let start = 0; start < text.length; ) {
    const end = lineEnd(text, start);
    const spaces = leadingSpaces(text, start);
    const stop = text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    if (stop - start > 1024 && text.slice(start + spaces, stop).search(/:(?:\s|$)/) > 1024) return true;
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

/** A line ending in a block scalar's header: `key: |`, `- >-`, `key: |2+ # note`. */
const BLOCK_HEADER = /(?:^|[\s:-])[|>][0-9+-]*[ \t]*(?:#.*)?$/;

function needsCarefulParse(text: string): boolean {
  return CAREFUL_TEXT.some(({ pattern }) => pattern.test(text)) || hasLineReadTwoWays(text);
}

/**
 * Whether a quoted scalar or a flow collection, composed from `start` to `end`,
 * runs over several lines in a way js-yaml takes and yaml refuses or reads
 * otherwise: a later line indented no deeper than the one it starts on (js-yaml
 * does not check), a CR, or an empty line after an escaped line break.
 * A quoted string folded over well-indented lines, as YAML writers fold long
 * ones, is not among them. Only a node that spans lines is looked into.
 */
function spansLinesUnevenly(text: string, at: number, end: number, kind: LoaderState['kind']): boolean {
  const opener = text[at];
  // A quoted scalar, or a flow collection; not a block mapping whose first key is quoted (`'200':`).
  const quoted = (opener === '"' || opener === "'") && kind === 'scalar';
  if (!quoted && !((opener === '[' || opener === '{') && kind !== 'scalar')) return false;
  const firstBreak = text.indexOf('\n', at);
  if (firstBreak < 0 || firstBreak >= end) return false;
  const indent = leadingSpaces(text, text.lastIndexOf('\n', at) + 1);
  let escapedBreak = false;
  for (let line = at; line < end; ) {
    const close = lineEnd(text, line);
    const body = text.slice(line, Math.min(close, end));
    if (body.includes('\r')) return true;
    const blank = body.trim() === '';
    if (line !== at && !blank && leadingSpaces(text, line) <= indent) return true;
    // A backslash ending a line of a double-quoted string escapes its break (yaml's writer folds long
    // strings so); an empty line after one is read differently.
    if (escapedBreak && blank) return true;
    escapedBreak = opener === '"' && close < end && body.endsWith('\\');
    line = close + 1;
  }
  return false;
}

/**
 * Where a node's content begins: past the separation space (and any comment)
 * js-yaml opened it at, and past its anchor. Undefined when an anchor or alias
 * is written in a way the two libraries were seen to read differently (a name
 * with `*` or `[` in it, a tab before or after it, two anchors on one node, an
 * anchored alias): only a plain name (`&base`, `*id001`) followed by a space or a
 * line break is taken.
 */
function contentStart(text: string, from: number, anchor: string | null): number | undefined {
  let at = pastSeparation(text, from);
  // A tab before an anchor or alias: yaml refuses `- \t&x`, js-yaml opens the node past the tab.
  if ((text[at] === '*' || text[at] === '&') && text[at - 1] === '\t') return undefined;
  if (text[at] === '*') {
    ALIAS_TOKEN.lastIndex = at;
    return ALIAS_TOKEN.test(text) ? at : undefined;
  }
  if (anchor === null) return text[at] === '&' ? undefined : at;
  ANCHOR_TOKEN.lastIndex = at;
  const token = ANCHOR_TOKEN.exec(text);
  if (token?.[1] !== anchor) return undefined;
  at = pastSeparation(text, at + token[0].length);
  return text[at] === '&' || text[at] === '*' ? undefined : at;
}

const ANCHOR_TOKEN = /&([\w.-]+)(?=[ \n]|\r\n|$)/y;
const ALIAS_TOKEN = /\*[\w.-]+(?=[ \n,\]}]|\r\n|$)/y;

function pastSeparation(text: string, from: number): number {
  let at = from;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === 0x20 || c === 0x0a || c === 0x0d) at++;
    else if (c === 0x23) at = lineEnd(text, at);
    else return at;
  }
}

function lineEnd(text: string, from: number): number {
  const next = text.indexOf('\n', from);
  return next < 0 ? text.length : next;
}

function leadingSpaces(text: string, from: number): number {
  let at = from;
  while (text.charCodeAt(at) === 0x20) at++;
  return at - from;
}

/**
 * Collections in the tree and its size as yaml-tree-bounds.ts measures it, an
 * alias's collection counted in full wherever it appears (as it will be once
 * copied out), and whether any is (`shared`); or undefined for a key the `yaml`
 * library would write otherwise (a null key is `''` there, `'null'` here; `<<` is
 * a merge there), or for an alias inside its own anchor (a cycle). Each
 * collection is measured once, so a "billion laughs" costs its text's length,
 * not its expansion, to refuse. Numbers JSON has no text for become what the
 * careful path's JSON round trip makes of them: NaN and infinities null, -0 0.
 */
function walk(root: unknown): { collections: number; size: number; shared: boolean } | undefined {
  const leaf = (value: unknown): number => (value === null || value === undefined ? 6 : (typeof value === 'string' ? value : String(value)).length + 2);
  if (root === null || typeof root !== 'object') return { collections: 0, size: leaf(root), shared: false };
  /** Collections measured, with their size. */
  const sizes = new Map<object, number>();
  /** Collections being measured: meeting one of them again is a cycle. */
  const open = new Set<object>();
  /** A collection being measured: its keys (none for an array: its indexes), the next to look at, its size so far. */
  const stack: Array<{ node: Record<string | number, unknown>; keys: string[] | undefined; length: number; next: number; size: number }> = [];
  let shared = false;
  const enter = (node: object): boolean => {
    let size = OVERHEAD;
    let keys: string[] | undefined;
    if (!Array.isArray(node)) {
      keys = Object.keys(node);
      for (const key of keys) {
        if (key === 'null' || key === '<<' || key.length > MAX_KEY_LENGTH) return false;
        size += OVERHEAD + key.length + 2;
      }
    }
    open.add(node);
    stack.push({ node: node as Record<string | number, unknown>, keys, length: keys ? keys.length : (node as unknown[]).length, next: 0, size });
    return true;
  };
  if (!enter(root)) return undefined;
  let size = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.length) {
      stack.pop();
      open.delete(frame.node);
      sizes.set(frame.node, frame.size);
      if (stack.length > 0) stack[stack.length - 1]!.size += frame.size;
      else size = frame.size;
      continue;
    }
    const key = frame.keys ? frame.keys[frame.next]! : frame.next;
    frame.next++;
    const child = frame.node[key];
    if (typeof child === 'number' && (!Number.isFinite(child) || Object.is(child, -0))) frame.node[key] = Number.isFinite(child) ? 0 : null;
    if (child === null || typeof child !== 'object') {
      frame.size += leaf(child);
      continue;
    }
    const measured = sizes.get(child);
    if (measured !== undefined) {
      frame.size += measured;
      shared = true;
    } else if (open.has(child) || !enter(child)) {
      return undefined;
    }
  }
  return { collections: sizes.size, size, shared };
}
