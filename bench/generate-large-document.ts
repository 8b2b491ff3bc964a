/**
 * A large OpenAPI 3.0.3 document of the shape real supplier APIs have, for the
 * start-up bench: 40 resources with list, read, create, replace, update
 * and delete operations (over 250 in all), about 400 shared component schemas
 * referenced from many responses, and the 3.0 habits that trip a JSON Schema
 * validator (`nullable`, `discriminator`, `int64`, `readOnly`/`writeOnly`,
 * `example`, `2XX` ranges, `default` responses). Deterministic: the same bytes
 * every time, so a cache keyed by its sha256 is hit on the second run.
 *
 * @example
 *   const path = writeLargeDocument(join(tmpdir(), 'large.json'));
 *   // tsx bench/generate-large-document.ts out.json  -> writes it and prints its size
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Resources (each a path pair with five or six operations). */
const RESOURCES = 40;
/** Value types per resource, besides the resource's own schemas. */
const PARTS_PER_RESOURCE = 3;

const NOUNS = [
  'person', 'vehicle', 'incident', 'custody-record', 'property-item', 'location', 'officer', 'case-file', 'exhibit', 'warrant',
  'intelligence-report', 'firearm-licence', 'stop-search', 'crime-report', 'witness-statement', 'court-result', 'bail-condition', 'alert', 'organisation', 'telephone',
];

/** A small seeded generator (mulberry32): the same document on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pascal(text: string): string {
  return text.replace(/(^|-)(\w)/g, (_m, _d: string, c: string) => c.toUpperCase());
}

const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/**
 * The document as a plain object.
 * @example generateLargeDocument().paths['/v1/person-0/items'].get.operationId // 'listPerson0'
 */
