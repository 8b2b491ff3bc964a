import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { MAX_SCHEMA_ERRORS } from '../../harness/schema/schema-errors.js';
import { bodyPointer, docWithSchema, makeProfile, THINGS } from './make-profile.js';

const personList = docWithSchema(
  { type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Person' } } } },
  { Person: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, dateOfBirth: { type: 'string', format: 'date' } } } },
);

t.test('a wrong type deep in an array is located in the body and in the profile', async (t) => {
  const v = compileValidators(makeProfile(personList));
  const people = [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd', dateOfBirth: 19800101 }];
  const errors = v.validate(THINGS, { data: people });
  t.same(errors, [{
    pointer: '/data/3/dateOfBirth',
    keyword: 'type',
    schemaPath: '/components/schemas/Person/properties/dateOfBirth/type',
    message: 'must be string, got number',
    // The component the failing keyword is in, so a reader sees a name rather than an escaped pointer.
    schema: 'Person',
    value: '19800101',
  }]);
});

t.test('an error inside an inline schema names no component', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ type: 'object', properties: { count: { type: 'integer' } } })));
  const [error] = v.validate(THINGS, { count: 'many' });
  t.equal(error?.schema, undefined);
  t.match(error?.schemaPath, /^\/paths\//);
});

t.test('required errors point at the missing property and carry no value', async (t) => {
  const v = compileValidators(makeProfile(personList));
  const errors = v.validate(THINGS, { data: [{ dateOfBirth: '1980-01-01' }] });
  t.equal(errors.length, 1);
  t.equal(errors[0]?.pointer, '/data/0/name');
  t.equal(errors[0]?.keyword, 'required');
  t.equal(errors[0]?.message, 'is missing, and the schema requires it', 'said of the member the pointer names, not of its parent');
  t.equal(errors[0]?.schemaPath, '/components/schemas/Person/required');
  t.notOk('value' in (errors[0] ?? {}), 'no value for a missing property');
});

t.test('additional properties are located at the extra property', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ type: 'object', additionalProperties: false, properties: { a: {} } })));
  const errors = v.validate(THINGS, { a: 1, 'we/ird': [1] });
  t.equal(errors[0]?.pointer, '/we~1ird');
  t.equal(errors[0]?.value, '[1]');
});

t.test('long values are truncated with an ellipsis', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ type: 'string' })));
  const errors = v.validate(THINGS, ['x'.repeat(500)]);
  t.equal(errors[0]?.value?.length, 201);
  t.ok(errors[0]?.value?.endsWith('…'));
});

t.test('errors are capped at 50 with a note of how many were dropped', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ type: 'array', items: { type: 'string' } })));
  const errors = v.validate(THINGS, Array.from({ length: 120 }, (_, i) => i));
  t.equal(errors.length, MAX_SCHEMA_ERRORS);
  t.equal(errors.at(-1)?.keyword, 'truncated');
  t.match(errors.at(-1)?.message, /^71 more schema errors not shown$/);
  t.equal(errors[0]?.pointer, '/0');
});

t.test('anyOf failures are reduced to the closest branch', async (t) => {
  const schemas: Record<string, unknown> = {};
  const branches = [];
  for (let i = 0; i < 10; i++) {
    schemas[`V${i}`] = { type: 'object', required: ['kind', `f${i}`], properties: { kind: { const: `k${i}` }, [`f${i}`]: { type: 'string' } } };
    branches.push({ $ref: `#/components/schemas/V${i}` });
  }
  const v = compileValidators(makeProfile(docWithSchema({ type: 'object', properties: { item: { anyOf: branches } } }, schemas)));
  const errors = v.validate(THINGS, { item: { kind: 'k7', f7: 12 } });
  t.ok(errors.length <= 3, `short: ${JSON.stringify(errors, null, 1)}`);
  t.equal(errors[0]?.keyword, 'anyOf');
  t.match(errors[0]?.message, /closest is anyOf\/7/);
  t.ok(errors.some((e) => e.pointer === '/item/f7' && e.keyword === 'type'), 'the closest branch error is kept');
  t.same(v.validate(THINGS, { item: { kind: 'k7', f7: 'x' } }), [], 'and a matching value passes');
});

