/**
 * Bounds on a parsed YAML document, checked on its syntax tree before it is
 * turned into JavaScript values, in one pass linear in the tree:
 *
 * - the size the document has once every alias is expanded (a "billion laughs"
 *   needs few aliases, each naming an anchor that already holds many: counting
 *   aliases cannot see it, measuring can);
 * - duplicate keys in a mapping (the `yaml` library's own check compares each
 *   key with every key before it: quadratic, minutes for 200,000 keys).
 */
import type { Document, Node } from 'yaml';
import { yamlLibrary } from './yaml-library.js';

export type YamlTreeProblem =
  | { kind: 'too-large'; bytes: number }
  | { kind: 'duplicate-key'; key: string; offset: number }
  | { kind: 'circular'; offset: number };

/** Approximate JSON characters a collection or pair adds beyond its children (brackets, separators). */
const COLLECTION_OVERHEAD = 2;
const ENTRY_OVERHEAD = 2;

type Frame = { node: unknown; exit: false } | { node: Node; exit: true; children: unknown[] };

/**
 * The first problem found, or undefined when the document expands to at most
 * `maxBytes` (approximate JSON characters) and has no duplicate key.
 *
 * @example
 *   const problem = findYamlTreeProblem(parseDocument(text, { uniqueKeys: false }), 20 * 1024 * 1024);
 *   if (problem?.kind === 'too-large') console.log(`expands to over ${problem.bytes} bytes`);
 */
export function findYamlTreeProblem(doc: Document, maxBytes: number): YamlTreeProblem | undefined {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlLibrary();
  const anchors = new Map<string, unknown>();
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  const stack: Frame[] = [{ node: doc.contents, exit: false }];
  let problem: YamlTreeProblem | undefined;

  const sizeOf = (node: unknown): number => (node === null || node === undefined ? 4 : (sizes.get(node) ?? 0));

  while (stack.length > 0 && problem === undefined) {
    const frame = stack.pop()!;
    const node = frame.node;
    if (frame.exit) {
      open.delete(node);
      let size = isPair(node) ? ENTRY_OVERHEAD : COLLECTION_OVERHEAD;
      for (const child of frame.children) size += sizeOf(child);
      sizes.set(node, size);
      if (size > maxBytes) problem = { kind: 'too-large', bytes: size };
      continue;
    }
    if (node === null || node === undefined) continue;
    const anchor = (node as { anchor?: unknown }).anchor;
    if (typeof anchor === 'string') anchors.set(anchor, node);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target !== undefined && open.has(target)) {
        problem = { kind: 'circular', offset: node.range?.[0] ?? 0 };
        continue;
      }
      // An unknown anchor is the parser's error to report; it sizes as nothing here.
      const size = target === undefined ? 0 : sizeOf(target);
      sizes.set(node, size);
      if (size > maxBytes) problem = { kind: 'too-large', bytes: size };
      continue;
    }
    if (isScalar(node)) {
      const value = node.value;
      sizes.set(node, (typeof value === 'string' ? value.length : String(value).length) + 2);
      continue;
    }
    if (isPair(node)) {
      const children = [node.key, node.value];
      open.add(node);
      stack.push({ node: node as unknown as Node, exit: true, children });
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], exit: false });
      continue;
    }
    if (isMap(node) || isSeq(node)) {
      const items = node.items as unknown[];
      if (isMap(node)) {
        const duplicate = findDuplicateKey(items, anchors);
        if (duplicate !== undefined) {
          problem = duplicate;
          continue;
        }
      }
      open.add(node);
      stack.push({ node, exit: true, children: items });
      for (let i = items.length - 1; i >= 0; i--) stack.push({ node: items[i], exit: false });
    }
  }
  return problem;
}

/** One set per mapping: linear. Keys compare as the property names they become. */
function findDuplicateKey(items: unknown[], anchors: Map<string, unknown>): YamlTreeProblem | undefined {
  const { isAlias, isPair, isScalar } = yamlLibrary();
  const seen = new Set<string>();
  for (const item of items) {
    if (!isPair(item)) continue;
    let key: unknown = item.key;
    if (isAlias(key)) key = anchors.get(key.source);
    if (!isScalar(key)) continue;
    const name = String(key.value);
    // Merge keys (`<<: *base`) may repeat; what they merge is not a key of this mapping.
    if (name === '<<') continue;
    if (seen.has(name)) return { kind: 'duplicate-key', key: name, offset: (item.key as Node).range?.[0] ?? 0 };
    seen.add(name);
  }
  return undefined;
}
