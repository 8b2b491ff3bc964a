import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import t, { type Test } from 'tap';
import { HarnessError } from '../../harness/errors.js';
import { resolvePointer } from '../../harness/json-pointer.js';
import { loadProfile } from '../../harness/profile/load-profile.js';
import type { LoadedProfile, OperationSpec } from '../../harness/profile/profile-types.js';

const documents = join(dirname(fileURLToPath(import.meta.url)), 'documents');
const doc = (name: string): string => join(documents, name);

function operation(profile: LoadedProfile, method: string, path: string): OperationSpec {
  const found = profile.operations.find((o) => o.method === method && o.path === path);
  if (found === undefined) throw new Error(`no ${method} ${path}`);
  return found;
}

async function rejectsWith(t: Test, source: string, code: string, pattern?: RegExp): Promise<void> {
  try {
    await loadProfile(source);
    t.fail(`expected ${code} for ${source}`);
  } catch (error) {
    t.ok(error instanceof HarnessError, 'a HarnessError');
    t.equal((error as HarnessError).code, code, `code for ${source}`);
    t.notMatch((error as Error).message, /\n/, 'message is one line');
    if (pattern) t.match((error as Error).message, pattern);
  }
}

t.test('OpenAPI 3.0.3 YAML: operations, parameters, responses and pointers', async (t) => {
  const profile = await loadProfile(doc('persons-3.0.yaml'));
  t.equal(profile.info.openapi, '3.0.3');
  t.equal(profile.info.title, 'Persons API');
  t.equal(profile.info.version, '1.4.0');
  t.equal(profile.info.id, 'persons-api', 'generic mode: id from info.title, slugified, not from the file name');
  t.equal(profile.info.mode, 'generic');
  t.same(profile.info.servers, ['https://persons.example.org/v1']);
  t.match(profile.info.sha256, /^[0-9a-f]{64}$/);
  t.equal(profile.info.source, doc('persons-3.0.yaml'));
  t.same(
    profile.operations.map((o) => `${o.method} ${o.path}`),
    ['GET /persons', 'POST /persons', 'GET /persons/{personId}', 'DELETE /persons/{personId}', 'GET /a~b/c'],
  );

  const list = operation(profile, 'GET', '/persons');
  t.equal(list.operationId, 'listPersons');
  t.equal(list.syntheticId, false);
  t.equal(list.summary, 'List persons');
  t.equal(list.secured, true, 'document-level security applies');
  t.equal(list.pointer, '/paths/~1persons/get');

  // $ref'd parameter followed; example from `example`, then from the first `examples` entry (itself a $ref).
  const [limit, q] = list.parameters;
  t.match(limit, { name: 'limit', in: 'query', required: false, schema: { type: 'integer' }, example: { value: 10 } });
  t.equal(limit?.pointer, '/components/parameters/Limit');
  t.match(q, { name: 'q', example: { value: 'Smith' } });

  t.same(list.responses.map((r) => r.key), ['200', '2XX', 'default'], 'range keys upper-cased');
  const ok = list.responses[0]!;
  t.equal(ok.content[0]?.mediaRange, 'application/json');
  const pointer = ok.content[0]?.schemaPointer ?? '';
  t.equal(pointer, '/paths/~1persons/get/responses/200/content/application~1json/schema');
  const lookup = resolvePointer(profile.document, pointer);
  t.ok(lookup.found, 'schema pointer resolves in the document');
  t.match(lookup.found ? lookup.value : undefined, { type: 'array', items: { $ref: '#/components/schemas/Person' } });
  t.same(ok.headers.map((h) => h.name), ['X-Total-Count'], 'Content-Type response header ignored');
  t.equal(ok.headers[0]?.required, true);
  t.match(resolvePointer(profile.document, ok.headers[0]?.schemaPointer ?? ''), { found: true, value: { type: 'integer' } });

  // $ref'd response followed: the pointer is where it lives.
  const problem = list.responses[2]!;
  t.equal(problem.pointer, '/components/responses/Problem');
  t.equal(problem.content[0]?.schemaPointer, '/components/responses/Problem/content/application~1problem+json/schema');
  t.match(resolvePointer(profile.document, problem.content[0]!.schemaPointer!), {
    found: true,
    value: { $ref: '#/components/schemas/Problem' },
  }, 'pointer at the schema as written, a $ref object');

  const create = operation(profile, 'POST', '/persons');
  t.equal(create.secured, false, 'security: [] means not secured');
  t.equal(create.requestBody?.required, true, '$ref request body followed');
  t.match(create.requestBody?.content[0], {
    mediaRange: 'application/json',
    schemaPointer: '/components/requestBodies/NewPerson/content/application~1json/schema',
    example: { value: { name: 'Ann' } },
  });

  // Path-level parameters merged; the operation's header overrides the path's (names compared case-insensitively).
  const read = operation(profile, 'GET', '/persons/{personId}');
  t.same(read.parameters.map((p) => `${p.in}:${p.name}:${p.required}`), ['path:personId:true', 'header:x-trace:true']);
  t.same(read.parameters[0]?.example, { value: 'p-1' });
  t.equal(read.responses[0]?.headers[0]?.schemaPointer, '/components/headers/ETag/schema', '$ref header followed');
  t.equal(read.responses[1]?.pointer, '/components/responses/Problem');
  const remove = operation(profile, 'DELETE', '/persons/{personId}');
  t.same(remove.parameters.map((p) => p.name), ['personId', 'X-Trace'], 'path-level parameters without override');

  const odd = operation(profile, 'GET', '/a~b/c');
  t.equal(odd.pointer, '/paths/~1a~0b~1c/get', 'RFC 6901 escaping of ~ and /');
  t.match(resolvePointer(profile.document, odd.responses[0]!.content[0]!.schemaPointer!), { found: true, value: { type: 'string' } });

  // The only problem in this document: a lower-case range key, which OpenAPI 3.0 does not allow.
  t.same(profile.warnings.map((w) => w.code), ['openapi-invalid']);
  t.equal(profile.warnings[0]?.location, '/paths/~1persons/get/responses/2xx');
});

