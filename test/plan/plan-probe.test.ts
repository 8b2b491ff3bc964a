import t from 'tap';
import { planProbe, type PlanContext } from '../../harness/plan/plan-probe.js';
import { createValueHarvest } from '../../harness/plan/value-harvest.js';
import { refusedExampleWarnings } from '../../harness/plan/refused-examples.js';
import { operation, param } from '../support/plan-specs.js';

const document = { components: { schemas: { Window: { type: 'string', enum: ['day', 'week'] } } } };
const context = (over: Partial<PlanContext> = {}): PlanContext => ({
  document,
  target: new URL('http://127.0.0.1:9/api/'),
  vars: {},
  headers: { 'User-Agent': 'probe' },
  allowWrites: false,
  ...over,
});

t.test('values come from --var, then examples, then schema declarations, then generation', async (t) => {
  const op = operation({
    path: '/things/{id}',
    parameters: [
      param({ name: 'id', in: 'path', pointer: '/p/0', example: { value: 'T-1' }, schema: { type: 'string' } }),
      param({ name: 'window', in: 'query', schema: { $ref: '#/components/schemas/Window' } }),
      param({ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 5 } }),
      param({ name: 'optional', in: 'query', required: false, schema: { type: 'string' } }),
      param({ name: 'X-Trace', in: 'header', schema: { type: 'string', format: 'uuid' } }),
    ],
  });
  const plan = planProbe(op, context({ vars: { limit: '7' } }), createValueHarvest(), false);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(plan.request.url, 'http://127.0.0.1:9/api/things/T-1?window=day&limit=7', 'base path kept, optional left out');
  t.same(plan.valueSources, { 'path:id': 'example', 'query:window': 'enum', 'query:limit': 'var', 'header:X-Trace': 'generated' });
  t.equal(plan.request.headers['x-trace'], '00000000-0000-4000-8000-000000000000');
  t.equal(plan.request.headers.accept, 'application/json');
  t.equal(plan.request.headers['user-agent'], 'probe');
});

