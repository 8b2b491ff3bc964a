import t from 'tap';
import { extractOperations, responseKey, syntheticOperationId } from '../../harness/profile/extract-operations.js';
import { followLocalRef } from '../../harness/follow-local-ref.js';
import { escapePointerToken, joinPointer, parsePointer, resolvePointer } from '../../harness/json-pointer.js';

const ok = { responses: { '200': { description: 'ok' } } };

t.test('synthetic ids', async (t) => {
  t.equal(syntheticOperationId('GET', '/persons/{personId}'), 'get_persons_personId');
  t.equal(syntheticOperationId('DELETE', '/'), 'delete_root');
  t.equal(syntheticOperationId('POST', '/a-b/{c.d}/e'), 'post_a_b_c_d_e');

  const { operations, warnings } = extractOperations({
    paths: {
      '/a/{id}': { get: ok, put: { ...ok, operationId: 'get_a_id' } },
      '/a/{id}/': { get: ok },
      '/b': { get: { ...ok, operationId: 'same' }, post: { ...ok, operationId: 'same' }, put: { ...ok, operationId: 'same_2' } },
    },
  });
  t.same(operations.map((o) => [o.operationId, o.syntheticId]), [
    ['get_a_id_2', true],
    ['get_a_id', false],
    ['get_a_id_3', true],
    ['same', false],
    ['same_2', false],
    ['same_3', false],
  ]);
  t.same(warnings.filter((w) => w.code !== 'path-parameter-undeclared').map((w) => [w.code, w.location]), [['duplicate-operation-id', '/paths/~1b/post/operationId']]);
  t.same(warnings.filter((w) => w.code === 'path-parameter-undeclared').map((w) => w.location), ['/paths/~1a~1{id}/get', '/paths/~1a~1{id}/put', '/paths/~1a~1{id}~1/get'], '{id} is declared nowhere');
});

t.test('malformed parts are skipped with warnings, never thrown', async (t) => {
  const { operations, warnings } = extractOperations({
    paths: {
      '/loop': { $ref: '#/paths/~1loop' },
      '/str': 'nope',
      '/ops': {
        get: 42,
        post: { parameters: 'nope', responses: [], operationId: 7 },
        put: { parameters: [null, { name: 'a' }, { $ref: '#/nowhere' }, { name: 'ok', in: 'cookie' }], responses: { '200': { $ref: '#/a' } } },
      },
    },
    a: { $ref: '#/b' },
    b: { $ref: '#/a' },
  });
  // Methods come in the Path Item's order: get, put, post, …
  t.same(operations.map((o) => `${o.method} ${o.path} ${o.operationId}`), ['PUT /ops put_ops', 'POST /ops post_ops']);
  t.same(operations[0]?.parameters.map((p) => p.name), ['ok']);
  t.same(operations[0]?.responses, []);
  t.same(warnings.map((w) => `${w.code} ${w.location}`), [
    'ref-unresolved /paths/~1loop',
    'operation-invalid /paths/~1str',
    'operation-invalid /paths/~1ops/get',
    'parameter-invalid /paths/~1ops/put/parameters/0',
    'parameter-invalid /paths/~1ops/put/parameters/1',
    'ref-unresolved /paths/~1ops/put/parameters/2',
    'ref-unresolved /paths/~1ops/put/responses/200',
    'parameter-invalid /paths/~1ops/post/parameters',
    'operation-id-invalid /paths/~1ops/post/operationId',
  ]);
});

