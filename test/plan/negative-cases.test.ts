import t from 'tap';
import { numberBoundaries, sizeBoundaries } from '../../harness/plan/boundary-values.js';
import { chooseNegativeCases, negativeCases, unsupportedMethodCase, type ReadyProbe } from '../../harness/plan/negative-cases.js';
import { planProbe, type PlanContext } from '../../harness/plan/plan-probe.js';
import { createRandom } from '../../harness/plan/seeded-random.js';
import { createValueHarvest } from '../../harness/plan/value-harvest.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';
import { operation, param } from '../support/plan-specs.js';

const document = { components: { schemas: { ThingId: { type: 'string', pattern: '^T-[0-9]{4}$' } } } };
const context: PlanContext = { document, target: new URL('http://127.0.0.1:9/api/'), vars: {}, headers: { 'user-agent': 'probe' }, allowWrites: false };

function ready(op: OperationSpec, over: Partial<PlanContext> = {}): ReadyProbe {
  const plan = planProbe(op, { ...context, ...over }, createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(`not ready: ${plan.kind}`);
  return plan;
}

const listThings = operation({
  operationId: 'listThings',
  path: '/things/{thingId}/parts',
  parameters: [
    param({ name: 'thingId', in: 'path', example: { value: 'T-0001' }, schema: { $ref: '#/components/schemas/ThingId' } }),
    param({ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }),
    param({ name: 'name', in: 'query', schema: { type: 'string', minLength: 2, maxLength: 10, example: 'abcd' } }),
    param({ name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['asc', 'desc'] } }),
    param({ name: 'X-Request-Id', in: 'header', schema: { type: 'string', format: 'uuid' } }),
    param({ name: 'from', in: 'query', required: false, schema: { type: 'number', exclusiveMinimum: 0, maximum: 5 } }),
    param({ name: 'tags', in: 'query', required: false, schema: { type: 'array', minItems: 2, maxItems: 3, items: { type: 'string', enum: ['a', 'b', 'c', 'd'] } } }),
    param({ name: 'ids', in: 'query', required: false, schema: { type: 'array', maxItems: 2, items: { type: 'integer' } } }),
  ],
});

t.test('boundary lists: lengths 1,2,3,9,10,11 for minLength 2/maxLength 10; numbers either side of each limit', async (t) => {
  t.same(sizeBoundaries(2, 10, 'Length').map((b) => [b.value, b.valid]), [[1, false], [2, true], [3, true], [9, true], [10, true], [11, false]]);
  t.same(sizeBoundaries(0, undefined, 'Items').map((b) => [b.value, b.valid]), [[0, true], [1, true]], 'no negative sizes');
  t.same(numberBoundaries({ minimum: 1, maximum: 100 }, true).map((b) => [b.value, b.valid]), [[0, false], [1, true], [2, true], [99, true], [100, true], [101, false]]);
  t.same(numberBoundaries({ minimum: 0, exclusiveMinimum: true }, true).map((b) => [b.value, b.valid]), [[-1, false], [0, false], [1, true]], 'OpenAPI 3.0 boolean exclusiveMinimum');
  t.same(numberBoundaries({ exclusiveMaximum: 10 }, true).map((b) => [b.value, b.valid]), [[9, true], [10, false], [11, false]], 'OpenAPI 3.1 numeric exclusiveMaximum');
});

