import t from 'tap';
import { schemaMismatch } from '../../harness/plan/fits-schema.js';
import { planProbe, type PlanContext } from '../../harness/plan/plan-probe.js';
import { generateValue } from '../../harness/plan/sample-value.js';
import { createValueHarvest } from '../../harness/plan/value-harvest.js';
import { varWarnings } from '../../harness/plan/var-warnings.js';
import { negativeCases } from '../../harness/plan/negative-cases.js';
import { operation, param } from '../support/plan-specs.js';

const document = {
  components: {
    schemas: {
      Base: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] } } },
      New: { allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', required: ['kind'] }] },
      Either: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/New' }] },
    },
  },
};
const context = (over: Partial<PlanContext> = {}): PlanContext => ({ document, target: new URL('http://127.0.0.1:9/'), vars: {}, headers: {}, allowWrites: true, ...over });
const ready = (plan: ReturnType<typeof planProbe>) => {
  if (plan.kind !== 'ready') throw new Error(`${plan.kind}: ${plan.kind === 'skip' ? plan.reason : ''}`);
  return plan;
};

t.test('harvest: name-keyed items, bare arrays and nested collections, only values that fit the schema', async (t) => {
  const harvest = createValueHarvest();
  harvest.recordCollection('/features', { features: [{ name: 'dark-mode', description: 'x' }] });
  harvest.recordCollection('/users', { data: { items: [{ userId: 7, username: 'al' }] } });
  harvest.recordCollection('/tokens', [{ id: 'bad id' }, { id: 'tok-2' }]);
  harvest.recordCollection('/projects', [{ slug: 'p-one', title: 'One' }]);
  const get = (path: string, name: string, schema: unknown) =>
    planProbe(operation({ path: `${path}/{${name}}`, parameters: [param({ name, in: 'path', schema })] }), context(), harvest, false);
  t.match(ready(get('/features', 'featureName', { type: 'string' })).request.url, /\/features\/dark-mode$/);
  t.match(ready(get('/users', 'userId', { type: 'integer' })).request.url, /\/users\/7$/);
  t.match(ready(get('/tokens', 'tokenId', { type: 'string', pattern: '^tok-' })).request.url, /\/tokens\/tok-2$/, 'the first item that fits the pattern');
  t.match(ready(get('/projects', 'project', { type: 'string' })).request.url, /\/projects\/p-one$/, 'slug');
  t.equal(ready(get('/features', 'featureName', {})).valueSources['path:featureName'], 'harvested');
  harvest.recordCollection('/admin/teams', { teams: [{ id: 'default' }] });
  t.match(ready(get('/teams', 'teamId', { type: 'string' })).request.url, /\/teams\/default$/, 'a list of the same resource at another path');
  t.equal(get('/widgets', 'widgetId', { type: 'string' }).kind, 'waiting', 'but not a list of another resource');
  // NocoBase (helper run): `GET /users:list` listed user 1, and `/users/{userId}/roles:list` went out with `example`.
  const nocobase = createValueHarvest();
  nocobase.recordCollection('/users:list', { data: [{ id: 1, nickname: 'Super Admin' }] });
  const roles = planProbe(operation({ path: '/users/{userId}/roles:list', parameters: [param({ name: 'userId', in: 'path', schema: { type: 'integer' } })] }), context(), nocobase, false);
  t.match(ready(roles).request.url, /\/users\/1\/roles:list$/, 'a `:action` suffix does not hide the resource a list names');
});