export function generateLargeDocument(): Record<string, unknown> {
  const random = seededRandom(12);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};

  schemas.Problem = {
    type: 'object',
    description: 'An RFC 9457 problem detail, returned for every error.',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', format: 'uri', example: 'https://api.example.police.uk/problems/not-found' },
      title: { type: 'string', example: 'Not found' },
      status: { type: 'integer', format: 'int32', minimum: 100, maximum: 599 },
      detail: { type: 'string', nullable: true },
      instance: { type: 'string', nullable: true },
      traceId: { type: 'string', readOnly: true },
    },
  };
  schemas.PageLinks = {
    type: 'object',
    properties: { self: { type: 'string', format: 'uri' }, next: { type: 'string', format: 'uri', nullable: true }, prev: { type: 'string', format: 'uri', nullable: true } },
  };
  schemas.PageMeta = {
    type: 'object',
    required: ['total', 'limit'],
    properties: {
      total: { type: 'integer', format: 'int64', minimum: 0, example: 1204 },
      limit: { type: 'integer', format: 'int32', minimum: 1, maximum: 500 },
      offset: { type: 'integer', format: 'int64', minimum: 0, exclusiveMinimum: false },
      links: ref('PageLinks'),
    },
  };
  schemas.AuditStamp = {
    type: 'object',
    readOnly: true,
    required: ['at'],
    properties: { at: { type: 'string', format: 'date-time' }, by: { type: 'string', nullable: true }, system: { type: 'string', enum: ['niche', 'pnc', 'pnd', 'local'] } },
  };
  schemas.Classification = { type: 'string', enum: ['OFFICIAL', 'OFFICIAL-SENSITIVE', 'SECRET'], example: 'OFFICIAL' };

  for (let r = 0; r < RESOURCES; r++) {
    const noun = `${NOUNS[r % NOUNS.length]}-${Math.floor(r / NOUNS.length)}`;
    const Name = pascal(noun);
    const partNames: string[] = [];
    for (let p = 0; p < PARTS_PER_RESOURCE; p++) {
      const Part = `${Name}Part${p}`;
      partNames.push(Part);
      schemas[Part] = partSchema(Part, random, pick);
    }
    // A polymorphic detail, discriminated, in the 3.0 style: oneOf + discriminator + mapping.
    const Kind = `${Name}Kind`;
    schemas[`${Kind}A`] = { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, score: { type: 'number', format: 'double', nullable: true } } };
    schemas[`${Kind}B`] = { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, code: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2,6}$', example: 'AB1234' } } };
    schemas[Kind] = {
      oneOf: [ref(`${Kind}A`), ref(`${Kind}B`)],
      discriminator: { propertyName: 'kind', mapping: { a: `#/components/schemas/${Kind}A`, b: `#/components/schemas/${Kind}B` } },
    };
    schemas[Name] = {
      type: 'object',
      description: `A ${noun.replace(/-\d+$/, '').replace(/-/g, ' ')} record as the supplier holds it. `.repeat(3).trim(),
      required: ['id', 'reference', 'classification', 'audit', 'secret'],
      properties: {
        id: { type: 'string', format: 'uuid', readOnly: true, example: '0b8e5a2c-1f6d-4c57-9b1e-3f7a2d9c6e10' },
        reference: { type: 'string', minLength: 3, maxLength: 40, example: `${Name.slice(0, 3).toUpperCase()}-000123` },
        version: { type: 'integer', format: 'int64', readOnly: true },
        classification: ref('Classification'),
        audit: ref('AuditStamp'),
        // writeOnly and required: never in a response, so never required there.
        secret: { type: 'string', format: 'password', writeOnly: true },
        kind: { ...ref(Kind), nullable: true },
        parts: { type: 'array', items: ref(partNames[0] as string), maxItems: 200 },
        primary: { allOf: [ref(partNames[1] as string)], nullable: true },
        extra: ref(partNames[2] as string),
        related: { type: 'array', items: r > 0 ? ref(`${pascal(`${NOUNS[(r - 1) % NOUNS.length]}-${Math.floor((r - 1) / NOUNS.length)}`)}Summary`) : { type: 'string' } },
        notes: { type: 'string', nullable: true, maxLength: 4000 },
        weight: { type: 'number', format: 'float', minimum: 0, exclusiveMinimum: true },
      },
      example: { id: '0b8e5a2c-1f6d-4c57-9b1e-3f7a2d9c6e10', reference: 'REF-1', classification: 'OFFICIAL', audit: { at: '2026-01-01T00:00:00Z' } },
    };
    schemas[`${Name}Summary`] = {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', format: 'uuid' }, reference: { type: 'string' }, classification: ref('Classification') },
    };
    schemas[`${Name}List`] = {
      type: 'object',
      required: ['data', 'meta'],
      properties: { data: { type: 'array', items: ref(`${Name}Summary`) }, meta: ref('PageMeta') },
    };
    schemas[`${Name}Input`] = {
      allOf: [ref(Name), { type: 'object', properties: { reason: { type: 'string', example: 'created during evaluation' } } }],
    };

    const collection = `/v1/${noun}/items`;
    const item = `/v1/${noun}/items/{${camel(Name)}Id}`;
    const tag = noun.replace(/-\d+$/, '');
    const idParam = { name: `${camel(Name)}Id`, in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, example: '0b8e5a2c-1f6d-4c57-9b1e-3f7a2d9c6e10' };
    const errors = {
      '400': { description: 'Bad request', content: { 'application/problem+json': { schema: ref('Problem') } } },
      '404': { description: 'Not found', content: { 'application/problem+json': { schema: ref('Problem') } } },
      default: { description: 'Any other error', content: { 'application/problem+json': { schema: ref('Problem') } } },
    };
    const one = (status: string, description: string) => ({
      [status]: { description, headers: { ETag: { schema: { type: 'string' } }, 'X-Rate-Limit-Remaining': { schema: { type: 'integer', format: 'int64' } } }, content: { 'application/json': { schema: ref(Name) } } },
    });
    const body = { required: true, content: { 'application/json': { schema: ref(`${Name}Input`) } } };
    paths[collection] = {
      get: {
        operationId: `list${Name}`,
        tags: [tag],
        summary: `List ${noun} records`,
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 500, default: 50 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', format: 'int64', minimum: 0 } },
          { name: 'updatedSince', in: 'query', schema: { type: 'string', format: 'date-time' } },
        ],
        responses: { '200': { description: 'A page of records', content: { 'application/json': { schema: ref(`${Name}List`) } } }, ...errors },
      },
      post: { operationId: `create${Name}`, tags: [tag], requestBody: body, responses: { ...one('201', 'Created'), ...errors } },
    };
    paths[item] = {
      parameters: [idParam],
      get: { operationId: `get${Name}`, tags: [tag], responses: { ...one('200', 'The record'), ...errors } },
      put: { operationId: `replace${Name}`, tags: [tag], requestBody: body, responses: { ...one('2XX', 'Replaced'), ...errors } },
      patch: { operationId: `update${Name}`, tags: [tag], requestBody: body, responses: { ...one('200', 'Updated'), ...errors } },
      delete: { operationId: `delete${Name}`, tags: [tag], responses: { '204': { description: 'Deleted' }, ...errors } },
    };
    if (r % 3 === 0) {
      paths[`${item}/history`] = {
        parameters: [idParam],
        get: {
          operationId: `history${Name}`,
          tags: [tag],
          responses: { '2XX': { description: 'Earlier versions', content: { 'application/json': { schema: { type: 'array', items: ref(Name) } } } }, default: errors.default },
        },
      };
    }
  }

  return {
    openapi: '3.0.3',
    info: {
      title: 'Large bench API',
      version: '1.0.0',
      description: 'Generated by bench/generate-large-document.ts: a document of the shape of a real supplier API, for the start-up bench.',
      license: { name: 'Apache-2.0' },
    },
    servers: [{ url: 'https://api.example.police.uk' }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
  };
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function partSchema(name: string, random: () => number, pick: <T>(items: readonly T[]) => T): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const count = 6 + Math.floor(random() * 8);
  for (let i = 0; i < count; i++) {
    const field = `${pick(['code', 'label', 'value', 'startedAt', 'count', 'flag', 'source', 'comment'])}${i}`;
    properties[field] = pick([
      { type: 'string', maxLength: 200, example: 'text' },
      { type: 'string', format: 'date-time', nullable: true },
      { type: 'string', format: 'date', example: '2026-01-31' },
      { type: 'integer', format: 'int64', minimum: 0 },
      { type: 'integer', format: 'int32', maximum: 100000, exclusiveMaximum: true },
      { type: 'number', format: 'double', nullable: true },
      { type: 'boolean', default: false },
      { type: 'string', enum: ['A', 'B', 'C', 'D'], nullable: true },
      { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    ]);
  }
  return { type: 'object', description: `Part ${name} of a record.`, properties, additionalProperties: random() < 0.2 ? false : true };
}

/** Write the document as JSON (pretty-printed, as published documents usually are); returns the path. */
export function writeLargeDocument(path: string): string {
  writeFileSync(path, JSON.stringify(generateLargeDocument(), null, 2) + '\n');
  return path;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv[2] ?? 'large-openapi.json';
  writeLargeDocument(out);
  const document = generateLargeDocument();
  const operations = Object.values(document.paths as Record<string, Record<string, unknown>>).reduce((n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length, 0);
  const { statSync } = await import('node:fs');
  console.log(`${out}: ${Math.round(statSync(out).size / 1024)} KB, ${operations} operations, ${Object.keys((document.components as { schemas: object }).schemas).length} component schemas`);
}