t.test('each case changes the valid request in exactly one way, and says what and why', async (t) => {
  const valid = ready(listThings);
  const cases = negativeCases(listThings, valid, context);
  t.ok(cases.length >= 10, `${cases.length} cases`);
  const original = new URL(valid.request.url);
  for (const found of cases) {
    const url = new URL(found.request.url);
    const changes: string[] = [];
    if (url.pathname !== original.pathname) changes.push('path');
    for (const key of new Set([...original.searchParams.keys(), ...url.searchParams.keys()])) if (url.searchParams.getAll(key).join() !== original.searchParams.getAll(key).join()) changes.push(`query:${key}`);
    for (const key of new Set([...Object.keys(valid.request.headers), ...Object.keys(found.request.headers)])) if (valid.request.headers[key] !== found.request.headers[key]) changes.push(`header:${key}`);
    const { location, name } = found.mutation;
    const expected = location === 'path' ? ['path'] : [`${location}:${location === 'header' ? name.toLowerCase() : name}`];
    t.same(changes, expected, `${found.check} ${found.mutation.mutation} ${name}=${found.mutation.value}: one change`);
    t.ok(found.mutation.reason.length > 0);
  }
  const summary = cases.map((c) => `${c.check} ${c.mutation.location}:${c.mutation.name} ${c.mutation.mutation} ${c.mutation.value ?? ''}`.trim());
  t.ok(summary.includes('negative-data-rejection query:limit above-maximum 101'));
  t.ok(summary.includes('negative-data-rejection query:limit below-minimum 0'));
  t.ok(summary.includes('positive-data-acceptance query:limit boundary 100'));
  t.ok(summary.includes('negative-data-rejection query:limit wrong-type abc'));
  t.ok(summary.includes('negative-data-rejection query:name too-short a'), 'length 1 for minLength 2');
  t.ok(summary.includes('negative-data-rejection query:name too-long abcdddddddd'), 'length 11 for maxLength 10');
  t.notOk(summary.some((s) => s.includes('query:name boundary')), 'a valid string length is never expected to be accepted (it may name nothing)');
  t.ok(summary.includes('negative-data-rejection query:sort enum interop-invalid'));
  t.ok(summary.includes('positive-data-acceptance query:sort enum-value desc') && summary.includes('positive-data-acceptance query:sort enum-value asc'), 'each enum value once');
  t.ok(summary.includes('negative-data-rejection query:from below-minimum 0'), 'exclusiveMinimum 0: 0 itself is invalid');
  t.ok(summary.includes('negative-data-rejection query:name missing'), 'a required query parameter left out');
  t.ok(summary.includes('missing-required-header header:X-Request-Id missing'));
  t.ok(summary.includes('negative-data-rejection header:X-Request-Id format not-a-uuid'));
  t.ok(summary.includes('unknown-id path:thingId unknown-id T-9999'), 'same shape, another id');
  t.ok(summary.includes('negative-data-rejection query:tags too-few-items a') && summary.includes('negative-data-rejection query:tags too-many-items a,b,c,d'), 'array sizes 1 and 4 for minItems 2/maxItems 3');
  t.ok(summary.includes('positive-data-acceptance query:tags boundary a,b') && summary.includes('positive-data-acceptance query:tags boundary a,b,c'), 'valid sizes of distinct enum items');
  t.ok(summary.includes('negative-data-rejection query:ids too-many-items 1,1,1'), 'too many items');
  t.notOk(summary.some((s) => s.includes('query:ids boundary')), 'a valid size of repeated items is not asked to be accepted');
  t.ok(summary.includes('negative-data-rejection path:thingId pattern ~'));
  t.notOk(summary.some((s) => s.includes('thingId wrong-type')), 'a string has no wrong type');
  t.notOk(summary.some((s) => s.includes('path:thingId boundary')), 'no valid boundary on a path id');
});

