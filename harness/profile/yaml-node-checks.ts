/**
 * Checks on the nodes js-yaml composes (plain-yaml.ts's listener sees each one
 * close), for layouts that js-yaml takes and the `yaml` library refuses or reads
 * otherwise: where a node's content begins past its anchor, and how a quoted
 * scalar or a flow collection that runs over several lines is indented.
 */
import type { LoaderState } from 'js-yaml';
import { leadingSpaces } from './yaml-text-checks.js';

/** A quoted scalar or a flow collection: where its content begins and ends, and what js-yaml made of it. */
export interface Span {
  start: number;
  end: number;
  kind: LoaderState['kind'];
}

/**
 * Where a node's content begins: past the separation space (and any comment)
 * js-yaml opened it at, and past its anchor. Undefined when an anchor or alias
 * is written in a way the two libraries were seen to read differently (a name
 * with `*` or `[` in it, a tab before or after it, two anchors on one node, an
 * anchored alias): only a plain name (`&base`, `*id001`) followed by a space or a
 * line break is taken.
 */
export function contentStart(text: string, from: number, anchor: string | null): number | undefined {
  let at = pastSeparation(text, from);
  // A tab before an anchor or alias, anywhere in the white space before it: yaml refuses `- \t&x`.
  if ((text[at] === '*' || text[at] === '&') && /\t[ \t]*$/.test(text.slice(Math.max(0, at - 64), at))) return undefined;
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
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) at++;
    else if (c === 0x23) {
      const next = text.indexOf('\n', at);
      at = next < 0 ? text.length : next;
    } else return at;
  }
}

/** A quoted scalar (not a block mapping whose first key is quoted, `'200':`), or a flow collection. */
export function isQuotedOrFlow(text: string, at: number, kind: LoaderState['kind']): boolean {
  const opener = text[at];
  return ((opener === '"' || opener === "'") && kind === 'scalar') || ((opener === '[' || opener === '{') && kind !== 'scalar');
}

/**
 * A plain or block scalar with a comment line before it, between the key and
 * the value's line, indented less than the value: `key:` then `#c` then `  1`.
 * yaml refuses that, js-yaml takes it. Looks only at the separation js-yaml
 * skipped (`from` to `content`), so the checks of all nodes stay linear.
 */
export function commentLessIndentedBefore(text: string, from: number, content: number): boolean {
  // Back from the content to the line break before it, but not past `from` (not lastIndexOf: on a
  // document written on one line, that would scan back to its start for every node).
  let lineStart = -1;
  for (let at = content - 1; at >= from; at--) {
    if (text.charCodeAt(at) === 0x0a) {
      lineStart = at + 1;
      break;
    }
  }
  if (lineStart < 0) return false;
  const column = content - lineStart;
  for (let line = text.indexOf('\n', from) + 1; line > 0 && line < lineStart; line = text.indexOf('\n', line) + 1) {
    const spaces = leadingSpaces(text, line);
    if (text[line + spaces] === '#' && spaces < column) return true;
  }
  return false;
}

/**
 * Whether any of the quoted scalars and flow collections that span lines (see
 * `spansLines`; the others need no look) does so in a way
 * js-yaml takes and yaml refuses or reads otherwise:
 *
 * - a later line indented no deeper than the block the node sits in (js-yaml does
 *   not check): measured from the key or the compact `- `/`? ` that holds the
 *   node, and only for a node not inside a flow collection, whose lines yaml does
 *   not bind; the closing bracket of a flow collection, alone on its line, may sit
 *   at the block's indentation (pretty-printed JSON read as YAML);
 * - a CR, or an empty line after an escaped line break (`\` ending a line of a
 *   double-quoted string, as yaml's writer folds long ones).
 *
 * A string folded over well-indented lines, as YAML writers fold long ones, is
 * not among them. Linear: the lines are found in an index of line breaks
 * (`lineBreaks`) built once (a 10 MB document on one line holds a million quoted nodes).
 */
export function spansReadTwoWays(text: string, spans: Span[], breaks: readonly number[]): boolean {
  if (spans.length === 0) return false;
  spans.sort((a, b) => a.start - b.start);
  /** Where the outermost flow collection seen last ends: a node starting before it is inside it. */
  let flowEnd = -1;
  for (const span of spans) {
    const nested = span.start < flowEnd;
    // A flow collection inside another: the outer one's check has looked at all its lines already.
    if (nested && span.kind !== 'scalar') continue;
    if (!nested && span.kind !== 'scalar') flowEnd = span.end;
    if (spanReadTwoWays(text, span, !nested, breaks)) return true;
  }
  return false;
}

function spanReadTwoWays(text: string, { start, end }: Span, outermost: boolean, breaks: readonly number[]): boolean {
  const first = breakAtOrAfter(breaks, start);
  if (first >= breaks.length || breaks[first]! >= end) return false;
  const lineStart = first > 0 ? breaks[first - 1]! + 1 : 0;
  const indent = outermost ? blockIndent(text, lineStart, start) : -1;
  const opener = text[start];
  const closer = opener === '[' ? ']' : opener === '{' ? '}' : undefined;
  let escapedBreak = false;
  for (let line = start, k = first; line < end; k++) {
    const close = k < breaks.length ? breaks[k]! : text.length;
    const body = text.slice(line, Math.min(close, end));
    if (body.includes('\r')) return true;
    // Not `trim()`: a line of U+2028 or a no-break space is not blank to yaml.
    const blank = /^[ \t]*$/.test(body);
    if (line !== start && !blank) {
      const spaces = leadingSpaces(text, line);
      // An explicit key or value indicator starting a line of a flow collection: yaml and js-yaml
      // part on what follows (`? a#b`, a comment line, then `:1,`).
      if (closer !== undefined && (text[line + spaces] === '?' || text[line + spaces] === ':')) return true;
      // yaml lets a flow collection's closing bracket, alone on its line, sit at the block's indentation.
      const closing = closer !== undefined && line + spaces === end - 1 && text[end - 1] === closer && /^(?:[ \t]+#.*|[ \t]*)$/.test(text.slice(end, close));
      if (closing ? spaces < indent : spaces <= indent) return true;
    }
    if (escapedBreak && blank) return true;
    escapedBreak = opener === '"' && close < end && body.endsWith('\\');
    line = close + 1;
  }
  return false;
}

/**
 * The indentation a node starting at `at` must exceed on its later lines: that
 * of the line's key, past any compact indicators (`- `, `? `, `: `) before it;
 * or, for a node right after such indicators (`- "a`), the column of the last.
 */
function blockIndent(text: string, lineStart: number, at: number): number {
  let column = leadingSpaces(text, lineStart);
  let last = column;
  for (;;) {
    const c = text[lineStart + column];
    const after = text[lineStart + column + 1];
    if ((c === '-' || c === '?' || c === ':') && (after === ' ' || after === '\t')) {
      last = column;
      column++;
      while (text[lineStart + column] === ' ' || text[lineStart + column] === '\t') column++;
    } else {
      break;
    }
  }
  return lineStart + column === at ? last : column;
}

/** The offsets of the text's line breaks, in order. */
export function lineBreaks(text: string): number[] {
  const breaks: number[] = [];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) breaks.push(at);
  return breaks;
}

/** Whether a line break lies between `start` and `end`. */
export function spansLines(breaks: readonly number[], start: number, end: number): boolean {
  const first = breakAtOrAfter(breaks, start);
  return first < breaks.length && breaks[first]! < end;
}

/** The index of the first line break at or after `at`: a binary search. */
function breakAtOrAfter(breaks: readonly number[], at: number): number {
  let low = 0;
  let high = breaks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (breaks[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
