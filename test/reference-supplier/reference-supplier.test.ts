/**
 * The baseline profile is internally consistent, the reference supplier
 * conforms to it, and every planted defect changes exactly what it claims.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { parse } from 'yaml';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { DEFECTS, DEFECT_NAMES, resolveDefects } from '../../fixtures/defects/index.js';
import { baselineProfilePath } from '../../fixtures/reference-supplier/baseline-profile.js';
import { packageRoot } from '../../harness/package-root.js';
import { createReferenceSupplier, decodeCursor, encodeCursor } from '../../fixtures/reference-supplier/create-reference-supplier.js';
import { createSeedData, mulberry32 } from '../../fixtures/reference-supplier/seed-data.js';
import { startReferenceSupplier, type RunningReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { referenceToken } from '../support/reference-token.js';

type Json = Record<string, unknown>;

/** The defects planted against the baseline profile; the others are tested in defect-symptoms.test.ts, the negative ones in detection-matrix.test.ts. */
const BASELINE_DEFECTS = DEFECTS.filter((defect) => defect.trips.every((trip) => trip.profile === 'baseline') && !defect.runWith?.negative);

// ajv-formats is CommonJS; under NodeNext its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const PROFILE_ID = 'https://interop-harness.example/profiles/baseline/openapi.json';
const profile = parse(readFileSync(baselineProfilePath(), 'utf8')) as Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The whole document as one schema resource, so `#/components/...` refs resolve.
ajv.addSchema(profile, PROFILE_ID);

/** The bearer token of the supplier started last by {@link withSupplier}; every /v1/ call but the status needs one. */
let token = '';

/** fetch with the current bearer token. */
function authed(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });
}

const METHODS = ['get', 'head', 'put', 'post', 'delete', 'patch', 'options', 'trace'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Follow one local `$ref`, returning the target and its pointer. */
function deref(node: unknown, pointer: string): { node: Json; pointer: string } {
  if (isObject(node) && typeof node['$ref'] === 'string') {
    const ref = node['$ref'];
    if (!ref.startsWith('#/')) throw new Error(`non-local $ref ${ref}`);
    let target: unknown = profile;
    for (const raw of ref.slice(2).split('/')) {
      const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      target = isObject(target) ? target[segment] : undefined;
    }
    if (!isObject(target)) throw new Error(`unresolved $ref ${ref}`);
    return { node: target, pointer: ref.slice(1) };
  }
  if (!isObject(node)) throw new Error(`expected an object at ${pointer}`);
  return { node, pointer };
}

/** Validate `value` against the schema at `pointer` in the profile; errors or []. */
function schemaErrors(pointer: string, value: unknown): string[] {
  const fragment = pointer.split('/').map(encodeURIComponent).join('/');
  const validate = ajv.getSchema(`${PROFILE_ID}#${fragment}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? error.keyword}`);
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  node: Json;
}

function operations(): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries(profile['paths'] as Json)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const node = item[method];
      if (!isObject(node)) continue;
      found.push({
        operationId: String(node['operationId']),
        method: method.toUpperCase(),
        path,
        pointer: `/paths/${escapePointer(path)}/${method}`,
        node,
      });
    }
  }
  return found;
}

/** Every `(pointer of schema, example)` pair the document states. */
function documentedExamples(): Array<{ where: string; schemaPointer: string; value: unknown }> {
  const pairs: Array<{ where: string; schemaPointer: string; value: unknown }> = [];
  function walk(node: unknown, pointer: string): void {
    if (Array.isArray(node)) {
      node.forEach((child, index) => walk(child, `${pointer}/${index}`));
      return;
    }
    if (!isObject(node)) return;
    // In OpenAPI, `examples` as an array only occurs on a JSON Schema.
    if (Array.isArray(node['examples'])) {
      node['examples'].forEach((value, index) => pairs.push({ where: `${pointer}/examples/${index}`, schemaPointer: pointer, value }));
    }
    // Parameter, header and media type objects: `example` beside `schema`.
    if ('example' in node && 'schema' in node) {
      pairs.push({ where: `${pointer}/example`, schemaPointer: `${pointer}/schema`, value: node['example'] });
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'examples' || key === 'example' || key === 'x-interop') continue;
      walk(child, `${pointer}/${escapePointer(key)}`);
    }
  }
  walk(profile, '');
  return pairs;
}

