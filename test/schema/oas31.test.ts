import t from 'tap';
import { compileValidators, type CompiledValidators } from '../../harness/schema/compile-validators.js';
import { docWithSchema, makeProfile, THINGS } from './make-profile.js';

type Obj = Record<string, unknown>;

function compile31(schema: unknown, schemas: Obj = {}, extra: Obj = {}): CompiledValidators {
  return compileValidators(makeProfile({ ...docWithSchema(schema, schemas, '3.1.0'), ...extra }));
}

t.test('type arrays with "null"', async (t) => {
  const v = compile31({ type: 'object', properties: { nick: { type: ['string', 'null'] } } });
  t.ok(v.has(THINGS));
  t.same(v.validate(THINGS, { nick: null }), []);
  t.same(v.validate(THINGS, { nick: 'x' }), []);
  const errors = v.validate(THINGS, { nick: 4 });
  t.equal(errors[0]?.pointer, '/nick');
  t.equal(errors[0]?.message, 'must be string or null, got number');
});

t.test('$defs with #/$defs/x inside a component schema', async (t) => {
  const v = compile31({ $ref: '#/components/schemas/Person' }, {
    Person: {
      type: 'object',
      required: ['address'],
      properties: { address: { $ref: '#/$defs/address' } },
      $defs: { address: { type: 'object', required: ['postcode'], properties: { postcode: { type: 'string' } } } },
    },
  });
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.validate(THINGS, { address: { postcode: 'SW1A 1AA' } }), []);
  const errors = v.validate(THINGS, { address: {} });
  t.same(errors.map((e) => e.pointer), ['/address/postcode']);
});

t.test('$id scopes its own $defs refs', async (t) => {
  const v = compile31({ $ref: '#/components/schemas/Vehicle' }, {
    Vehicle: {
      $id: 'https://example.org/schemas/vehicle',
      type: 'object',
      properties: { colour: { $ref: '#/$defs/colour' } },
      $defs: { colour: { enum: ['red', 'blue'] } },
    },
  });
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.validate(THINGS, { colour: 'red' }), []);
  t.equal(v.validate(THINGS, { colour: 'green' })[0]?.keyword, 'enum');
});

t.test('const', async (t) => {
  const v = compile31({ type: 'object', properties: { kind: { const: 'person' } } });
  t.same(v.validate(THINGS, { kind: 'person' }), []);
  const errors = v.validate(THINGS, { kind: 'vehicle' });
  t.equal(errors[0]?.keyword, 'const');
  t.equal(errors[0]?.message, 'must be "person"');
});

t.test('prefixItems', async (t) => {
  const v = compile31({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false });
  t.same(v.validate(THINGS, [51.5, -0.12]), []);
  t.ok(v.validate(THINGS, ['51.5', -0.12]).some((e) => e.pointer === '/0' && e.keyword === 'type'));
  t.ok(v.validate(THINGS, [1, 2, 3]).length > 0, 'extra item rejected by items: false');
});

t.test('examples array and other annotations do not validate', async (t) => {
  const v = compile31({
    type: 'integer',
    examples: ['not an integer', { nested: true }],
    example: 'legacy',
    discriminator: { propertyName: 'x' },
    xml: { name: 'n' },
    externalDocs: { url: 'https://example.org' },
    'x-vendor': { type: 'string' },
  });
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.validate(THINGS, 3), []);
  t.equal(v.validate(THINGS, 'not an integer')[0]?.keyword, 'type');
});

t.test('$ref with siblings applies both (3.1)', async (t) => {
  const v = compile31({ $ref: '#/components/schemas/Name', maxLength: 5, description: 'short name' }, { Name: { type: 'string' } });
  t.same(v.validate(THINGS, 'Ann'), []);
  t.equal(v.validate(THINGS, 'Annabelle')[0]?.keyword, 'maxLength', 'sibling maxLength applies');
  t.equal(v.validate(THINGS, 3)[0]?.keyword, 'type', 'target type applies');
});

t.test('discriminator + oneOf in 3.1 is judged by anyOf', async (t) => {
  const v = compile31({
    oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
    discriminator: { propertyName: 'petType' },
  }, {
    Cat: { type: 'object', required: ['petType'], properties: { petType: { const: 'Cat' } } },
    Dog: { type: 'object', required: ['petType'] },
  });
  t.same(v.validate(THINGS, { petType: 'Cat' }), [], 'fits both Cat and the open Dog');
  t.ok(v.validate(THINGS, {}).length > 0, 'fits neither');
});

t.test('leftover 3.0 nullable without type does not break compilation', async (t) => {
  const v = compile31({ type: 'object', properties: { pet: { allOf: [{ $ref: '#/components/schemas/Cat' }], nullable: true } } }, {
    Cat: { type: 'object', required: ['name'] },
  });
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.validate(THINGS, { pet: null }), []);
  t.ok(v.validate(THINGS, { pet: {} }).length > 0);
  t.ok(v.warnings.some((w) => w.code === 'nullable-in-oas31'));
});

