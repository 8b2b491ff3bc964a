/**
 * The profile's `x-interop.export` annotation: where a bulk export is started,
 * which resource types it holds, the schema each exported record must match,
 * and the collections to compare it with. Read once; the export checks and
 * the validator compiler both use it.
 */
import { getAtPointer, isRecord, localRefToPointer } from '../json-pointer.js';

/** How export-incremental changes one record of a type (sent only with --allow-writes). */
export interface ExportTouch {
  method: string;
  /** A path template with one parameter, filled with the record's id. */
  path: string;
  contentType: string;
  body: unknown;
}

export interface ExportTypeSpec {
  /** The `_type` value, e.g. `person`. */
  name: string;
  /** JSON pointer to the schema each exported record of this type must match. */
  schemaPointer: string;
  /** Path of the paginated collection that lists every record of the type. */
  list?: string;
  /** Path template of the single-record GET, with exactly one parameter. */
  item?: string;
  /** JSON pointer, within a record, to the instant it last changed. */
  changedAt?: string;
  touch?: ExportTouch;
}

export interface ExportSpec {
  /** Kick-off path, resolved against --target. */
  kickoff: string;
  /** JSON pointer to the manifest's schema, when the profile gives one. */
  manifestSchemaPointer?: string;
  types: ExportTypeSpec[];
}

/**
 * The profile's export annotation, or undefined when it declares none.
 * Malformed parts are left out: `lint-profile` reports them against the
 * x-interop JSON Schema.
 *
 * @example readExportSpec(document)?.types.map((t) => t.name) // ['person', 'event']
 */
export function readExportSpec(document: Record<string, unknown>): ExportSpec | undefined {
  const raw = getAtPointer(document, '/x-interop/export');
  if (!isRecord(raw) || typeof raw.kickoff !== 'string' || !isRecord(raw.types)) return undefined;
  const types: ExportTypeSpec[] = [];
  for (const [name, value] of Object.entries(raw.types)) {
    if (!isRecord(value) || typeof value.schema !== 'string') continue;
    const schemaPointer = localRefToPointer(value.schema);
    if (schemaPointer === undefined) continue;
    types.push({
      name,
      schemaPointer,
      ...(typeof value.list === 'string' ? { list: value.list } : {}),
      ...(typeof value.item === 'string' ? { item: value.item } : {}),
      ...(typeof value.changedAt === 'string' ? { changedAt: value.changedAt } : {}),
      ...(readTouch(value.touch) ?? {}),
    });
  }
  const manifestSchemaPointer = typeof raw.manifestSchema === 'string' ? localRefToPointer(raw.manifestSchema) : undefined;
  return { kickoff: raw.kickoff, ...(manifestSchemaPointer !== undefined ? { manifestSchemaPointer } : {}), types };
}

/** The schema pointers export records and manifests are validated against, for the compile stage. */
export function exportSchemaPointers(document: Record<string, unknown>): string[] {
  const spec = readExportSpec(document);
  if (!spec) return [];
  return [...spec.types.map((t) => t.schemaPointer), ...(spec.manifestSchemaPointer !== undefined ? [spec.manifestSchemaPointer] : [])];
}

function readTouch(raw: unknown): { touch: ExportTouch } | undefined {
  if (!isRecord(raw) || typeof raw.method !== 'string' || typeof raw.path !== 'string' || !('body' in raw)) return undefined;
  return {
    touch: {
      method: raw.method.toUpperCase(),
      path: raw.path,
      contentType: typeof raw.contentType === 'string' ? raw.contentType : 'application/json',
      body: raw.body,
    },
  };
}