t.test('baseline profile', async (t) => {
  t.equal(profile['openapi'], '3.1.0');
  // Structural validity against the OpenAPI 3.1 schema, by an independent validator.
  await t.resolves(SwaggerParser.validate(baselineProfilePath()), 'valid OpenAPI 3.1');
  const interop = profile['x-interop'] as Json;
  t.match(interop, { id: 'baseline', version: '0.1.0', status: 'draft', principles: ['interoperability-first'] });
  const requirements = interop['requirements'] as Json[];
  t.same(
    requirements.map((r) => [r['id'], r['level'], r['checks']]),
    [
      ['BASE-01', 'MUST', ['server-error']],
      ['BASE-02', 'MUST', ['status-code']],
      ['BASE-03', 'MUST', ['content-type']],
      ['BASE-04', 'MUST', ['response-schema']],
      ['BASE-05', 'SHOULD', ['response-headers']],
    ],
  );
  for (const requirement of requirements) {
    t.match(requirement, { statement: String, principle: 'interoperability-first', source: { standard: String, section: String } }, `${String(requirement['id'])} is traced to a source`);
  }

  const ops = operations();
  t.same(
    ops.map((op) => `${op.method} ${op.path} ${op.operationId}`).sort(),
    [
      'GET /v1/events listEvents',
      'GET /v1/events/{eventId} getEvent',
      'GET /v1/persons listPersons',
      'GET /v1/persons/{personId} getPerson',
      'GET /v1/status getStatus',
      'HEAD /v1/persons headPersons',
    ],
  );
  for (const op of ops) {
    t.ok(typeof op.node['description'] === 'string' && op.node['description'].length > 10, `${op.operationId} has a description`);
    t.notOk('default' in (op.node['responses'] as Json), `${op.operationId} has no default response, so undocumented statuses show`);
    for (const [index, raw] of ((op.node['parameters'] as unknown[] | undefined) ?? []).entries()) {
      const { node: parameter } = deref(raw, `${op.pointer}/parameters/${index}`);
      t.type(parameter['description'], 'string', `${op.operationId} ${String(parameter['name'])} has a description`);
      // eventId is the one deliberate exception: the harness must harvest it.
      if (parameter['name'] !== 'eventId') t.ok('example' in parameter, `${op.operationId} ${String(parameter['name'])} has an example`);
    }
    for (const [status, raw] of Object.entries(op.node['responses'] as Json)) {
      const { node: response } = deref(raw, `${op.pointer}/responses/${status}`);
      for (const [mediaType, media] of Object.entries((response['content'] as Json | undefined) ?? {})) {
        t.ok(isObject(media) && 'example' in media, `${op.operationId} ${status} ${mediaType} has an example`);
      }
    }
  }
  const eventId = deref(((profile['paths'] as Json)['/v1/events/{eventId}'] as Json)['get'], '').node['parameters'] as Json[];
  t.notOk('example' in (eventId[0] ?? {}), 'eventId has no example');

  for (const [name, schema] of Object.entries((profile['components'] as Json)['schemas'] as Json)) {
    t.ok(isObject(schema) && typeof schema['description'] === 'string' && Array.isArray(schema['examples']), `schema ${name} has a description and examples`);
  }

  const examples = documentedExamples();
  t.ok(examples.length > 40, `found ${examples.length} documented examples`);
  for (const { where, schemaPointer, value } of examples) {
    t.same(schemaErrors(schemaPointer, value), [], `example ${where} is valid`);
  }

  // Negative controls: the schemas really catch what the defects plant.
  const person = (((profile['components'] as Json)['schemas'] as Json)['Person'] as Json)['examples'] as Json[];
  const { familyName: _familyName, ...withoutFamilyName } = person[0] ?? {};
  t.not(schemaErrors('/components/schemas/Person', { ...withoutFamilyName, dateOfBirth: 19840317 }).length, 0, 'bad person rejected');
  t.not(schemaErrors('/components/schemas/Person', { ...person[0], extra: 1 }).length, 0, 'stray field rejected');
  t.not(schemaErrors('/components/headers/XTotalCount/schema', 'many').length, 0, 'header schema rejects a word');
});

t.test('seed data', async (t) => {
  t.same(createSeedData(42, 5), createSeedData(42, 5), 'same seed, same data');
  t.not(JSON.stringify(createSeedData(42, 5)), JSON.stringify(createSeedData(43, 5)), 'different seed, different data');
  const draw = (seed: number): number[] => Array.from({ length: 100 }, mulberry32(seed));
  t.same(draw(1), draw(1), 'PRNG is deterministic');
  t.ok(draw(1).every((value) => value >= 0 && value < 1), 'PRNG stays in [0, 1)');
  const data = createSeedData(9, 30);
  const ids = new Set(data.persons.map((person) => person.id));
  for (const event of data.events) {
    for (const id of event.relatedPersonIds) t.ok(ids.has(id), `${event.id} links an existing person`);
  }
  for (const person of data.persons) {
    t.same(schemaErrors('/components/schemas/Person', person), [], `${person.id} is valid`);
    t.ok(person.updatedAt >= person.createdAt, `${person.id} updated after created`);
  }
  for (const event of data.events) t.same(schemaErrors('/components/schemas/Event', event), [], `${event.id} is valid`);
  t.throws(() => createSeedData(1, -1), RangeError);
});

