/**
 * The bundled profile catalogue: every profile is valid OpenAPI 3.1, its
 * x-interop validates against profiles/x-interop.schema.json, requirements
 * are unique, traced and verified (or say why not), every example fits its
 * schema, shared components agree, and every verified requirement has a
 * planted defect that breaks it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isDeepStrictEqual } from 'node:util';
import { DEFECTS } from '../../fixtures/defects/index.js';
import { BUNDLED_PROFILE_IDS, profilePath, readProfileDocument } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { packageRoot } from '../../harness/package-root.js';

type Json = Record<string, unknown>;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const PREFIX: Record<string, string> = { baseline: 'BASE', 'open-architecture': 'OA', 'pole-exchange': 'POLE', 'evidence-export': 'EVX', transparency: 'TRN', incident: 'INC', 'data-export': 'DX' };

/** Check ids listed under "Checks a profile can name" in AUTHORING.md. */
function authoringCheckIds(): Set<string> {
  const text = readFileSync(join(packageRoot(), 'profiles', 'AUTHORING.md'), 'utf8');
  const section = text.slice(text.indexOf('## Checks a profile can name'));
  const end = section.indexOf('\n## ', 5);
  return new Set([...(end > 0 ? section.slice(0, end) : section).matchAll(/`([a-z][a-z0-9-]+)`/g)].map((m) => m[1] ?? ''));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Every `(schema pointer, example)` pair a document states. */
function documentedExamples(document: Json): Array<{ where: string; schemaPointer: string; value: unknown }> {
  const pairs: Array<{ where: string; schemaPointer: string; value: unknown }> = [];
  function walk(node: unknown, pointer: string): void {
    if (Array.isArray(node)) return node.forEach((child, index) => walk(child, `${pointer}/${index}`));
    if (!isObject(node)) return;
    if (Array.isArray(node['examples'])) node['examples'].forEach((value, index) => pairs.push({ where: `${pointer}/examples/${index}`, schemaPointer: pointer, value }));
    if ('example' in node && 'schema' in node) pairs.push({ where: `${pointer}/example`, schemaPointer: `${pointer}/schema`, value: node['example'] });
    for (const [key, child] of Object.entries(node)) {
      if (key === 'examples' || key === 'example' || key === 'x-interop') continue;
      walk(child, `${pointer}/${escapePointer(key)}`);
    }
  }
  walk(document, '');
  return pairs;
}

const interopSchema = JSON.parse(readFileSync(join(packageRoot(), 'profiles', 'x-interop.schema.json'), 'utf8')) as Json;
const schemaAjv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
addFormats(schemaAjv);
const validateInterop = schemaAjv.compile(interopSchema);
const knownChecks = authoringCheckIds();

t.test('AUTHORING.md lists the checks', async (t) => {
  for (const id of ['discovery', 'documentation-quality', 'problem-details', 'pagination', 'auth-required', 'versioning', 'iso-dates', 'coded-values', 'hash-integrity', 'transparency-record', 'response-schema']) {
    t.ok(knownChecks.has(id), id);
  }
});

t.test('x-interop schema rejects what AUTHORING.md forbids', async (t) => {
  const good = { id: 'x', version: '1.0.0', status: 'draft', requirements: [{ id: 'X-01', level: 'MUST', statement: 'The API MUST do it.', principle: 'security', source: { standard: 'RFC 1' }, checks: ['discovery'] }] };
  t.ok(validateInterop(good), 'a minimal profile');
  const requirement = good.requirements[0]!;
  t.notOk(validateInterop({ ...good, requirements: [{ ...requirement, checks: undefined }] }), 'neither checks nor a reason');
  t.notOk(validateInterop({ ...good, requirements: [{ ...requirement, notTestedReason: 'because of reasons' }] }), 'both checks and a reason');
  t.notOk(validateInterop({ ...good, version: '1.0' }), 'not semver');
  t.notOk(validateInterop({ ...good, status: 'published' }), 'unknown status');
  t.notOk(validateInterop({ ...good, requirements: [{ ...requirement, level: 'must' }] }), 'level in lower case');
});

const allIds = new Map<string, string>();
const sharedComponents = new Map<string, { profile: string; value: unknown }>();

for (const id of BUNDLED_PROFILE_IDS) {
  t.test(`profile ${id}`, async (t) => {
    const document = readProfileDocument(id);
    t.equal(document['openapi'], '3.1.0');
    await t.resolves(SwaggerParser.validate(profilePath(id)), 'valid OpenAPI 3.1 (swagger-parser)');
    const interop = document['x-interop'] as Json;
    t.ok(validateInterop(interop), `x-interop valid: ${JSON.stringify(validateInterop.errors)}`);
    t.equal(interop['id'], id, 'id is the folder name');
    t.ok(readFileSync(join(packageRoot(), 'profiles', id, 'README.md'), 'utf8').length > 200, 'has a README');

    const requirements = interop['requirements'] as Json[];
    const checkOwners = new Map<string, string>();
    for (const requirement of requirements) {
      const rid = String(requirement['id']);
      t.ok(rid.startsWith(`${PREFIX[id]}-`), `${rid} has the ${PREFIX[id]}- prefix`);
      t.notOk(allIds.has(rid), `${rid} is unique across the catalogue`);
      allIds.set(rid, id);
      const checks = (requirement['checks'] as string[] | undefined) ?? [];
      t.ok(checks.length > 0 !== (typeof requirement['notTestedReason'] === 'string'), `${rid} has checks or a notTestedReason`);
      for (const check of checks) {
        t.ok(knownChecks.has(check), `${rid}: ${check} is a check AUTHORING.md lists`);
        // One requirement per check per profile, so a failure names one requirement.
        t.notOk(checkOwners.has(check), `${rid}: ${check} is not also named by ${checkOwners.get(check)}`);
        checkOwners.set(check, rid);
        const defects = DEFECTS.filter((defect) => defect.trips.some((trip) => trip.profile === id && trip.requirement === rid && trip.check === check));
        t.ok(defects.length > 0, `${rid} ${check} is broken by a planted defect (${defects.map((d) => d.name).join(', ')})`);
      }
    }

    if (id !== 'baseline') {
      t.same(document['security'], [{ oauth: [] }], 'top-level security is the oauth scheme');
      t.match((document['components'] as Json)['securitySchemes'], { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } } });
      t.same(interop['discovery'], { paths: ['/openapi.json', '/.well-known/openapi.json'] });
    }
    const codeLists = (interop['codeLists'] ?? {}) as Record<string, string[]>;
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(document['paths'] as Record<string, Json>)) {
      t.match(path, /^\/v1\//, `${path} carries the major version`);
      for (const [method, operation] of Object.entries(item)) {
        if (!isObject(operation)) continue;
        const opId = String(operation['operationId']);
        operationIds.add(opId);
        t.ok(typeof operation['description'] === 'string' && (operation['description'] as string).length > 20, `${opId} has a description`);
        const responses = operation['responses'] as Json;
        const isPublic = Array.isArray(operation['security']) && (operation['security'] as unknown[]).length === 0;
        t.equal('401' in responses, !isPublic, `${opId} documents 401 exactly when it is protected`);
        // 304 revalidates a 200 representation; a GET that only answers 202 (the export kick-off) has none.
        if (method === 'get' && id !== 'baseline' && '200' in responses) t.ok('304' in responses, `${opId} documents 304`);
      }
    }
    for (const defect of DEFECTS) {
      for (const trip of defect.trips.filter((trip) => trip.profile === id)) {
        t.ok(trip.operationId === '(service)' || operationIds.has(trip.operationId), `${defect.name}: ${trip.operationId} is in ${id}`);
        if (trip.requirement === null) {
          // A generic check of the negative phase, which no requirement names.
          t.ok(defect.runWith?.negative, `${defect.name}: a trip without a requirement is a negative defect`);
          continue;
        }
        const requirement = requirements.find((r) => r['id'] === trip.requirement);
        t.ok((requirement?.['checks'] as string[] | undefined)?.includes(trip.check), `${defect.name}: ${trip.requirement} is verified by ${trip.check}`);
      }
    }

    // Every x-interop-code-list names a declared list.
    const text = JSON.stringify(document);
    for (const match of text.matchAll(/"x-interop-code-list":"([A-Z0-9]+)"/g)) t.ok(codeLists[match[1] ?? ''], `code list ${match[1]} is declared`);

    // Every documented example validates against its schema.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const base = `https://interop-harness.example/profiles/${id}/openapi.json`;
    ajv.addSchema(document, base);
    const examples = documentedExamples(document);
    t.ok(examples.length > 30, `${examples.length} documented examples`);
    for (const { where, schemaPointer, value } of examples) {
      const validate = ajv.getSchema(`${base}#${schemaPointer.split('/').map(encodeURIComponent).join('/')}`);
      const ok = validate?.(value);
      t.ok(ok, `example ${where} is valid ${ok ? '' : JSON.stringify(validate?.errors)}`);
      for (const [list, codes] of Object.entries(codeLists)) {
        for (const found of JSON.stringify(value).matchAll(new RegExp(`"(${list}_[0-9]{4})"`, 'g'))) t.ok(codes.includes(found[1] ?? ''), `${where}: ${found[1]} is in ${list}`);
      }
    }

    for (const [kind, table] of Object.entries(document['components'] as Record<string, Json>)) {
      for (const [name, value] of Object.entries(table)) {
        const key = `${kind}/${name}`;
        const seen = sharedComponents.get(key);
        if (seen) t.ok(isDeepStrictEqual(seen.value, value), `${key} is the same in ${seen.profile} and ${id}`);
        else sharedComponents.set(key, { profile: id, value });
      }
    }
  });
}