t.test('oneOf matching two branches says so, without branch noise', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ oneOf: [{ type: 'integer' }, { type: 'number' }, { type: 'string' }] })));
  const errors = v.validate(THINGS, 3);
  t.equal(errors.length, 1);
  t.equal(errors[0]?.keyword, 'oneOf');
  t.match(errors[0]?.message, /oneOf\/0 and oneOf\/1/);
  t.same(v.validate(THINGS, 3.5), []);
});

t.test('nested nullable wrappers read as one schema', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ type: 'object', properties: { tags: { type: 'array', nullable: true, items: { $ref: '#/components/schemas/Tag', nullable: true } } } }, {
    Tag: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
  })));
  t.same(v.validate(THINGS, { tags: null }), []);
  t.same(v.validate(THINGS, { tags: [null, { id: 1 }] }), []);
  const errors = v.validate(THINGS, { tags: [{ id: 'x' }, {}] });
  t.same(errors.map((e) => [e.pointer, e.keyword]), [['/tags/0/id', 'type'], ['/tags/1/id', 'required']]);
});

t.test('headers are coerced by their schema type', async (t) => {
  const doc = {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {
      '/h': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              headers: {
                'X-Rate-Limit': { schema: { type: 'integer', minimum: 0 } },
                'X-Ratio': { schema: { type: 'number' } },
                'X-Flag': { schema: { type: 'boolean' } },
                'X-Ids': { schema: { type: 'array', items: { type: 'integer' } } },
                'X-Name': { schema: { type: 'string', maxLength: 5 } },
                'X-Ref': { schema: { $ref: '#/components/schemas/Count' } },
              },
            },
          },
        },
      },
    },
    components: { schemas: { Count: { type: 'integer', nullable: true } } },
  };
  const v = compileValidators(makeProfile(doc));
  const p = (name: string): string => `/paths/~1h/get/responses/200/headers/${name}/schema`;
  t.same(v.validateHeader(p('X-Rate-Limit'), ' 42 '), []);
  t.equal(v.validateHeader(p('X-Rate-Limit'), 'lots')[0]?.message, 'must be integer, got string');
  t.equal(v.validateHeader(p('X-Rate-Limit'), '-1')[0]?.keyword, 'minimum');
  t.same(v.validateHeader(p('X-Ratio'), '0.75'), []);
  t.same(v.validateHeader(p('X-Flag'), 'true'), []);
  t.ok(v.validateHeader(p('X-Flag'), 'yes').length > 0);
  t.same(v.validateHeader(p('X-Ids'), '1, 2,3'), []);
  t.ok(v.validateHeader(p('X-Ids'), '1,two').length > 0);
  t.same(v.validateHeader(p('X-Name'), '12345'), [], 'digits are a fine string');
  t.ok(v.validateHeader(p('X-Name'), 'toolong').length > 0);
  t.same(v.validateHeader(p('X-Ref'), '7'), [], 'type found through $ref and nullable');
  t.ok(v.validateHeader(p('X-Ref'), 'seven').length > 0);
});

t.test('pointers with characters that need URI encoding', async (t) => {
  const doc = {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: { '/persons/{id} 50%': { get: { responses: { '200': { description: 'ok', content: { 'application/vnd.x+json; v="1"': { schema: { type: 'string' } } } } } } } },
  };
  const pointer = bodyPointer('/persons/{id} 50%', '200', 'application/vnd.x+json; v="1"');
  const v = compileValidators(makeProfile(doc));
  t.ok(v.has(pointer), JSON.stringify(v.warnings));
  t.same(v.validate(pointer, 'ok'), []);
  t.equal(v.validate(pointer, 1)[0]?.keyword, 'type');
});
