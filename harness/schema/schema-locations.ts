/**
 * Where the Schema Objects of an OpenAPI document are. Schema translation must
 * reach every schema an internal `$ref` can land on, and nothing else: running
 * it over `example` values or path items would corrupt data that only looks like
 * a schema.
 */
import { hasOas32Operations, pathItemOperations } from '../profile/path-item-operations.js';
import { joinPointer, getAtPointer, localRefToPointer, isRecord, parsePointer } from '../json-pointer.js';
import { walkSchema, type SchemaDialect } from './schema-keywords.js';


/**
 * Pointers of the top-most Schema Objects in the document: every schema under
 * `components`, `paths` and `webhooks`, plus `extraRoots` (e.g. pointers the
 * loader handed out) and, transitively, every local `$ref` target reached from a
 * schema that is not already inside one (schemas kept under `x-` keys, say).
 * No pointer in the result lies inside another.
 * @example findSchemaRoots(doc, '3.0') // ['/components/schemas/Person', '/paths/~1persons/get/responses/200/content/application~1json/schema']
 */
export function findSchemaRoots(document: Record<string, unknown>, dialect: SchemaDialect, extraRoots: string[] = []): string[] {
  const found: string[] = [];
  collectStructuralRoots(document, found);
  for (const pointer of extraRoots) if (getAtPointer(document, pointer) !== undefined) found.push(pointer);

  // Follow refs out of schemas until no new target appears.
  let roots = outermost(found);
  for (let round = 0; round < 100; round++) {
    const added = new Set<string>();
    const rootSet = new Set(roots);
    for (const root of roots) {
      walkSchema(getAtPointer(document, root), root, dialect, (node, _pointer, inIdScope) => {
        if (inIdScope || typeof node.$ref !== 'string') return;
        const target = localRefToPointer(node.$ref);
        if (target === undefined || target === '' || isCovered(target, rootSet) || added.has(target)) return;
        if (getAtPointer(document, target) !== undefined) added.add(target);
      });
    }
    if (added.size === 0) break;
    roots = outermost([...roots, ...added]);
  }
  return roots;
}

/** Whether the pointer or one of its ancestors is a root: one lookup per level, not per root. */
function isCovered(pointer: string, roots: Set<string>): boolean {
  for (let end = pointer.length; end > 0; end = pointer.lastIndexOf('/', end - 1)) {
    if (roots.has(pointer.slice(0, end))) return true;
  }
  return false;
}

/**
 * Drop pointers that lie inside another one, and duplicates. Ancestors are
 * looked up in a Set, level by level: comparing every pointer with every kept
 * one was quadratic, and a 20 MB profile has tens of thousands of schemas.
 */
function outermost(pointers: string[]): string[] {
  const sorted = [...new Set(pointers)].sort((a, b) => a.length - b.length);
  // The whole document as a root covers everything (isCovered never looks at '').
  if (sorted[0] === '') return [''];
  const kept = new Set<string>();
  for (const p of sorted) if (!isCovered(p, kept)) kept.add(p);
  return [...kept];
}

function collectStructuralRoots(doc: Record<string, unknown>, out: string[]): void {
  const oas32 = hasOas32Operations(doc);
  const components = doc.components;
  if (isRecord(components)) {
    const at = (kind: string): Array<[string, unknown]> =>
      isRecord(components[kind]) ? Object.entries(components[kind] as Record<string, unknown>) : [];
    for (const [name] of at('schemas')) out.push(joinPointer('/components/schemas', name));
    for (const [name, v] of at('parameters')) parameterOrHeader(v, joinPointer('/components/parameters', name), out);
    for (const [name, v] of at('headers')) parameterOrHeader(v, joinPointer('/components/headers', name), out);
    for (const [name, v] of at('responses')) response(v, joinPointer('/components/responses', name), out);
    for (const [name, v] of at('requestBodies')) content(v, joinPointer('/components/requestBodies', name), out);
    for (const [name, v] of at('mediaTypes')) mediaType(v, joinPointer('/components/mediaTypes', name), out);
    for (const [name, v] of at('callbacks')) callback(v, joinPointer('/components/callbacks', name), out, oas32);
    for (const [name, v] of at('pathItems')) pathItem(v, joinPointer('/components/pathItems', name), out, oas32);
  }
  for (const key of ['paths', 'webhooks']) {
    const items = doc[key];
    if (isRecord(items)) for (const [name, v] of Object.entries(items)) pathItem(v, joinPointer('/' + key, name), out, oas32);
  }
}

