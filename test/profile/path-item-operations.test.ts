import t from 'tap';
import { extractOperations } from '../../harness/profile/extract-operations.js';
import { pathItemOperations } from '../../harness/profile/path-item-operations.js';

const op = (id: string) => ({ operationId: id, responses: { '200': { description: 'ok' } } });

t.test('3.0 and 3.1: only the fixed method fields are operations', async (t) => {
  const item = { get: op('a'), query: op('b'), additionalOperations: { LINK: op('c') } };
  t.same(pathItemOperations(item, '/paths/~1x', false).map((o) => o.method), ['GET'], 'query and additionalOperations are not 3.1 fields');
});

t.test('3.2: query is QUERY, additional operations keep their spelling, and misfits are named', async (t) => {
  const invalid: string[] = [];
  const item = {
    get: op('a'),
    query: op('b'),
    additionalOperations: { LINK: op('c'), 'not a method': op('d'), post: op('e'), Query: op('f'), purge: op('g') },
  };
  const found = pathItemOperations(item, '/paths/~1x', true, (at, message) => invalid.push(`${at}: ${message}`));
  t.same(found.map((o) => [o.method, o.pointer]), [
    ['GET', '/paths/~1x/get'],
    ['QUERY', '/paths/~1x/query'],
    ['LINK', '/paths/~1x/additionalOperations/LINK'],
    ['purge', '/paths/~1x/additionalOperations/purge'],
  ]);
  t.match(invalid, [/additionalOperations\/not a method: "not a method" is not an HTTP method name/, /additionalOperations\/post: post has its own field/, /additionalOperations\/Query: Query has its own field/]);
  t.same(pathItemOperations({ additionalOperations: [] }, '/paths/~1y', true, (at) => invalid.push(at)), []);
  t.equal(invalid.at(-1), '/paths/~1y/additionalOperations');
});

t.test('extraction: a 3.2 document yields its QUERY and additional operations, and its querystring parameters apart', async (t) => {
  const querystring = { name: 'filter', in: 'querystring', required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } };
  const document = {
    openapi: '3.2.0',
    paths: {
      '/x': { query: op('search'), additionalOperations: { LINK: op('link') }, get: { ...op('filtered'), parameters: [querystring] } },
      '/y': { get: { ...op('optional'), parameters: [{ ...querystring, required: false }] } },
    },
  };
  const { operations, warnings } = extractOperations(document);
  t.same(operations.map((o) => `${o.method} ${o.operationId}`), ['GET filtered', 'QUERY search', 'LINK link', 'GET optional']);
  t.match(operations.find((o) => o.operationId === 'filtered')?.querystring, { name: 'filter', required: true, mediaType: 'application/x-www-form-urlencoded', schema: { type: 'object' } });
  t.match(operations.find((o) => o.operationId === 'optional')?.querystring, { name: 'filter', required: false });
  t.same(warnings, []);
  t.same(operations.flatMap((o) => o.parameters.map((p) => p.in)), [], 'no querystring parameter becomes a query parameter');

  // The operation's own overrides the path's; one the harness cannot write marks a required operation, warns for an optional one.
  const plain = { name: 'q', in: 'querystring', content: { 'text/plain': { schema: { type: 'string' } } } };
  const mixed = extractOperations({
    openapi: '3.2.0',
    paths: {
      '/a': { parameters: [{ ...plain, required: true }], get: { ...op('overridden'), parameters: [querystring] } },
      '/b': { get: { ...op('required'), parameters: [{ ...plain, required: true }] } },
      '/c': { get: { ...op('optionalPlain'), parameters: [plain] } },
    },
  });
  t.match(mixed.operations.find((o) => o.operationId === 'overridden'), { querystring: { name: 'filter' }, unbuilt: undefined });
  t.match(mixed.operations.find((o) => o.operationId === 'required')?.unbuilt, /required parameter "q" is the whole query string written as text\/plain/);
  t.match(mixed.warnings, [{ code: 'parameter-not-built', location: '/paths/~1c/get/parameters/0' }]);

  const as31 = extractOperations({ ...document, openapi: '3.1.0' });
  t.same(as31.operations.map((o) => o.operationId), ['filtered', 'optional'], '3.1 has no query field');
  t.match(as31.warnings, [{ code: 'parameter-invalid' }, { code: 'parameter-invalid' }], 'in: querystring is invalid before 3.2');
});
