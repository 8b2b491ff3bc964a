import { followLocalRef } from '../follow-local-ref.js';
import { getAtPointer, isRecord, joinPointer } from '../json-pointer.js';

/** Values visited at the most: a hostile body must not make a walk unbounded. */
const MAX_NODES = 100_000;
const MAX_DEPTH = 64;

/**
 * Walk a response value beside the schema that describes it, calling `visit`
 * with each (schema, value, pointer) pair: how checks find the values a
 * profile annotates (`x-interop-code-list`, `x-interop-hash`). Follows
 * internal refs and `allOf`/`anyOf`/`oneOf` branches, `properties` and
 * `items`; bounded in nodes and depth.
 *
 * @example
 *   walkWithSchema(doc, '/components/schemas/Person', body, (schema, value, at) => { … });
 */
export function walkWithSchema(
  document: Record<string, unknown>,
  schemaPointer: string,
  value: unknown,
  visit: (schema: Record<string, unknown>, value: unknown, pointer: string) => void,
): void {
  let nodes = 0;
  const walk = (schemaOrRef: unknown, node: unknown, pointer: string, depth: number): void => {
    if (nodes++ > MAX_NODES || depth > MAX_DEPTH) return;
    const followed = followLocalRef(document, schemaOrRef, '');
    const schema = followed.ok && isRecord(followed.value) ? followed.value : undefined;
    if (!schema) return;
    visit(schema, node, pointer);
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) for (const branch of branches) walk(branch, node, pointer, depth + 1);
    }
    if (isRecord(node) && isRecord(schema.properties)) {
      for (const [name, propertySchema] of Object.entries(schema.properties)) {
        if (Object.hasOwn(node, name)) walk(propertySchema, node[name], joinPointer(pointer, name), depth + 1);
      }
    }
    if (Array.isArray(node) && schema.items !== undefined) {
      node.forEach((item, index) => walk(schema.items, item, joinPointer(pointer, index), depth + 1));
    }
  };
  walk(getAtPointer(document, schemaPointer), value, '', 0);
}