t.test('a value the document gives that its own schema refuses is passed over, with a warning', async (t) => {
  // Left open in an earlier note: an example under `maximum: 100` went out as written, and a supplier's 400 to it failed status-code.
  const op = operation({
    operationId: 'listPersons',
    path: '/persons/{id}',
    parameters: [
      param({ name: 'id', in: 'path', example: { value: 'abc' }, schema: { type: 'string', format: 'uuid' } }),
      param({ name: 'limit', in: 'query', pointer: '/p/1', example: { value: 500 }, schema: { type: 'integer', maximum: 100, default: 20 } }),
      param({ name: 'page', in: 'query', pointer: '/p/2', example: { value: 0 }, schema: { type: 'integer', minimum: 1 } }),
      param({ name: 'size', in: 'query', pointer: '/p/3', example: { value: '10' }, schema: { type: 'integer', maximum: 50 } }),
      param({ name: 'fields', in: 'query', pointer: '/p/4', example: { value: 'id,name' }, schema: { type: 'array', items: { type: 'string' } } }),
      param({ name: 'sort', in: 'query', pointer: '/p/5', schema: { type: 'string', enum: ['asc', 'desc'], default: 'up' } }),
    ],
  });
  const plan = planProbe(op, context(), createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(plan.request.url, 'http://127.0.0.1:9/api/persons/00000000-0000-4000-8000-000000000000?limit=20&page=1&size=10&fields=id%2Cname&sort=asc');
  t.same(plan.valueSources, { 'path:id': 'generated', 'query:limit': 'default', 'query:page': 'generated', 'query:size': 'example', 'query:fields': 'example', 'query:sort': 'generated' });
  // A --var is the user's word, sent even where the schema refuses it (var-breaks-schema says so), and draws no warning here.
  const warnings = refusedExampleWarnings({ page: '0' }, [op], document);
  t.same(
    warnings.map((w) => [w.code, w.location, w.message]),
    [
      ['example-breaks-schema', op.parameters[0]!.pointer, "listPersons's path parameter id: its example \"abc\" is not a uuid. A value its own schema refuses is not sent (the supplier would be right to refuse it too): an id a list response gives, else a value generated from the schema, is sent instead"],
      ['example-breaks-schema', op.parameters[1]!.pointer, "listPersons's query parameter limit: its example 500 is above the maximum 100. A value its own schema refuses is not sent (the supplier would be right to refuse it too): its schema's default is sent instead"],
      ['example-breaks-schema', op.parameters[5]!.pointer, "listPersons's query parameter sort: its schema's default \"up\" is not one of \"asc\", \"desc\". A value its own schema refuses is not sent (the supplier would be right to refuse it too): a value generated from the schema is sent instead"],
    ],
  );
});

t.test('an enum listing "" first gives its first value that is not empty', async (t) => {
  // Found with Prism on peertube's document: `state` lists "", active, completed…; the planner passed over "" and
  // made up `example`, which the enum refuses, so the supplier's 422 judged nothing.
  const op = operation({ path: '/jobs/{state}', parameters: [param({ name: 'state', in: 'path', schema: { type: 'string', enum: ['', 'active', 'completed'] } })] });
  const plan = planProbe(op, context(), createValueHarvest(), false);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(plan.request.url, 'http://127.0.0.1:9/api/jobs/active');
  t.same(plan.valueSources, { 'path:state': 'enum' });
});

t.test('an example of nothing but empty strings is no value; a scalar enum in an allOf branch is the value', async (t) => {
  // Found with Dialogporten (via Prism): `example: [""]` went out as `?party=`, which a server may refuse (allowEmptyValue
  // is false by default), and NSwag's `allOf: [{$ref: Condition}]` enum was sent as `example`.
  const doc = { components: { schemas: { Condition: { type: 'string', enum: ['NotExists', 'Exists'] } } } };
  const op = operation({
    path: '/dialogs',
    parameters: [
      param({ name: 'party', in: 'query', style: 'form', explode: true, example: { value: [''] }, schema: { type: 'array', items: { type: 'string' } } }),
      param({ name: 'conditionType', in: 'query', schema: { allOf: [{ $ref: '#/components/schemas/Condition' }] } }),
      param({ name: 'state', in: 'query', schema: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/Condition' }] } }),
    ],
  });
  const plan = planProbe(op, context({ document: doc }), createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(plan.request.url, 'http://127.0.0.1:9/api/dialogs?party=example&conditionType=NotExists&state=NotExists');
  t.same(plan.valueSources, { 'query:party': 'generated', 'query:conditionType': 'enum', 'query:state': 'enum' });
  // Review: a branch's default the schema beside it refuses is no value (`allOf: [{$ref: PageSize}], maximum: 50`).
  const paged = operation({ path: '/pages', parameters: [param({ name: 'limit', in: 'query', schema: { allOf: [{ $ref: '#/components/schemas/PageSize' }], maximum: 50 } })] });
  const pagedDoc = { components: { schemas: { PageSize: { type: 'integer', minimum: 1, default: 100 } } } };
  const pages = planProbe(paged, context({ document: pagedDoc }), createValueHarvest(), true);
  t.equal(pages.kind === 'ready' && pages.request.url, 'http://127.0.0.1:9/api/pages?limit=1', 'the default 100 breaks maximum 50: generated instead');
  const given = planProbe(op, context({ document: doc, vars: { party: '' } }), createValueHarvest(), true);
  t.equal(given.kind === 'ready' && given.request.url, 'http://127.0.0.1:9/api/dialogs?party=example&conditionType=NotExists&state=NotExists', 'an empty --var is no value either');
});

t.test("a list built from its items' declared value takes that value's source, not generated", async (t) => {
  // Found with Prism on Petstore: `status` (items default 'available') was reported as a generated value.
  const op = operation({
    path: '/pet/findByStatus',
    parameters: [
      param({ name: 'status', in: 'query', required: true, style: 'form', explode: true, schema: { type: 'array', items: { type: 'string', enum: ['available', 'pending'], default: 'available' } } }),
      param({ name: 'tags', in: 'query', required: true, schema: { type: 'array', items: { type: 'string' } } }),
      param({ name: 'kinds', in: 'query', required: true, schema: { type: 'array', items: { $ref: '#/components/schemas/Window' } } }),
    ],
  });
  const plan = planProbe(op, context(), createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(plan.request.url, 'http://127.0.0.1:9/api/pet/findByStatus?status=available&tags=example&kinds=day');
  t.same(plan.valueSources, { 'query:status': 'default', 'query:tags': 'generated', 'query:kinds': 'enum' });
});

t.test('an object parameter with nothing required is sent with its first property, not empty', async (t) => {
  // Found with Prism on readme's parameters-style document: the matrix path went out as `/;object=`.
  const objectSchema = { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' } } };
  const op = operation({
    path: '/matrix/{object}',
    parameters: [
      param({ name: 'object', in: 'path', required: true, style: 'matrix', explode: false, schema: objectSchema }),
      param({ name: 'filter', in: 'query', required: true, style: 'deepObject', explode: true, schema: objectSchema }),
    ],
  });
  const plan = planProbe(op, context(), createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(decodeURIComponent(plan.request.url), 'http://127.0.0.1:9/api/matrix/;object=name,example?filter[name]=example');
});

t.test('a path parameter without a value waits for a list response, then uses it', async (t) => {
  const op = operation({ path: '/things/{thingId}', parameters: [param({ name: 'thingId', in: 'path', schema: { type: 'string' } })] });
  const harvest = createValueHarvest();
  const waiting = planProbe(op, context(), harvest, false);
  t.same(waiting.kind === 'waiting' && waiting.waitingFor, ['thingId']);
  harvest.recordCollection('/things', { items: [{ thing_id: 'TH-9', id: 'other' }] });
  const ready = planProbe(op, context(), harvest, false);
  t.equal(ready.kind === 'ready' && ready.request.url, 'http://127.0.0.1:9/api/things/TH-9', 'thing_id matches thingId');
  t.equal(ready.kind === 'ready' && ready.valueSources['path:thingId'], 'harvested');
});

t.test('with nothing harvested, the final wave generates a value; an ungeneratable one is a skip saying what to pass', async (t) => {
  const op = operation({ path: '/things/{thingId}', parameters: [param({ name: 'thingId', in: 'path', schema: { type: 'integer', minimum: 3 } })] });
  const plan = planProbe(op, context(), createValueHarvest(), true);
  t.equal(plan.kind === 'ready' && plan.request.url, 'http://127.0.0.1:9/api/things/3');
  const impossible = operation({ path: '/things/{x}', parameters: [param({ name: 'x', in: 'path', schema: { not: {} } })] });
  const skipped = planProbe(impossible, context(), createValueHarvest(), true);
  t.match(skipped, { kind: 'skip', reason: /--var x=<value>/ });
});

t.test('writes are skipped unless --allow-writes, and then get a body from the schema', async (t) => {
  const op = operation({
    method: 'POST',
    requestBody: { required: true, content: [{ mediaRange: 'application/json', schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } }] },
  });
  t.match(planProbe(op, context(), createValueHarvest(), true), { kind: 'skip', reason: /read-only run.*--allow-writes/ });
  const plan = planProbe(op, context({ allowWrites: true }), createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(plan.request.body, '{"name":"example"}');
  t.equal(plan.request.headers['content-type'], 'application/json');
});

t.test("a write's lists of other records' ids are sent empty, from an example or generated", async (t) => {
  // Found on n8n: PUT /workflows/{id}/tags sent the example [{"id": "2tUt1wbLX592XDdX"}], and a tag with that id,
  // someone else's, was linked to the run's workflow. A generated [{id: 1}] names record 1 as surely.
  const tagRef = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };
  const put = (schema: unknown, example?: unknown) =>
    planProbe(
      operation({ method: 'PUT', path: '/workflows/{id}/tags', parameters: [param({ name: 'id', in: 'path', schema: { type: 'string' } })], requestBody: { required: true, content: [{ mediaRange: 'application/json', schema, ...(example === undefined ? {} : { example: { value: example } }) }] } }),
      context({ allowWrites: true, vars: { id: 'w1' } }),
      createValueHarvest(),
      true,
    );
  const listed = put({ type: 'array', items: tagRef }, [{ id: '2tUt1wbLX592XDdX' }]);
  if (listed.kind !== 'ready') throw new Error(listed.kind);
  t.equal(listed.request.body, '[]');
  t.same(listed.valueSources, { 'path:id': 'var', body: 'example', 'body:[]': 'generated' }, 'the emptied list counts as the harness\'s value');
  const named = put({ type: 'object', properties: { name: { type: 'string' }, tagIds: { type: 'array', items: { type: 'string' } }, tags: { type: 'array', items: { type: 'object' } } } }, { name: 'n', tagIds: ['t1', 't2'], tags: [{ id: 't1', name: 'one' }] });
  t.equal(named.kind === 'ready' && named.request.body, '{"name":"n","tagIds":[],"tags":[{"id":"t1","name":"one"}]}', 'by its name too; a list of records with more than ids stays');
  t.match(put({ type: 'array', minItems: 1, items: tagRef }, [{ id: 'x' }]), { kind: 'skip', reason: /its body example lists records by id \(\[\]\), which would tie someone else's records to this one, and its schema does not allow the list empty/ });
  const generated = put({ type: 'object', required: ['tags', 'ownerIds'], properties: { tags: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } }, ownerIds: { type: 'array', items: { type: 'integer' } } } });
  t.equal(generated.kind === 'ready' && generated.request.body, '{"tags":[],"ownerIds":[]}');
  // Review: a list's own example of references, and references inside a batch's records, were still sent.
  const declared = put({ type: 'object', required: ['name', 'tags'], properties: { name: { type: 'string' }, tags: { type: 'array', items: tagRef, example: [{ id: '2tUt1wbLX592XDdX' }] } } });
  t.equal(declared.kind === 'ready' && declared.request.body, '{"name":"example","tags":[]}');
  const batch = put({ type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, tagIds: { type: 'array', items: { type: 'string' } } } } }, [{ name: 'wf', tagIds: ['t1', 't2'] }]);
  t.equal(batch.kind === 'ready' && batch.request.body, '[{"name":"wf","tagIds":[]}]');
  // Review: a list whose minItems sits in an allOf branch was emptied, and the body broke its own schema.
  const doc = { components: { schemas: { TagRefs: { type: 'array', minItems: 1, items: tagRef } } } };
  const planned = planProbe(
    operation({ method: 'PUT', path: '/workflows/{id}', parameters: [param({ name: 'id', in: 'path', schema: { type: 'string' } })], requestBody: { required: true, content: [{ mediaRange: 'application/json', schema: { type: 'object', required: ['tags'], properties: { tags: { allOf: [{ $ref: '#/components/schemas/TagRefs' }], example: [{ id: 't1' }] } } } }] } }),
    context({ document: doc, allowWrites: true, vars: { id: 'w1' } }),
    createValueHarvest(),
    true,
  );
  t.equal(planned.kind === 'ready' && planned.request.body, '{"tags":[{"id":"t1"}]}', 'a list the schema requires keeps its example');
});

t.test('an operation documenting a 3xx does not follow redirects, so that response is checked', async (t) => {
  const op = operation({ responses: [{ key: '302', content: [], headers: [], pointer: '' }] });
  const plan = planProbe(op, context(), createValueHarvest(), true);
  t.equal(plan.kind === 'ready' && plan.request.followRedirects, false);
});

t.test('parameter styles: matrix, label, deepObject, pipe- and space-delimited, simple with literal commas', async (t) => {
  const op = operation({
    path: '/cars/{id}/{colours}/{range}',
    parameters: [
      param({ name: 'id', in: 'path', style: 'matrix', example: { value: 5 } }),
      param({ name: 'colours', in: 'path', style: 'label', explode: true, example: { value: ['red', 'dark blue'] } }),
      param({ name: 'range', in: 'path', example: { value: [1, 2] } }),
      param({ name: 'filter', in: 'query', style: 'deepObject', explode: true, example: { value: { make: 'ford' } } }),
      param({ name: 'tags', in: 'query', style: 'pipeDelimited', explode: false, example: { value: ['a', 'b'] } }),
      param({ name: 'words', in: 'query', style: 'spaceDelimited', explode: false, example: { value: ['x', 'y'] } }),
    ],
  });
  const plan = planProbe(op, context(), createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  const url = new URL(plan.request.url);
  t.equal(url.pathname, '/api/cars/;id=5/.red.dark%20blue/1,2');
  t.equal(url.searchParams.get('filter[make]'), 'ford');
  t.equal(url.searchParams.get('tags'), 'a|b');
  t.equal(url.searchParams.get('words'), 'x y');
});

t.test('a path value that is a dot segment is not sent: URLs would resolve it to another resource', async (t) => {
  const op = operation({ path: '/files/{name}', parameters: [param({ name: 'name', in: 'path', example: { value: '..' } })] });
  t.match(planProbe(op, context(), createValueHarvest(), true), { kind: 'skip', reason: /dot segment.*--var name=<value>/ });
});

t.test('parameter names that are Object.prototype members are not taken from it', async (t) => {
  const op = operation({
    path: '/c/{constructor}',
    parameters: [param({ name: 'constructor', in: 'path', example: { value: 'abc' } }), param({ name: 'toString', in: 'query', required: false })],
  });
  const plan = planProbe(op, context(), createValueHarvest(), true);
  t.equal(plan.kind === 'ready' && plan.request.url, 'http://127.0.0.1:9/api/c/abc');
  t.equal(plan.kind === 'ready' && plan.valueSources['path:constructor'], 'example');
});

t.test('OPTIONS is read-only and probed; TRACE is not', async (t) => {
  t.equal(planProbe(operation({ method: 'OPTIONS' }), context(), createValueHarvest(), true).kind, 'ready');
  t.equal(planProbe(operation({ method: 'TRACE' }), context(), createValueHarvest(), true).kind, 'skip');
  t.equal(planProbe(operation({ method: 'TRACE' }), context({ allowWrites: true }), createValueHarvest(), true).kind, 'skip', 'not even with --allow-writes');
});

t.test('a GET named as a change (RPC style: GET /deletePad) is a write: not sent read-only, sent with --allow-writes only when named', async (t) => {
  const deletePad = operation({ method: 'GET', path: '/deletePad', operationId: 'deletePadUsingGET' });
  const readOnly = planProbe(deletePad, context(), createValueHarvest(), true);
  t.match(readOnly, { kind: 'skip', reason: 'named as a change (its operationId begins with "delete"), though GET should change nothing: sent only with --allow-writes and when named (its operationId in --operations, or its method and path in --paths)' });
  t.equal(planProbe(deletePad, context({ allowWrites: true }), createValueHarvest(), true).kind, 'skip', 'writes allowed, but not named');
  t.equal(planProbe(deletePad, context({ allowWrites: true, namedWrites: new Set(['GET /deletePad']) }), createValueHarvest(), true).kind, 'ready');
  t.equal(planProbe(deletePad, context({ namedWrites: new Set(['GET /deletePad']) }), createValueHarvest(), true).kind, 'skip', 'named, but read-only');
  const synthetic = operation({ method: 'HEAD', path: '/pads/{padId}/remove_all', operationId: 'head_pads_padId_remove_all', syntheticId: true, parameters: [param({ name: 'padId', in: 'path', example: { value: 'p' }, schema: { type: 'string' } })] });
  t.match(planProbe(synthetic, context(), createValueHarvest(), true), { kind: 'skip', reason: /^named as a change \(its path's last segment begins with "remove"\), though HEAD should change nothing/ });
});

t.test('reads whose names only look like changes are sent', async (t) => {
  for (const operationId of ['listDeletedItems', 'getSettings', 'settingsGet', 'createdThings', 'resetsCount', 'postcodeLookup', 'getUpdates']) {
    t.equal(planProbe(operation({ method: 'GET', path: '/x', operationId }), context(), createValueHarvest(), true).kind, 'ready', operationId);
  }
});

t.test('a parameter described by content is its value written whole in that media type, in each place', async (t) => {
  const json = 'application/json';
  const op = operation({
    path: '/things/{key}',
    parameters: [
      param({ name: 'key', in: 'path', mediaType: json, example: { value: { a: 1 } } }),
      param({ name: 'filter', in: 'query', mediaType: json, example: { value: { limit: 2, fields: ['id'] } } }),
      param({ name: 'X-Query', in: 'header', mediaType: json, example: { value: ['x', 'y'] } }),
      param({ name: 'prefs', in: 'cookie', mediaType: json, example: { value: { dark: true } } }),
      param({ name: 'note', in: 'query', mediaType: 'text/plain', example: { value: 'plain words' } }),
    ],
  });
  const plan = planProbe(op, context(), createValueHarvest(), false);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  const url = new URL(plan.request.url);
  t.equal(url.pathname, `/api/things/${encodeURIComponent('{"a":1}')}`);
  t.same([...url.searchParams], [['filter', '{"limit":2,"fields":["id"]}'], ['note', 'plain words']], 'one pair each, under its own name');
  t.equal(plan.request.headers['x-query'], '["x","y"]');
  t.equal(plan.request.headers.cookie, `prefs=${encodeURIComponent('{"dark":true}')}`);
  const given = planProbe(op, context({ vars: { 'query:filter': '{ "limit": 5 }' } }), createValueHarvest(), false);
  t.equal(given.kind === 'ready' && new URL(given.request.url).searchParams.get('filter'), '{ "limit": 5 }', 'a --var is the text sent, as given');
});