t.test('cursor round trip', async (t) => {
  t.equal(decodeCursor(encodeCursor(40)), 40);
  t.equal(encodeCursor(1), 'bzox', 'matches the profile example (second item onwards)');
  t.equal(encodeCursor(20), 'bzoyMA', 'matches the PageLinks example');
  t.equal(decodeCursor('not-a-cursor'), undefined);
});

/** What one probe of one operation saw, reduced to what the five checks judge. */
interface Observation {
  status: number;
  mediaType: string | null;
  /** Schema errors against the documented schema; null when none is documented. */
  schemaErrors: string[] | null;
  totalCount: string | null;
  body: unknown;
}

/**
 * Probe every documented operation once, as the engine would: path values
 * from `example`, else harvested from the list one level up.
 */
async function observe(url: string): Promise<Map<string, Observation>> {
  const seen = new Map<string, Observation>();
  const ops = operations();
  // Lists before items, so ids can be harvested.
  ops.sort((a, b) => a.path.length - b.path.length);
  for (const op of ops) {
    let path = op.path;
    let missing = false;
    for (const [index, raw] of ((op.node['parameters'] as unknown[] | undefined) ?? []).entries()) {
      const { node: parameter } = deref(raw, `${op.pointer}/parameters/${index}`);
      if (parameter['in'] !== 'path') continue;
      let value = parameter['example'];
      if (value === undefined) {
        const list = ops.find((other) => other.method === 'GET' && op.path.startsWith(`${other.path}/`));
        const listBody = list ? seen.get(list.operationId)?.body : undefined;
        const data = isObject(listBody) && Array.isArray(listBody['data']) ? listBody['data'] : [];
        value = isObject(data[0]) ? data[0]['id'] : undefined;
      }
      if (typeof value !== 'string') missing = true;
      else path = path.replace(`{${String(parameter['name'])}}`, encodeURIComponent(value));
    }
    if (missing) continue;
    const response = await authed(url + path, { method: op.method });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const mediaType = contentType === null ? null : (contentType.split(';')[0] ?? '').trim().toLowerCase();
    const responses = op.node['responses'] as Json;
    const isJson = mediaType !== null && /[/+]json$/.test(mediaType);
    const body: unknown = text === '' ? undefined : isJson ? JSON.parse(text) : text;
    let errors: string[] | null = null;
    const documented = responses[String(response.status)];
    if (documented !== undefined && mediaType !== null && isJson) {
      const { node, pointer } = deref(documented, `${op.pointer}/responses/${response.status}`);
      const content = (node['content'] as Json | undefined) ?? {};
      if (isObject(content[mediaType])) errors = schemaErrors(`${pointer}/content/${escapePointer(mediaType)}/schema`, body);
    }
    seen.set(op.operationId, { status: response.status, mediaType, schemaErrors: errors, totalCount: response.headers.get('x-total-count'), body });
  }
  return seen;
}

/** The part of an observation that must not change when a defect targets another operation. */
function verdictShape(observation: Observation | undefined): unknown {
  if (!observation) return 'not probed';
  return {
    status: observation.status,
    mediaType: observation.mediaType,
    schemaValid: observation.schemaErrors === null ? null : observation.schemaErrors.length === 0,
    totalCount: observation.totalCount,
  };
}

async function withSupplier<T>(options: Parameters<typeof startReferenceSupplier>[0], use: (supplier: RunningReferenceSupplier) => Promise<T>): Promise<T> {
  const supplier = await startReferenceSupplier(options);
  token = await referenceToken(supplier);
  try {
    return await use(supplier);
  } finally {
    await supplier.close();
  }
}

