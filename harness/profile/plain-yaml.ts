/**
 * A fast first attempt at parsing a YAML profile, with js-yaml (several times
 * faster than the `yaml` library on a large document), for the common case only:
 * one document, no directive, no merge key, no collection or null or a very long
 * key, no alias inside its own anchor, no expansion of aliases past the size
 * limit, nothing that yaml-text-checks.ts or yaml-node-checks.ts finds the two
 * libraries read differently. It gives the value the careful path in
 * read-document.ts would give, or says it cannot vouch for one (`undefined`), and
 * the careful path runs; so every error, its line and column, the duplicate-key
 * and expansion checks stay the careful path's own. One exception, where yaml
 * departs from YAML 1.2.2 and js-yaml does not: see `needsCarefulParse`. js-yaml's
 * schema here is the YAML 1.2 core schema exactly as `yaml` resolves it (no
 * timestamps, no `1_000` numbers). test/profile/plain-yaml.test.ts compares the
 * two on texts built at random.
 */
import { createRequire } from 'node:module';
import { commentLessIndentedBefore, contentStart, isQuotedOrFlow, lineBreaks, spansLines, spansReadTwoWays, type Span } from './yaml-node-checks.js';
import { needsCarefulParse } from './yaml-text-checks.js';

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
  const collections = new Set<object>();
  /** Where each alias whose value is a collection begins (js-yaml closes some nodes twice: a set). */
  const collectionAliases = new Set<number>();
  /** Quoted scalars and flow collections over several lines, whose lines are checked once the text is parsed. */
  const spans: Span[] = [];
  /** The text's line breaks, found when the first quoted scalar or flow collection needs them. */
  let breaks: number[] | undefined;
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
        const collection = state.result !== null && typeof state.result === 'object';
        if (collection) collections.add(state.result as object);
        if (uncertain || start === undefined) return;
        const content = contentStart(text, start, state.anchor);
        if (content === undefined) {
          uncertain = true;
          return;
        }
        const opener = text[content];
        if (opener === '*' && collection) collectionAliases.add(content);
        if (isQuotedOrFlow(text, content, state.kind)) {
          breaks ??= lineBreaks(text);
          if (spansLines(breaks, content, state.position)) spans.push({ start: content, end: state.position, kind: state.kind });
          // `"x"#c`: a comment glued to a quoted string, which yaml refuses.
          if (state.kind === 'scalar' && text[state.position] === '#') uncertain = true;
        } else if (state.kind === 'scalar' && opener !== '*' && commentLessIndentedBefore(text, start, content)) {
          uncertain = true;
        }
        // An anchor defined again: an alias after both names the later one to yaml, and to js-yaml
        // the one whose node ended last (an outer collection over an inner node with the same anchor).
        // (js-yaml closes some nodes twice, as two nested levels: the same anchor at the same place is one.)
        if (state.anchor !== null) {
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
  if (uncertain || (breaks !== undefined && spansReadTwoWays(text, spans, breaks))) return undefined;
  const walked = walk(value);
  if (walked === undefined || walked.size > maxBytes) return undefined;
  // Every collection parsed must sit in the tree as a value: one that does not was a key (`[a]: 1`,
  // or an alias as a key: `*x : 2`) or was merged (`<<`). And each alias to a collection must be a
  // place in the tree that repeats one: an alias used as a key is not.
  for (const collection of collections) if (!walked.sizes.has(collection)) return undefined;
  if (walked.repeats !== collectionAliases.size) return undefined;
  if (value === undefined) return { value: null };
  if (typeof value === 'number') return { value: Number.isFinite(value) ? value + 0 : null };
  // The careful path's round trip, where an alias's collection is shared (by js-yaml, as by yaml):
  // each place gets a copy of its own, within the size just bounded. Without one the tree is its own.
  if (walked.repeats === 0) return { value };
  try {
    return { value: JSON.parse(JSON.stringify(value)) };
  } catch {
    // Aliases can nest a tree deeper than JSON.stringify's stack (js-yaml bounds each node's depth,
    // not what aliases make of it): the careful path refuses it with a message.
    return undefined;
  }
}

/**
 * The collections in the tree with their sizes as yaml-tree-bounds.ts measures
 * them, the tree's size with an alias's collection counted in full wherever it
 * appears (as it will be once copied out), and how many places repeat a
 * collection measured before (`repeats`: aliases); or undefined for a key the
 * `yaml` library would write otherwise (a null key is `''` there, `'null'` here;
 * `<<` is a merge there), or for an alias inside its own anchor (a cycle). Each
 * collection is measured once, so a "billion laughs" costs its text's length,
 * not its expansion, to refuse. Numbers JSON has no text for become what the
 * careful path's JSON round trip makes of them: NaN and infinities null, -0 0.
 */
function walk(root: unknown): { sizes: ReadonlyMap<object, number>; size: number; repeats: number } | undefined {
  const leaf = (value: unknown): number => (value === null || value === undefined ? 6 : (typeof value === 'string' ? value : String(value)).length + 2);
  if (root === null || typeof root !== 'object') return { sizes: new Map(), size: leaf(root), repeats: 0 };
  /** Collections measured, with their size. */
  const sizes = new Map<object, number>();
  /** Collections being measured: meeting one of them again is a cycle. */
  const open = new Set<object>();
  /** A collection being measured: its keys (none for an array: its indexes), the next to look at, its size so far. */
  const stack: Array<{ node: Record<string | number, unknown>; keys: string[] | undefined; length: number; next: number; size: number }> = [];
  let repeats = 0;
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
      repeats++;
    } else if (open.has(child) || !enter(child)) {
      return undefined;
    }
  }
  return { sizes, size, repeats };
}
