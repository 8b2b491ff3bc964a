/**
 * A fast first attempt at parsing a YAML profile, with js-yaml (several times
 * faster than the `yaml` library on a large document), for the common case only:
 * one document, no directive, no anchor or alias, no merge key, no collection or
 * null or a very long key. It gives the very value the careful path in read-document.ts
 * would give, or says it cannot vouch for one (`undefined`), and the careful path
 * runs; so every error, its line and column, the duplicate-key and expansion
 * checks stay the careful path's own. js-yaml's schema here is the YAML 1.2 core
 * schema exactly as `yaml` resolves it (no timestamps, no `1_000` numbers).
 */
import { createRequire } from 'node:module';

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
 * @example parsePlainYaml('a: &x 1\nb: *x', 1e6) // undefined (an alias: the careful path bounds its expansion)
 */
export function parsePlainYaml(text: string, maxBytes: number): { value: unknown } | undefined {
  if (needsCarefulParse(text)) return undefined;
  loaded ??= (() => {
    const library = createRequire(import.meta.url)('js-yaml') as JsYaml;
    return { library, schema: coreSchema(library) };
  })();
  let anchored = false;
  // A set: a collection closes once per level that composes it (`- a: 1` closes its mapping twice).
  const collections = new Set<unknown>();
  let value: unknown;
  try {
    value = loaded.library.load(text, {
      schema: loaded.schema,
      listener(event, state) {
        if (event !== 'close') return;
        if (state.anchor !== null) anchored = true;
        if (state.result !== null && typeof state.result === 'object') collections.add(state.result);
      },
    });
  } catch {
    // A duplicate key, a syntax error, an unknown tag, several documents: the careful path says where.
    return undefined;
  }
  if (anchored) return undefined;
  // Every collection parsed must sit in the tree as a value: one that does not was a key or was merged (`<<`).
  const walked = walk(value);
  if (walked === undefined || walked.collections !== collections.size || walked.size > maxBytes) return undefined;
  // The careful path's round trip: NaN and infinities become null, -0 becomes 0.
  return { value: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
}

/**
 * Texts on which js-yaml and the `yaml` library were seen to disagree, or
 * might: declined before parsing, so the careful parse decides. Each costs a
 * large real profile nothing (they are rare in one); declining is always safe.
 */
const CAREFUL_TEXT: ReadonlyArray<{ why: string; pattern: RegExp }> = [
  // A directive (`%YAML 1.1`) changes how scalars resolve.
  { why: 'directive', pattern: /^%/m },
  // A tag can be dropped by js-yaml (`- !!str` then `200` on the next line gave the number 200).
  { why: 'tag', pattern: /(?:^|[\s[{,])!/m },
  // A lone CR is a line break to js-yaml but not to yaml; a tab inside a folded quoted string differs too.
  { why: 'lone CR or tab', pattern: /\r(?!\n)|\t/ },
  // `"x"#c`: yaml refuses a comment without a space before it, js-yaml takes it.
  { why: 'comment glued to a value', pattern: /(?:[^\s:[{,]["']|[\]}])#/ },
  // `---openapi: 3.0.3`: a plain key to yaml, a document marker to js-yaml.
  { why: 'glued document marker', pattern: /^(?:---|\.\.\.)\S/m },
  // A block scalar as the whole document (`|2`): its indentation indicator is read differently.
  { why: 'root block scalar', pattern: /^(?:[ \t]*(?:#.*)?\r?\n)*[ \t]*(?:---[ \t]+)?[|>]/ },
];

/** An implicit key's `:` more than 1024 characters after the key starts: yaml refuses it, js-yaml takes it. */
function hasOverlongImplicitKey(text: string): boolean {
  for (const line of text.match(/^.{1025,}$/gm) ?? []) {
    const start = line.search(/\S/);
    const colon = line.slice(start).search(/:(?:\s|$)/);
    if (colon > 1024 || colon < 0) return true;
  }
  return false;
}

function needsCarefulParse(text: string): boolean {
  return CAREFUL_TEXT.some(({ pattern }) => pattern.test(text)) || hasOverlongImplicitKey(text);
}

/**
 * Collections in the tree and its size as yaml-tree-bounds.ts measures it, or
 * undefined for a key the `yaml` library would write otherwise (a null key is `''`
 * there, `'null'` here; `<<` is a merge there).
 */
function walk(root: unknown): { collections: number; size: number } | undefined {
  let collections = 0;
  let size = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) {
      size += 6;
    } else if (Array.isArray(node)) {
      collections++;
      size += OVERHEAD;
      for (const item of node) stack.push(item);
    } else if (typeof node === 'object') {
      collections++;
      size += OVERHEAD;
      for (const key of Object.keys(node)) {
        if (key === 'null' || key === '<<' || key.length > MAX_KEY_LENGTH) return undefined;
        size += OVERHEAD + key.length + 2;
        stack.push((node as Record<string, unknown>)[key]);
      }
    } else {
      size += (typeof node === 'string' ? node : String(node)).length + 2;
    }
  }
  return { collections, size };
}