t.test('writeOnly in required is not demanded of a 3.1 response', async (t) => {
  const v = compile31({ type: 'object', required: ['id', 'secret'], properties: { id: { type: 'string' }, secret: { type: 'string', writeOnly: true } } });
  t.same(v.validate(THINGS, { id: 'a' }), []);
  t.equal(v.validate(THINGS, {})[0]?.pointer, '/id');
});

t.test('a foreign jsonSchemaDialect is warned about, schemas still compile', async (t) => {
  const v = compile31({ type: 'string' }, {}, { jsonSchemaDialect: 'http://json-schema.org/draft-07/schema#' });
  t.ok(v.has(THINGS));
  t.ok(v.warnings.some((w) => w.code === 'json-schema-dialect-ignored'));
  t.equal(v.validate(THINGS, 1)[0]?.keyword, 'type');
});

t.test('a pattern JavaScript cannot read is dropped with a warning; the rest still validates', async (t) => {
  const v = compile31({ type: 'object', properties: { code: { type: 'string', pattern: '([unclosed' }, ref: { type: 'string', pattern: '^[\\w-.]+$' } } });
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.ok(v.warnings.some((w) => w.code === 'pattern-unsupported' && w.location.endsWith('/properties/code/pattern')));
  t.same(v.validate(THINGS, { code: 'anything', ref: 'a-b.c' }), [], 'u-invalid pattern read without u');
  t.equal(v.validate(THINGS, { ref: 'a b' })[0]?.keyword, 'pattern', 'that pattern still applies');
  t.equal(v.validate(THINGS, { code: 1 })[0]?.keyword, 'type');
});

t.test('a schema Ajv refuses becomes a warning, not a crash', async (t) => {
  const v = compile31({ $ref: '#/components/schemas/Missing' });
  t.notOk(v.has(THINGS));
  const w = v.warnings.find((x) => x.code === 'schema-uncompilable');
  t.equal(w?.location, THINGS);
  t.same(v.validate(THINGS, 'anything'), [], 'no validator, no finding');
});

t.test('a type that names no JSON type is left out with a warning naming it; the rest of the schema is still checked', async (t) => {
  // Found on codat's accounting document: `itemType: {type: {type: string, enum: …}}` made Ajv refuse the whole
  // response schema, and the warning named the response, not the keyword.
  const v = compile31(
    { type: 'object', required: ['id'], properties: { id: { type: 'string' }, kind: { $ref: '#/components/schemas/Item/definitions/itemType' }, size: { type: 'file' } } },
    { Item: { type: 'object', definitions: { itemType: { type: { type: 'string', enum: ['A', 'B'] } } } } },
  );
  t.ok(v.has(THINGS), 'compiled');
  t.same(
    v.warnings.filter((w) => w.code === 'schema-type-invalid').map((w) => w.location).sort(),
    ['/components/schemas/Item/definitions/itemType/type', '/paths/~1things/get/responses/200/content/application~1json/schema/properties/size/type'],
  );
  t.same(v.validate(THINGS, { id: 'x', kind: 'A', size: 3 }), []);
  t.equal(v.validate(THINGS, { kind: 'A' })[0]?.keyword, 'required', 'the rest is checked');
  t.equal(v.validate(THINGS, { id: 5 })[0]?.keyword, 'type');
});

t.test('past the 1,000-error budget, a 3.1 body valid with formats not asserted is still only format breaches', async (t) => {
  // Found by a review: 300 items of {"id": "abc"} against oneOf [uuid string, integer] were a warning, 400 a failure,
  // because collecting stopped at the budget and the verdict pass never asked whether formats alone were at fault.
  const { onlyAnnotatedFormats } = await import('../../harness/schema/schema-errors.js');
  const id = { oneOf: [{ type: 'string', format: 'uuid' }, { type: 'integer' }] };
  const v = compile31({ type: 'array', items: { type: 'object', properties: { id, born: { type: 'string', format: 'date' } } } });
  const doc = { openapi: '3.1.0' };
  for (const [name, items] of [
    ['400 ids breaking a format in a oneOf branch', Array.from({ length: 400 }, () => ({ id: 'abc' }))],
    ['1,200 dates breaking their format', Array.from({ length: 1200 }, () => ({ born: '05/12/1990' }))],
  ] as const) {
    const errors = v.validate(THINGS, items);
    t.ok(onlyAnnotatedFormats(doc, errors), `${name}: ${errors.map((e) => e.keyword).join(', ')}`);
    t.match(errors.at(-1), { keyword: 'format', message: /^more than 1000 schema errors: collecting stopped there \(error budget\); with formats not asserted the body is valid/ });
  }
  const mixed = v.validate(THINGS, [...Array.from({ length: 1200 }, () => ({ born: '05/12/1990' })), { id: true }]);
  t.notOk(onlyAnnotatedFormats(doc, mixed), 'one other fault among them: a failure');
  t.equal(mixed.at(-1)?.keyword, 'truncated');
});