t.test('reference supplier conforms', async (t) => {
  await withSupplier({ records: 25 }, async ({ url }) => {
    t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const seen = await observe(url);
    t.same([...seen.keys()].sort(), ['getEvent', 'getPerson', 'getStatus', 'headPersons', 'listEvents', 'listPersons']);
    for (const [operationId, observation] of seen) {
      t.equal(observation.status, 200, `${operationId} 200`);
      t.same(observation.schemaErrors ?? [], [], `${operationId} body valid`);
    }
    t.equal(seen.get('listPersons')?.totalCount, '25');
    t.equal(seen.get('headPersons')?.totalCount, '25');
    t.equal(seen.get('headPersons')?.mediaType, null, 'HEAD sends no Content-Type');
    t.equal(seen.get('headPersons')?.body, undefined, 'HEAD sends no body');
    t.equal(seen.get('getEvent')?.schemaErrors?.length, 0, 'getEvent probed with a harvested id');

    const served = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Json };
    // The supplier's document describes every bundled profile; each baseline operation is in it.
    for (const op of operations()) {
      t.equal(((served.paths[op.path] as Json | undefined)?.[op.method.toLowerCase()] as Json | undefined)?.['operationId'], op.operationId, `/openapi.json describes ${op.operationId}`);
    }
  });
});

t.test('determinism', async (t) => {
  async function firstPerson(seed: number): Promise<unknown> {
    return withSupplier({ seed, records: 5 }, async ({ url }) => {
      const page = (await (await authed(`${url}/v1/persons?limit=1`)).json()) as { data: unknown[] };
      return page.data[0];
    });
  }
  const a = await firstPerson(1234);
  t.same(await firstPerson(1234), a, 'same seed gives the same first person');
  t.not(JSON.stringify(await firstPerson(4321)), JSON.stringify(a), 'another seed gives another person');
});

t.test('pagination', async (t) => {
  await withSupplier({ records: 47 }, async ({ url }) => {
    const ids: string[] = [];
    let next: string | undefined = `${url}/v1/persons?limit=10`;
    let pages = 0;
    while (next !== undefined) {
      t.ok(next.startsWith(`${url}/v1/persons?`), `next is absolute on the same origin: ${next}`);
      const response: Response = await authed(next);
      t.equal(response.status, 200);
      t.equal(response.headers.get('x-total-count'), '47');
      const page = (await response.json()) as { data: Array<{ id: string }>; links: { self: string; next?: string } };
      t.equal(page.links.self, next, 'self is the page requested');
      t.same(schemaErrors('/components/schemas/PersonList', page), []);
      ids.push(...page.data.map((person) => person.id));
      next = page.links.next;
      pages++;
      if (pages > 10) break;
    }
    t.equal(pages, 5);
    t.equal(ids.length, 47);
    t.equal(new Set(ids).size, 47, 'no duplicates');
    t.same(ids, Array.from({ length: 47 }, (_, index) => `PER-${String(index + 1).padStart(6, '0')}`));

    const defaultPage = (await (await authed(`${url}/v1/events`)).json()) as { data: unknown[]; links: { next?: string } };
    t.equal(defaultPage.data.length, 20, 'default limit is 20');
    t.type(defaultPage.links.next, 'string');
    const all = (await (await authed(`${url}/v1/events?limit=100`)).json()) as { data: unknown[]; links: { next?: string } };
    t.equal(all.data.length, 47);
    t.equal(all.links.next, undefined, 'no next on the last page');
  });
});

t.test('errors are problem+json', async (t) => {
  await withSupplier({ records: 3 }, async ({ url }) => {
    const cases: Array<[string, number]> = [
      ['/v1/persons/PER-999999', 404],
      ['/v1/events/EVT-999999', 404],
      ['/v1/persons?limit=0', 400],
      ['/v1/persons?limit=101', 400],
      ['/v1/persons?limit=ten', 400],
      ['/v1/persons?limit=1&limit=2', 400],
      ['/v1/events?cursor=garbage', 400],
      [`/v1/events?cursor=${encodeCursor(3)}`, 400],
      ['/v2/nothing', 404],
    ];
    for (const [path, status] of cases) {
      const response = await authed(url + path);
      t.equal(response.status, status, `${path} -> ${status}`);
      t.match(response.headers.get('content-type'), /^application\/problem\+json/, `${path} problem+json`);
      const body = (await response.json()) as Json;
      t.same(schemaErrors('/components/schemas/Problem', body), [], `${path} valid problem`);
      t.equal(body['status'], status);
    }
  });
});