t.test('path items by $ref, header content, security forms', async (t) => {
  const document = {
    security: [{}],
    paths: { '/x': { $ref: '#/components/pathItems/X' } },
    components: {
      pathItems: {
        X: {
          get: {
            security: [{ key: [] }],
            parameters: [{ name: 'f', in: 'query', content: { 'application/json': { schema: { type: 'object' }, example: { a: 1 } } } }],
            responses: {
              '5xx': {
                description: 'e',
                headers: { 'Retry-After': { content: { 'text/plain': { schema: { type: 'integer' } } } } },
              },
            },
          },
          head: ok,
        },
      },
    },
  };
  const { operations } = extractOperations(document);
  t.equal(operations[0]?.pointer, '/components/pathItems/X/get');
  t.equal(operations[0]?.secured, true);
  t.equal(operations[1]?.secured, false, '[{}] allows anonymous access');
  t.equal(operations[1]?.anonymousAllowed, true);
  t.equal(operations[0]?.anonymousAllowed, undefined, 'its own security replaces the document default');
  const optional = extractOperations({ paths: { '/y': { get: { security: [{}, { key: [] }], responses: { '200': { description: 'ok' } } } } } }).operations[0];
  t.match(optional, { secured: true, anonymousAllowed: true }, '[{}, {key: []}]: secured, credentials optional');
  const exempt = (security: unknown) => extractOperations({ security: [{ key: [] }], paths: { '/z': { get: { ...(security === undefined ? {} : { security }), responses: { '200': { description: 'ok' } } } } } }).operations[0];
  t.match(exempt([]), { secured: false, securityExempt: true }, 'security: [] exempts the operation from the document default');
  t.equal(exempt(undefined)?.securityExempt, undefined, 'the default applies');
  t.equal(exempt([{}])?.securityExempt, undefined, '[{}] allows anonymous access but is no exemption by an empty list');
  t.same(operations[0]?.parameters[0]?.schema, { type: 'object' });
  t.same(operations[0]?.parameters[0]?.example, { value: { a: 1 } });
  t.equal(operations[0]?.responses[0]?.key, '5XX');
  const header = operations[0]?.responses[0]?.headers[0];
  t.equal(header?.schemaPointer, '/components/pathItems/X/get/responses/5xx/headers/Retry-After/content/text~1plain/schema');
  t.match(resolvePointer(document, header!.schemaPointer!), { found: true, value: { type: 'integer' } });
});

t.test('pointers and refs', async (t) => {
  t.equal(escapePointerToken('a~/b'), 'a~0~1b');
  t.equal(joinPointer('/paths', '/x~y', 'get'), '/paths/~1x~0y/get');
  t.same(parsePointer('#/components/schemas/A%20B~1C'), ['components', 'schemas', 'A B/C']);
  t.same(parsePointer('/a/~01'), ['a', '~1']);
  t.equal(parsePointer('no-slash'), undefined);
  t.same(resolvePointer({ a: [{ b: 1 }] }, '/a/0/b'), { found: true, value: 1 });
  t.same(resolvePointer({ a: [] }, '/a/01'), { found: false });
  t.same(resolvePointer({}, '/constructor'), { found: false }, 'no prototype lookups');
  t.same(resolvePointer({ a: 1 }, ''), { found: true, value: { a: 1 } });
  t.match(followLocalRef({ a: { $ref: '#/a' } }, { $ref: '#/a' }, ''), { ok: false, reason: /cycle/ });
  t.match(followLocalRef({ 'x/y': { v: 1 } }, { $ref: '#/x~1y' }, '/p'), { ok: true, value: { v: 1 }, pointer: '/x~1y' });
  t.equal(responseKey('4xx'), '4XX');
  t.equal(responseKey('Default'), 'default');
  t.equal(responseKey('200'), '200');
});

t.test('a security requirement naming a scheme the document does not declare is warned of, once where it is written', async (t) => {
  // NocoDB's v1 document: "security": [{"xcAuth": []}, {"xcToken": []}], and only xcToken is declared.
  const { warnings } = extractOperations({
    openapi: '3.0.3',
    components: { securitySchemes: { xcToken: { type: 'apiKey', in: 'header', name: 'xc-token' } } },
    security: [{ xcAuth: [] }, { xcToken: [] }],
    paths: {
      '/a': { get: { responses: {} } },
      '/b': { get: { security: [{ xcToken: [], other: [] }, { other: [] }], responses: {} } },
    },
  });
  t.match(
    warnings.filter((w) => w.code === 'security-scheme-undeclared'),
    [
      { location: '/security', message: /^the document requires the security scheme "xcAuth", which components.securitySchemes does not declare/ },
      { location: '/paths/~1b/get/security', message: /^GET \/b requires the security scheme "other"/ },
    ],
  );
  t.equal(warnings.filter((w) => w.code === 'security-scheme-undeclared').length, 2);
});