function pathItem(item: unknown, pointer: string, out: string[], oas32: boolean): void {
  if (!isRecord(item)) return;
  parameterList(item.parameters, joinPointer(pointer, 'parameters'), out);
  for (const { operation: op, pointer: opPointer } of pathItemOperations(item, pointer, oas32)) {
    if (!isRecord(op)) continue;
    parameterList(op.parameters, joinPointer(opPointer, 'parameters'), out);
    content(op.requestBody, joinPointer(opPointer, 'requestBody'), out);
    if (isRecord(op.responses)) {
      for (const [code, r] of Object.entries(op.responses)) response(r, joinPointer(opPointer, 'responses', code), out);
    }
    if (isRecord(op.callbacks)) {
      for (const [name, c] of Object.entries(op.callbacks)) callback(c, joinPointer(opPointer, 'callbacks', name), out, oas32);
    }
  }
}

function callback(cb: unknown, pointer: string, out: string[], oas32: boolean): void {
  if (isRecord(cb)) for (const [expr, item] of Object.entries(cb)) pathItem(item, joinPointer(pointer, expr), out, oas32);
}

function parameterList(list: unknown, pointer: string, out: string[]): void {
  if (Array.isArray(list)) list.forEach((p, i) => parameterOrHeader(p, joinPointer(pointer, i), out));
}

function parameterOrHeader(p: unknown, pointer: string, out: string[]): void {
  if (!isRecord(p)) return;
  if (p.schema !== undefined) out.push(joinPointer(pointer, 'schema'));
  content(p, pointer, out);
}

function response(r: unknown, pointer: string, out: string[]): void {
  if (!isRecord(r)) return;
  if (isRecord(r.headers)) {
    for (const [name, h] of Object.entries(r.headers)) parameterOrHeader(h, joinPointer(pointer, 'headers', name), out);
  }
  content(r, pointer, out);
}

/** The `content` map of a parameter, header, request body or response. */
function content(holder: unknown, pointer: string, out: string[]): void {
  if (!isRecord(holder) || !isRecord(holder.content)) return;
  for (const [mediaRange, mt] of Object.entries(holder.content)) mediaType(mt, joinPointer(pointer, 'content', mediaRange), out);
}

/** One Media Type object (in a `content` map, or under 3.2's `components/mediaTypes`). */
function mediaType(mt: unknown, mtPointer: string, out: string[]): void {
  if (!isRecord(mt)) return;
  if (mt.schema !== undefined) out.push(joinPointer(mtPointer, 'schema'));
  if (mt.itemSchema !== undefined) out.push(joinPointer(mtPointer, 'itemSchema'));
  if (isRecord(mt.encoding)) {
    for (const [prop, enc] of Object.entries(mt.encoding)) {
      if (isRecord(enc) && isRecord(enc.headers)) {
        for (const [name, h] of Object.entries(enc.headers)) {
          parameterOrHeader(h, joinPointer(mtPointer, 'encoding', prop, 'headers', name), out);
        }
      }
    }
  }
}

/**
 * The name of the component schema a schema pointer lies in, so a reader sees
 * `instanceAdminStatsSchema` rather than an escaped pointer; undefined for a
 * schema written inline under a path.
 *
 * @example
 *   schemaNameAt('/components/schemas/instanceAdminStatsSchema/properties/users/type'); // 'instanceAdminStatsSchema'
 *   schemaNameAt('/paths/~1stats/get/responses/200/content/application~1json/schema/type'); // undefined
 */
export function schemaNameAt(pointer: string): string | undefined {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return undefined;
  if (tokens[0] === 'components' && tokens[1] === 'schemas') return tokens[2];
  if (tokens[0] === 'definitions' || tokens[0] === '$defs') return tokens[1];
  return undefined;
}

/**
 * The component name of the schema at `pointer` in the document: its own
 * (`/components/schemas/Person`), or that of the component it only refers to
 * (a media type's `schema: {$ref: '#/components/schemas/PersonList'}`).
 *
 * @example namedSchemaAt(doc, '/paths/~1people/get/responses/200/content/application~1json/schema') // 'PersonList'
 */
export function namedSchemaAt(document: unknown, pointer: string): string | undefined {
  const own = schemaNameAt(pointer);
  if (own !== undefined) return own;
  const schema = getAtPointer(document, pointer);
  const ref = schema !== null && typeof schema === 'object' ? (schema as { $ref?: unknown }).$ref : undefined;
  const target = typeof ref === 'string' ? localRefToPointer(ref) : undefined;
  return target === undefined ? undefined : schemaNameAt(target);
}
