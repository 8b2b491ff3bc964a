/**
 * The schemas that apply to the same JSON value as a given schema because of
 * `allOf`: its own branches and, when it is itself an `allOf` branch, its
 * siblings and the schema holding them (up through nested `allOf`s), following
 * local `$ref`s. Response semantics need that whole group: a `required` name is
 * often declared (as `writeOnly`) in a sibling branch, and an
 * `additionalProperties: false` branch is contradicted by what its siblings add.
 */
import { getAtPointer, localRefToPointer, isRecord } from '../json-pointer.js';
import { type SchemaDialect } from './schema-keywords.js';

/** `$ref` chains and nested `allOf`s are followed this deep; refs may loop. */
const MAX_DEPTH = 20;

/** A schema of the group and its pointer in the input document. */
export interface GroupMember {
  schema: Record<string, unknown>;
  pointer: string;
}

/**
 * Follow a chain of local `$ref`s to the schema it names (in 3.0, a `$ref`'s
 * siblings are ignored, so only the target counts).
 * @example resolveSchema({$ref: '#/components/schemas/Base'}, '/paths/..', doc) // {schema: Base, pointer: '/components/schemas/Base'}
 */
export function resolveSchema(schema: unknown, pointer: string, source: Record<string, unknown>): GroupMember | undefined {
  let node = schema;
  let at = pointer;
  for (let hops = 0; isRecord(node) && typeof node.$ref === 'string' && hops < MAX_DEPTH; hops++) {
    const target = localRefToPointer(node.$ref);
    if (target === undefined) return undefined;
    node = getAtPointer(source, target);
    at = target;
  }
  return isRecord(node) ? { schema: node, pointer: at } : undefined;
}

/**
 * The group of `node` (at input `pointer`, inside the schemas at `ancestors`, outermost first).
 * @example allOfGroup(branch, '/components/schemas/Login/allOf/1', ['/components/schemas/Login'], doc, '3.0')
 */
export function allOfGroup(node: Record<string, unknown>, pointer: string, ancestors: readonly string[], source: Record<string, unknown>, dialect: SchemaDialect): GroupMember[] {
  const members: GroupMember[] = [];
  const seen = new Set<object>();
  const expand = (schema: unknown, at: string, depth: number): void => {
    if (!isRecord(schema) || seen.has(schema) || depth > MAX_DEPTH) return;
    seen.add(schema);
    members.push({ schema, pointer: at });
    if (typeof schema.$ref === 'string') {
      const target = localRefToPointer(schema.$ref);
      if (target !== undefined) expand(getAtPointer(source, target), target, depth + 1);
      // 3.0 ignores everything beside a `$ref`; 3.1 applies both.
      if (dialect === '3.0') return;
    }
    if (Array.isArray(schema.allOf)) schema.allOf.forEach((branch, i) => expand(branch, `${at}/allOf/${i}`, depth + 1));
  };
  expand(node, pointer, 0);
  let child = pointer;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const parent = ancestors[i] as string;
    if (!isAllOfBranch(child, parent)) break;
    expand(getAtPointer(source, parent), parent, 0);
    child = parent;
  }
  return members;
}

function isAllOfBranch(child: string, parent: string): boolean {
  const prefix = `${parent}/allOf/`;
  return child.startsWith(prefix) && /^\d+$/.test(child.slice(prefix.length));
}

/**
 * Property names the group declares, and whether some member also admits names by
 * pattern (then no finite list says what the group allows).
 */
export function declaredNames(members: readonly GroupMember[]): { names: Set<string>; patterned: boolean } {
  const names = new Set<string>();
  let patterned = false;
  for (const { schema } of members) {
    if (isRecord(schema.properties)) for (const name of Object.keys(schema.properties)) names.add(name);
    if (isRecord(schema.patternProperties) && Object.keys(schema.patternProperties).length > 0) patterned = true;
  }
  return { names, patterned };
}