t.test('synthetic operation ids are readable, stable and unique', async (t) => {
  const first = await loadProfile(doc('persons-3.0.yaml'));
  const second = await loadProfile(doc('persons-3.0.yaml'));
  t.same(first.operations.map((o) => o.operationId), second.operations.map((o) => o.operationId), 'stable across loads');
  const ids = first.operations.map((o) => o.operationId);
  t.equal(new Set(ids).size, ids.length, 'unique');
  t.equal(operation(first, 'POST', '/persons').operationId, 'post_persons');
  t.equal(operation(first, 'POST', '/persons').syntheticId, true);
  // DELETE declares the id GET would have been given, so the synthetic one steps aside.
  t.equal(operation(first, 'DELETE', '/persons/{personId}').operationId, 'get_persons_personId');
  t.equal(operation(first, 'GET', '/persons/{personId}').operationId, 'get_persons_personId_2');
  t.equal(operation(first, 'GET', '/a~b/c').operationId, 'get_a_b_c');
});

t.test('recursive schemas stay as $ref and the document serialises', async (t) => {
  const profile = await loadProfile(doc('persons-3.0.yaml'));
  t.doesNotThrow(() => JSON.stringify(profile.document));
  t.match(resolvePointer(profile.document, '/components/schemas/Person/properties/parent'), {
    found: true,
    value: { $ref: '#/components/schemas/Person' },
  });
});

t.test('OpenAPI 3.1.0 JSON loads', async (t) => {
  const profile = await loadProfile(doc('persons-3.1.json'));
  t.equal(profile.info.openapi, '3.1.0');
  t.equal(profile.operations.length, 1);
  const op = profile.operations[0]!;
  t.equal(op.operationId, 'getPerson');
  t.equal(op.secured, false);
  t.same(op.responses.map((r) => r.key), ['200', '4XX']);
  t.match(resolvePointer(profile.document, op.responses[0]!.content[0]!.schemaPointer!), {
    found: true,
    value: { $ref: '#/components/schemas/Person' },
  });
  t.doesNotThrow(() => JSON.stringify(profile.document));
  t.same(profile.warnings, []);
});

t.test('an external $ref to a file inside the folder is bundled', async (t) => {
  const profile = await loadProfile(doc('split/openapi.yaml'));
  const pointer = profile.operations[0]!.responses[0]!.content[0]!.schemaPointer!;
  const schema = resolvePointer(profile.document, pointer);
  t.match(schema, { found: true, value: { type: 'object', properties: { name: { type: 'string' } } } });
  t.notMatch(JSON.stringify(profile.document), /\.yaml/, 'no external $ref left');
  t.match(JSON.stringify(profile.document), /"street"/, 'nested external file bundled too');
});

t.test('$refs leaving the folder or the machine are refused', async (t) => {
  await rejectsWith(t, doc('refused/parent/openapi.yaml'), 'PROFILE_REF_REFUSED', /\$ref "\.\.\/outside\.yaml" in .*refused\/parent\/openapi\.yaml/);
  await rejectsWith(t, doc('refused/absolute/openapi.yaml'), 'PROFILE_REF_REFUSED', /\$ref "\/etc\/passwd" in .*openapi\.yaml.*outside the profile folder/);
  await rejectsWith(t, doc('refused/file-url/openapi.yaml'), 'PROFILE_REF_REFUSED', /file:\/\/\/etc\/passwd/);
  await rejectsWith(t, doc('refused/remote/openapi.yaml'), 'PROFILE_REF_REFUSED', /\$ref "https:\/\/example\.invalid\/x\.yaml" in .*--allow-remote-refs/);
});