t.test('a date or date-time path or query parameter is sent a value that is plainly not one; headers and other formats are left alone', async (t) => {
  const op = operation({
    path: '/changes',
    parameters: [
      param({ name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date-time', example: '2024-01-01T00:00:00Z' } }),
      param({ name: 'day', in: 'query', required: false, schema: { type: 'string', format: 'date', example: '2024-01-01' } }),
      param({ name: 'contact', in: 'query', required: false, schema: { type: 'string', format: 'email', example: 'a@example.com' } }),
      param({ name: 'short', in: 'query', required: false, schema: { type: 'string', format: 'date', maxLength: 5, example: '2024-01-01' } }),
      param({ name: 'If-Modified-Since', in: 'header', required: false, schema: { type: 'string', format: 'date-time', example: '2024-01-01T00:00:00Z' } }),
    ],
  });
  const summary = negativeCases(op, ready(op), context).map((c) => `${c.check} ${c.mutation.name} ${c.mutation.mutation} ${c.mutation.value ?? ''}`.trim());
  t.ok(summary.includes('negative-data-rejection since format not-a-date-time'), summary.join('; '));
  t.ok(summary.includes('negative-data-rejection day format not-a-date'));
  t.notOk(summary.some((s) => s.startsWith('negative-data-rejection contact format')), 'an email is not judged by one validator\'s idea of it');
  t.notOk(summary.some((s) => s.startsWith('negative-data-rejection short format')), 'a value the length limit already refuses tests the length, not the format');
  t.notOk(summary.some((s) => s.includes('If-Modified-Since format')), 'no wrong date in a header: RFC 9110 tells a server to ignore an invalid If-Modified-Since');
});

t.test('a value the run was given as a secret is never changed: a --header value, a credential placed in the query', async (t) => {
  const op = operation({
    path: '/things',
    parameters: [
      param({ name: 'X-Tenant', in: 'header', schema: { type: 'string', minLength: 2, maxLength: 20, example: 'ab' } }),
      param({ name: 'tenant', in: 'query', schema: { type: 'string', minLength: 2, maxLength: 20, example: 'ab' } }),
      param({ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } }),
    ],
  });
  const secretContext: PlanContext = {
    ...context,
    headers: { ...context.headers, 'x-tenant': 'supersecretvalue12' },
    credentials: { perOperation: { [op.pointer]: { headers: {}, query: { tenant: 'another-secret-value' }, cookies: {} } }, schemeParameters: [] },
  };
  const cases = negativeCases(op, ready(op, secretContext), secretContext);
  t.same(cases.filter((c) => c.mutation.name === 'X-Tenant' || c.mutation.name === 'tenant').map((c) => `${c.mutation.name} ${c.mutation.mutation}`), [], 'neither is changed');
  t.ok(cases.some((c) => c.mutation.name === 'limit'), 'the other parameters still are');
  t.notOk(JSON.stringify(cases.map((c) => c.mutation)).match(/supersecret|another-secret/), 'no case quotes a secret');
});

t.test('no case relies on a doubt: undecidable patterns, string wrong types, empty values', async (t) => {
  const op = operation({
    path: '/things',
    parameters: [
      param({ name: 'code', in: 'query', schema: { type: 'string', pattern: '^(a)\\1$', maxLength: 5, example: 'aa' } }),
      param({ name: 'cursor', in: 'query', schema: { type: 'string', minLength: 1, example: 'x' } }),
      param({ name: 'flag', in: 'query', schema: { type: ['string', 'integer'], example: '1' } }),
    ],
  });
  const cases = negativeCases(op, ready(op), context);
  t.same(cases.map((c) => `${c.mutation.name} ${c.mutation.mutation}`).sort(), ['code missing', 'cursor missing', 'flag missing']);
});

t.test('the same seed chooses the same cases; the budget is kept; kinds take turns', async (t) => {
  const valid = ready(listThings);
  const cases = negativeCases(listThings, valid, context);
  const key = (chosen: typeof cases) => chosen.map((c) => `${c.mutation.name}:${c.mutation.mutation}:${c.mutation.value}`);
  const first = key(chooseNegativeCases(cases, 8, 42, 'listThings'));
  t.same(key(chooseNegativeCases(cases, 8, 42, 'listThings')), first, 'repeatable');
  t.equal(first.length, 8);
  const others = [1, 2, 3, 4, 5].map((seed) => key(chooseNegativeCases(cases, 8, seed, 'listThings')).join('|'));
  t.ok(others.some((o) => o !== first.join('|')), 'another seed chooses differently');
  const chosen = chooseNegativeCases(cases, 3, 42, 'listThings');
  t.same(chosen.map((c) => c.check), ['unknown-id', 'negative-data-rejection', 'missing-required-header'], 'one of each kind first');
  t.equal(chosen[1]!.mutation.location, 'path', 'path values first within their kind');
  const random = createRandom(9);
  t.equal(createRandom(9)(), random(), 'the generator is seeded');
});

t.test('auth cases on secured operations probed with credentials; unsupported methods are safe ones', async (t) => {
  const secured = operation({ operationId: 'getThing', path: '/things', secured: true });
  const valid = ready(secured, { headers: { authorization: 'Bearer real' } });
  const valid2: ReadyProbe = { ...valid, request: { ...valid.request, carriesCredentials: true } };
  const auth = negativeCases(secured, valid2, context).filter((c) => c.check === 'ignored-auth');
  t.same(auth.map((c) => c.mutation.mutation), ['no-credentials', 'invalid-token']);
  t.notOk('authorization' in auth[0]!.request.headers);
  t.equal(auth[1]!.request.headers['authorization'], 'Bearer interop-harness-invalid-token');
  const anonymous = ready(secured);
  t.same(negativeCases(secured, anonymous, context).filter((c) => c.check === 'ignored-auth').length, 0, 'not without credentials to take away');
  const trace = unsupportedMethodCase(new Set(['GET', 'DELETE']), valid2)!;
  t.equal(trace.request.method, 'TRACE');
  t.notOk('authorization' in trace.request.headers, 'TRACE echoes the request: never with credentials');
  t.equal(unsupportedMethodCase(new Set(['POST']), valid2)!.request.method, 'GET', 'GET where the path documents none');
});

t.test('an unknown UUID keeps the version and variant digits, so it is still a UUID', async (t) => {
  // Found on n8n: 99f9f99f-999f-9f9f-… is no UUID of any version; its isUUID refused it with a 400, and unknown-id passed
  // without asking whether an unknown id gets a 404 (a server answering 500 for one passed too).
  const getUser = operation({ operationId: 'getUser', path: '/users/{id}', parameters: [param({ name: 'id', in: 'path', example: { value: '32d5e28d-149e-4b3e-8666-e295906617b2' }, schema: { type: 'string', format: 'uuid' } })] });
  const unknown = negativeCases(getUser, ready(getUser), context).find((c) => c.check === 'unknown-id');
  t.equal(unknown?.mutation.value, '99f9f99f-999f-4f9f-8999-f999999999f9');
  t.match(unknown?.mutation.value, /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'what validator.isUUID takes');
});