t.test('--var: a bare name fills path and required parameters only; scoped forms reach the rest', async (t) => {
  const op = operation({
    operationId: 'listThings',
    parameters: [
      param({ name: 'q', in: 'query', required: false, schema: { type: 'string', pattern: '^[a-z]+$' } }),
      param({ name: 'limit', in: 'query', required: true, schema: { type: 'integer' } }),
      param({ name: 'X-Mode', in: 'header', required: false }),
    ],
  });
  t.equal(ready(planProbe(op, context({ vars: { q: 'ABC', limit: '5' } }), createValueHarvest(), true)).request.url, 'http://127.0.0.1:9/things?limit=5', 'bare q does not reach the optional q');
  const scoped = ready(planProbe(op, context({ vars: { 'query:q': 'abc', 'listThings.X-Mode': 'fast' } }), createValueHarvest(), true));
  t.equal(scoped.request.url, 'http://127.0.0.1:9/things?q=abc&limit=1');
  t.equal(scoped.request.headers['x-mode'], 'fast');
  t.equal(ready(planProbe(op, context({ vars: { 'otherOp.q': 'zzz' } }), createValueHarvest(), true)).request.url, 'http://127.0.0.1:9/things?limit=1', 'another operation’s scope does not apply');
  const warnings = varWarnings({ 'query:q': 'ABC', nothing: '1', 'listThings.name': 'x' }, [op], document);
  t.match(warnings, [
    { code: 'var-breaks-schema', message: /--var query:q: the value given does not match the pattern \^\[a-z\]\+\$ of listThings's query parameter q/ },
    { code: 'var-unused', message: /^--var nothing fills no parameter of the operations probed \(a bare name fills path and required parameters only; .*; a request body's fields are not parameters, and no --var reaches them\)$/ },
    // Found on Strapi 5: a body field's name, scoped to its operation, was hinted to be scoped again.
    { code: 'var-unused', message: /^--var listThings\.name fills no parameter of the operations probed \(no operation probed has that parameter; a request body's fields are not parameters, and no --var reaches them\)$/ },
  ]);
});

t.test('--var for an array parameter: its items, written by the style, and judged item by item', async (t) => {
  // Found on Platformatic DB: `--var query:fields=bogus` drew no warning. Items are split only where the style puts them apart on the wire.
  const items = { type: 'array', items: { type: 'string', enum: ['id', 'name', 'title'] } };
  const op = operation({
    operationId: 'listBooks',
    path: '/books/{ids}',
    parameters: [
      param({ name: 'ids', in: 'path', schema: { type: 'array', items: { type: 'integer' } } }),
      param({ name: 'fields', in: 'query', required: false, schema: items }),
      param({ name: 'sort', in: 'query', required: false, style: 'form', explode: false, schema: items }),
      param({ name: 'tags', in: 'query', required: false, style: 'pipeDelimited', explode: false, schema: { type: 'array', items: { type: 'string' } } }),
      param({ name: 'q', in: 'query', required: false, schema: { type: 'string' } }),
      param({ name: 'order', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } } }),
      param({ name: 'cols', in: 'query', required: false, style: 'form', explode: false, schema: items }),
    ],
  });
  const vars = { ids: '1,2', 'query:fields': '["id","name"]', 'query:sort': '["title","id"]', 'query:tags': 'a|b c', 'query:q': 'x,y', 'query:order': 'name,asc', 'query:cols': 'id,name' };
  const url = new URL(ready(planProbe(op, context({ vars }), createValueHarvest(), true)).request.url);
  t.equal(url.pathname, '/books/1,2', 'simple style: items apart with a literal comma');
  t.same(url.searchParams.getAll('fields'), ['id', 'name'], 'form, exploded, from a JSON array: one pair per item');
  t.equal(url.searchParams.get('sort'), 'title,id', 'form, not exploded, from a JSON array');
  t.equal(url.searchParams.get('cols'), 'id,name', 'form, not exploded: the comma puts items apart');
  t.equal(url.searchParams.get('tags'), 'a|b c', 'pipeDelimited: items apart at |');
  t.equal(url.searchParams.get('q'), 'x,y', 'a string parameter takes the text as it is');
  t.same(url.searchParams.getAll('order'), ['name,asc'], "form, exploded: a comma is part of the one item (Spring's sort=name,asc)");
  t.same(varWarnings(vars, [op], document), [], 'no warning for values that fit');
  t.match(varWarnings({ 'query:fields': 'id,name', 'query:cols': 'id,bogus', ids: '1,x' }, [op], document), [
    { code: 'var-breaks-schema', message: /^--var ids: the value given is not of type integer at \/1 of listBooks's path parameter ids/ },
    { code: 'var-breaks-schema', message: /^--var query:fields: the value given is not one of "id", "name", "title" at \/0 of listBooks's query parameter fields/ },
    { code: 'var-breaks-schema', message: /^--var query:cols: the value given is not one of "id", "name", "title" at \/1 of listBooks's query parameter cols/ },
  ]);
});

t.test('a path array planned again (a negative case on another parameter) is written as the valid request wrote it', async (t) => {
  // Review: the valid request's /tags/a%20b,c became /tags/a%2520b%2Cc in every negative case on {id}, two changes at once.
  for (const [style, written] of [['simple', '/tags/a%20b,c'], ['label', '/tags/.a%20b,c'], ['matrix', '/tags/;names=a%20b,c']] as const) {
    const op = operation({
      operationId: 'getItem',
      path: '/tags/{names}/items/{id}',
      parameters: [param({ name: 'names', in: 'path', style, schema: { type: 'array', items: { type: 'string' } } }), param({ name: 'id', in: 'path', schema: { type: 'integer', minimum: 1 } })],
    });
    const vars = { names: 'a b,c', id: '5' };
    const valid = ready(planProbe(op, context({ vars }), createValueHarvest(), true));
    t.equal(new URL(valid.request.url).pathname, `${written}/items/5`, `${style}: the valid request`);
    const onId = negativeCases(op, valid, context({ vars })).filter((c) => c.mutation.name === 'id');
    t.ok(onId.length > 0, `${style}: cases change {id}`);
    for (const c of onId) t.ok(new URL(c.request.url).pathname.startsWith(`${written}/items/`), `${style}: ${c.mutation.mutation} keeps {names} as sent (${new URL(c.request.url).pathname})`);
  }
});

t.test('requests the document allows: no //, no media ranges as Content-Type, valid Accept keys, no body-less OPTIONS', async (t) => {
  const empty = operation({ path: '/versions/{v}/export', parameters: [param({ name: 'v', in: 'path', schema: { type: 'string', default: '' } })] });
  const plan = planProbe(empty, context(), createValueHarvest(), true);
  t.equal(new URL(ready(plan).request.url).pathname, '/versions/example/export', '`default: ""` is no value: no //');

  const ranged = operation({
    method: 'POST',
    requestBody: { required: true, content: [{ mediaRange: 'application/*+json', schema: { $ref: '#/components/schemas/New' } }] },
  });
  const post = ready(planProbe(ranged, context(), createValueHarvest(), true));
  t.equal(post.request.headers['content-type'], 'application/json');
  t.same(JSON.parse(post.request.body!), { name: 'example', kind: 'a' }, 'allOf: `kind`, required in one branch and declared in another, is there');
  t.equal(post.valueSources.body, 'generated');
  const any = operation({ method: 'POST', requestBody: { required: true, content: [{ mediaRange: '*/*', schema: { type: 'object' } }] } });
  t.equal(ready(planProbe(any, context(), createValueHarvest(), true)).request.headers['content-type'], 'application/json');

  const accept = operation({ responses: [{ key: '200', content: [{ mediaRange: 'application/json' }, { mediaRange: 'json' }, { mediaRange: 'text/plain; charset=utf-8' }], headers: [], pointer: '' }] });
  t.equal(ready(planProbe(accept, context(), createValueHarvest(), true)).request.headers.accept, 'application/json, text/plain; charset=utf-8');

  const options = operation({ method: 'OPTIONS', requestBody: { required: true, content: [{ mediaRange: 'application/json', schema: { type: 'object' } }] } });
  t.match(planProbe(options, context(), createValueHarvest(), true), { kind: 'skip', reason: /requires a request body/ });
});

t.test('generated values satisfy their schemas', async (t) => {
  t.same(generateValue(document, { $ref: '#/components/schemas/Either' }), { name: 'example', kind: 'a' }, 'oneOf: the non-null branch, flattened');
  t.same(generateValue(document, { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' } } }, 0, { request: true }), { name: 'example' }, 'readOnly left out of a request');
  t.same(generateValue(document, { type: 'object', required: ['x'] }), { x: 'example' }, 'a required property with no schema still appears');
  // Directus relation fields: a nested record would make a record of another collection the run never removes.
  const relation = { type: 'object', required: ['incident'], properties: { incident: { oneOf: [{ type: 'object', required: ['title'], properties: { title: { type: 'string' } } }, { type: 'integer' }] } } };
  t.same(generateValue(document, relation, 0, { request: true }), { incident: 1 }, 'a relation in a request: the id, not a nested record');
  t.same(generateValue(document, relation), { incident: { title: 'example' } }, 'elsewhere the first branch, as before');
  // Review: a list of related ids would move someone else's records under the run's (`comments: [1]`).
  const comments = { type: 'object', required: ['comments'], properties: { comments: { type: 'array', items: { oneOf: [{ type: 'integer' }, { type: 'object', properties: { text: { type: 'string' } } }] } } } };
  t.same(generateValue(document, comments, 0, { request: true }), { comments: [] }, 'a list of relations is empty in a request');
  t.same(generateValue(document, { ...comments, properties: { comments: { ...comments.properties.comments, minItems: 1 } } }, 0, { request: true }), { comments: [1] }, 'unless the schema asks for one');
  t.equal(schemaMismatch(document, { type: 'integer', minimum: 1 }, '0'), 'is below the minimum 1');
  t.equal(schemaMismatch(document, { type: 'integer' }, 'abc'), 'is not of type integer');
  t.equal(schemaMismatch(document, { enum: [1, 2] }, '2'), undefined, 'URL text matches a typed enum');
  t.equal(schemaMismatch(document, { type: 'string', format: 'uuid' }, 'nope'), 'is not a uuid');
  t.equal(schemaMismatch(document, { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^x' }] }, 'xyz'), undefined);
});

t.test('a URL in a body points nowhere: a webhook example must not make the target call out', async (t) => {
  const webhook = operation({
    method: 'POST',
    path: '/addons',
    requestBody: {
      required: true,
      content: [{ mediaRange: 'application/json', schema: { type: 'object' }, example: { value: { provider: 'webhook', parameters: { url: 'http://localhost:4242/webhook?x=1', retries: 3 }, links: ['wss://events.example.com/feed', 'not a url'] } } }],
    },
  });
  const plan = ready(planProbe(webhook, context(), createValueHarvest(), true));
  t.same(JSON.parse(plan.request.body as string), {
    provider: 'webhook',
    parameters: { url: 'https://interop-probe.invalid/webhook?x=1', retries: 3 },
    links: ['wss://interop-probe.invalid/feed', 'not a url'],
  });
});