t.test('a missing referenced file is PROFILE_REF_UNRESOLVED naming the ref', async (t) => {
  await rejectsWith(t, doc('missing-ref/openapi.yaml'), 'PROFILE_REF_UNRESOLVED', /\$ref "\.\/nope\.yaml#\/Thing".*not found/);
});

t.test('Swagger 2.0 is converted to OpenAPI 3', async (t) => {
  const profile = await loadProfile(doc('swagger-2.0.yaml'));
  t.equal(profile.info.convertedFrom, 'swagger-2.0');
  t.match(profile.info.openapi, /^3\.0\./);
  t.same(profile.info.servers, ['https://old.example.org/api']);
  const get = operation(profile, 'GET', '/things/{thingId}');
  t.equal(get.operationId, 'getThing');
  t.same(get.parameters.map((p) => `${p.in}:${p.name}`), ['path:thingId']);
  t.match(resolvePointer(profile.document, get.responses[0]!.content[0]!.schemaPointer!), {
    found: true,
    value: { $ref: '#/components/schemas/Thing' },
  });
  t.match(resolvePointer(profile.document, '/components/schemas/Thing'), { found: true, value: { type: 'object' } });
  t.equal(get.responses[0]?.headers[0]?.name, 'X-Rate-Limit');
  const post = operation(profile, 'POST', '/things');
  t.equal(post.requestBody?.required, true, 'body parameter became a request body');
  t.equal(post.requestBody?.content[0]?.mediaRange, 'application/json');
});

t.test('bad input gets the right code', async (t) => {
  await rejectsWith(t, doc('does-not-exist.yaml'), 'PROFILE_NOT_FOUND', /does-not-exist\.yaml/);
  await rejectsWith(t, doc('split'), 'PROFILE_UNREADABLE', /directory/);
  await rejectsWith(t, doc('invalid.yaml'), 'PROFILE_PARSE', /invalid\.yaml: invalid YAML at line \d+, column \d+/);
  await rejectsWith(t, doc('invalid.json'), 'PROFILE_PARSE', /invalid\.json: invalid JSON at line 3, column 26/);
  await rejectsWith(t, doc('array.json'), 'PROFILE_INVALID', /array\.json.*found a list/);
  await rejectsWith(t, doc('openapi-4.yaml'), 'PROFILE_INVALID', /field "openapi" is "4\.0\.0"/);
  await rejectsWith(t, doc('no-paths.yaml'), 'PROFILE_NOTHING_TO_PROBE', /no "paths"/);
  await rejectsWith(t, doc('empty-paths.yaml'), 'PROFILE_NOTHING_TO_PROBE', /no operations/);
  await rejectsWith(t, 'no-such-bundled-profile', 'PROFILE_NOT_FOUND', /bundled/);
});

t.test('the alias bomb is refused by the expansion bound, not expanded', async (t) => {
  // What is asserted is the outcome, not the time: PROFILE_TOO_LARGE comes only from the bound.
  await rejectsWith(t, doc('alias-bomb.yaml'), 'PROFILE_TOO_LARGE', /aliases expand the document past/);
});

t.test('a messy document loads, with located warnings', async (t) => {
  const profile = await loadProfile(doc('messy.yaml'));
  t.same(profile.info.servers, ['https://somewhere-else.example.com'], 'servers elsewhere are just recorded');
  t.same(profile.operations.map((o) => o.operationId), ['getCountry', 'getCountry_2', 'get_regions']);
  const byCode = (code: string) => profile.warnings.filter((w) => w.code === code);

  t.same(byCode('duplicate-path-template').map((w) => w.location), ['/paths/~1countries~1{countries}'], 'warned at the second path');
  t.match(byCode('duplicate-path-template')[0]?.message, /only parameter names differ\): a GET request matches both/);
  t.same(byCode('duplicate-operation-id').map((w) => w.location), ['/paths/~1countries~1{countries}/get/operationId']);
  t.same(byCode('non-standard-key').map((w) => w.location).sort(), [
    '/components/schemas/Country/properties/name/exampleSetFlag',
    '/components/schemas/Country/properties/region/originalRef',
    '/paths/~1countries~1{country}/get/responses/200/content/application~1json/schema/originalRef',
  ]);
  t.same(byCode('ref-unresolved').map((w) => w.location).sort(), [
    '/paths/~1countries~1{countries}/get/parameters/2',
    '/paths/~1regions/get/responses/200/content/application~1json/schema',
  ], 'each dangling $ref reported once');
  t.same(byCode('parameter-invalid').map((w) => w.location), ['/paths/~1countries~1{countries}/get/parameters/1']);
  const invalid = byCode('openapi-invalid');
  t.ok(invalid.some((w) => w.location === '/paths/~1countries~1{countries}/get' && /responses/.test(w.message)), 'missing responses reported');
  t.ok(invalid.some((w) => w.location === '/info/version'), 'numeric info.version reported');
  for (const warning of profile.warnings) {
    if (warning.location !== '') t.ok(resolvePointer(profile.document, warning.location).found, `location exists: ${warning.location}`);
  }
});