t.test('defect registry', async (t) => {
  const requirements = new Map(((profile['x-interop'] as Json)['requirements'] as Json[]).map((r) => [r['id'], r]));
  const operationIds = new Set(operations().map((op) => op.operationId));
  const root = packageRoot();
  t.equal(new Set(DEFECT_NAMES).size, DEFECTS.length, 'names are unique');
  t.equal(BASELINE_DEFECTS.length, 7, 'the seven baseline defects');
  for (const name of ['server-error', 'undocumented-status', 'wrong-content-type', 'schema-violation', 'response-header-missing', 'invalid-header-value']) {
    t.ok((DEFECT_NAMES as readonly string[]).includes(name), `${name} is registered`);
  }
  for (const defect of BASELINE_DEFECTS) {
    t.ok(existsSync(join(root, 'fixtures', 'defects', `defect-${defect.name}.ts`)), `defect-${defect.name}.ts exists`);
    t.notMatch(defect.description, /\n/, `${defect.name} description is one line`);
    t.ok(defect.trips.length > 0);
    for (const trip of defect.trips) {
      t.ok(operationIds.has(trip.operationId), `${defect.name}: ${trip.operationId} is in the profile`);
      const requirement = requirements.get(trip.requirement);
      t.ok(requirement, `${defect.name}: ${trip.requirement} exists`);
      t.ok((requirement?.['checks'] as string[] | undefined)?.includes(trip.check), `${defect.name}: ${trip.requirement} is verified by ${trip.check}`);
    }
  }
  t.throws(() => createReferenceSupplier({ defects: ['no-such-defect'] }), /Unknown defect "no-such-defect".*valid defects: server-error, /);
  t.throws(() => resolveDefects(['server-error', 'typo']), /typo/);
  t.same(resolveDefects(['server-error', 'server-error']).map((defect) => defect.name), ['server-error'], 'duplicates collapse');
});

t.test('each defect changes only what it says', async (t) => {
  const baseline = await withSupplier({ records: 25 }, ({ url }) => observe(url));

  /** Concrete symptom of each defect, asserted on the observation of its target operation. */
  const symptoms: Record<string, (t: Test, seen: Map<string, Observation>) => void> = {
    'server-error': (t, seen) => {
      const list = seen.get('listEvents');
      t.equal(list?.status, 503);
      t.equal(list?.mediaType, 'application/problem+json');
      t.equal(seen.get('getEvent'), undefined, 'no event id to harvest, so getEvent is not probed');
    },
    'undocumented-status': (t, seen) => {
      const status = seen.get('getStatus');
      t.equal(status?.status, 202);
      t.equal(status?.mediaType, 'application/json');
      t.match(status?.body, { status: 'ok' }, 'the body is still the normal status');
    },
    'wrong-content-type': (t, seen) => {
      const person = seen.get('getPerson');
      t.equal(person?.status, 200);
      t.equal(person?.mediaType, 'text/plain');
      t.match(JSON.parse(String(person?.body)), { id: 'PER-000001' }, 'the body is still the person as JSON');
    },
    'schema-violation': (t, seen) => {
      const list = seen.get('listPersons');
      t.equal(list?.status, 200);
      const bad = (list?.body as { data: Json[] }).data[1];
      t.type(bad?.['dateOfBirth'], 'number');
      t.notOk(bad && 'familyName' in bad, 'familyName missing');
      t.same(
        [...new Set(list?.schemaErrors)].sort(),
        ['/data/1 must have required property \'familyName\'', '/data/1/dateOfBirth must be string'],
      );
    },
    'response-header-missing': (t, seen) => {
      t.equal(seen.get('listPersons')?.totalCount, null);
      t.equal(seen.get('listPersons')?.schemaErrors?.length, 0, 'body still valid');
    },
    'invalid-header-value': (t, seen) => {
      t.equal(seen.get('listPersons')?.totalCount, 'many');
    },
    'stray-field': (t, seen) => {
      const event = seen.get('getEvent');
      t.equal(event?.status, 200);
      t.match(event?.body, { internalReference: String });
      t.same(event?.schemaErrors, [' must NOT have additional properties']);
    },
  };

  for (const defect of BASELINE_DEFECTS) {
    await t.test(defect.name, async (t) => {
      const seen = await withSupplier({ records: 25, defects: [defect.name] }, ({ url }) => observe(url));
      const targets = new Set(defect.trips.map((trip) => trip.operationId));
      const symptom = symptoms[defect.name];
      t.ok(symptom, 'has an asserted symptom');
      symptom?.(t, seen);
      for (const [operationId, observation] of baseline) {
        // The 503 on the event list also takes away getEvent's harvested id.
        if (targets.has(operationId) || (defect.name === 'server-error' && operationId === 'getEvent')) continue;
        t.same(verdictShape(seen.get(operationId)), verdictShape(observation), `${operationId} unchanged`);
      }
      for (const operationId of targets) {
        t.notSame(verdictShape(seen.get(operationId)), verdictShape(baseline.get(operationId)), `${operationId} changed`);
      }
    });
  }
});