t.test('x-interop requirements are read; bad entries become warnings', async (t) => {
  const profile = await loadProfile(doc('x-interop.yaml'));
  t.equal(profile.info.mode, 'profile');
  t.equal(profile.info.id, 'person-search');
  t.equal(profile.info.version, '1.1.0', 'x-interop.version wins over info.version');
  t.same(profile.requirements, [
    { id: 'PS-001', level: 'MUST', statement: 'Search returns 200 with a JSON list.', checks: ['status-code', 'response-schema'] },
    { id: 'PS-002', level: 'SHOULD', statement: 'Responses carry an ETag.', checks: [] },
    { id: 'PS-004', level: 'MAY', statement: 'Bad checks entry.', checks: ['ok-check'] },
  ]);
  t.same(
    profile.warnings.filter((w) => w.code === 'x-interop-invalid').map((w) => w.location),
    ['/x-interop/requirements/2/level', '/x-interop/requirements/3', '/x-interop/requirements/4', '/x-interop/requirements/5/checks/1'],
  );
});

t.test('a required name a schema cannot mean is warned: refused by additionalProperties: false, or a near miss of a described one', async (t) => {
  // Found with Mockoon: codat's `required: [datatype]` beside `dataType`, microcks' `elapsedTome` beside `elapsedTime`.
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/fields': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Field' } } } } } } } },
      components: {
        schemas: {
          Field: { type: 'object', required: ['datatype', 'name'], properties: { dataType: { type: 'string' }, name: { type: 'string' } } },
          Step: { type: 'object', required: ['elapsedTome'], properties: { elapsedTime: { type: 'integer' } } },
          Closed: { type: 'object', additionalProperties: false, required: ['id', 'kind'], properties: { id: { type: 'string' } } },
          Open: { type: 'object', required: ['extra'], properties: { id: { type: 'string' } } },
          Part: { allOf: [{ type: 'object', properties: { kind: { type: 'string' } } }, { required: ['knd'], properties: { id: { type: 'string' } } }] },
          Composed: { allOf: [{ $ref: '#/components/schemas/Open' }], required: ['ID'], properties: { id: { type: 'string' } } },
        },
      },
    }),
  });
  const profile = await loadProfile(join(dir, 'openapi.json'));
  t.same(
    profile.warnings.filter((w) => w.code === 'required-undescribed').map((w) => [w.location, w.message]),
    [
      ['/components/schemas/Field/required', 'requires datatype, which its properties do not describe; they describe dataType, which a body may then carry without datatype and fail'],
      ['/components/schemas/Step/required', 'requires elapsedTome, which its properties do not describe; they describe elapsedTime, which a body may then carry without elapsedTome and fail'],
      ['/components/schemas/Closed/required', 'requires kind, which its properties do not describe and additionalProperties: false refuses, so no value matches this schema'],
    ],
    'an undescribed name is otherwise legal, and a branch or a composed schema may take it from elsewhere',
  );
});

t.test('a document of webhooks alone says that webhooks cannot be probed', async (t) => {
  // Adyen's notification documents (OpenAPI 3.1) have empty paths and up to 19 webhooks; the message said nothing of them.
  const webhook = { post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '200': { description: 'ok' } } } };
  const dir = t.testdir({
    'empty-paths.json': JSON.stringify({ openapi: '3.1.0', info: { title: 'n', version: '1' }, paths: {}, webhooks: { balance: webhook, transfer: webhook } }),
    'no-paths.json': JSON.stringify({ openapi: '3.1.0', info: { title: 'n', version: '1' }, webhooks: { balance: webhook } }),
  });
  await rejectsWith(t, join(dir, 'empty-paths.json'), 'PROFILE_NOTHING_TO_PROBE', /declares no operations under "paths"; its 2 webhooks are requests the supplier sends, which a probe cannot make it send, so there is nothing to probe$/);
  await rejectsWith(t, join(dir, 'no-paths.json'), 'PROFILE_NOTHING_TO_PROBE', /has no "paths"; its webhook is a request the supplier sends, which a probe cannot make it send, so there is no operation to probe$/);
});
