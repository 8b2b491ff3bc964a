import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { translateOas30Document, translateOas30Schema } from '../../harness/schema/oas30-schema.js';
import { docWithSchema, makeProfile, THINGS } from './make-profile.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

t.test('translation shapes', async (t) => {
  t.same(translateOas30Schema({ type: 'string', nullable: true, example: 'x' }), { type: ['string', 'null'] });
  t.same(translateOas30Schema({ type: 'string', enum: ['a'], nullable: true }), { type: ['string', 'null'], enum: ['a', null] });
  t.same(translateOas30Schema({ $ref: '#/components/schemas/A', nullable: true, description: 'd' }), { anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] });
  t.same(translateOas30Schema({ type: 'integer', minimum: 1, exclusiveMinimum: true, 'x-a': 1 }), { type: 'integer', exclusiveMinimum: 1 });
  t.same(translateOas30Schema({ properties: { 'x-b': { type: 'string', xml: {} }, nullable: { type: 'boolean' } } }), {
    properties: { 'x-b': { type: 'string' }, nullable: { type: 'boolean' } },
  }, 'property names are not keywords');
});

t.test('the input document is never mutated', async (t) => {
  const doc = docWithSchema(
    { type: 'object', nullable: true, required: ['a', 'pw'], properties: { a: { $ref: '#/components/schemas/A', nullable: true }, pw: { type: 'string', writeOnly: true } } },
    { A: { type: 'object', discriminator: { propertyName: 'k' }, oneOf: [{ type: 'object' }], properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true, format: 'plate' } } } },
  );
  const before = JSON.stringify(doc);
  deepFreeze(doc);
  const v = compileValidators(makeProfile(doc));
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.validate(THINGS, { a: { n: 1 } }), []);
  t.ok(v.validate(THINGS, { a: { n: 0 } }).length > 0);
  t.equal(JSON.stringify(doc), before);
});

t.test('a $ref into a schema that nullable wrapping moved still resolves', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ $ref: '#/components/schemas/Wrapper/properties/inner' }, {
    Wrapper: { nullable: true, allOf: [{ type: 'object' }], properties: { inner: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } },
  })));
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.validate(THINGS, { id: 1 }), []);
  t.equal(v.validate(THINGS, { id: 'x' })[0]?.pointer, '/id');
});

t.test('schemas kept in unusual places are reached through their refs', async (t) => {
  const doc = { ...docWithSchema({ $ref: '#/x-shared/Plate' }), 'x-shared': { Plate: { type: 'string', nullable: true, maxLength: 8 } } };
  const translated = translateOas30Document(doc);
  t.ok(translated.roots.includes('/x-shared/Plate'));
  const v = compileValidators(makeProfile(doc));
  t.same(v.validate(THINGS, null), []);
  t.equal(v.validate(THINGS, 'WAY TOO LONG')[0]?.keyword, 'maxLength');
});

t.test('examples in media types never reach Ajv', async (t) => {
  const doc = docWithSchema({ type: 'string' });
  const translated = translateOas30Document({ ...doc, paths: { '/e': { get: { responses: { '200': { description: 'x', content: { 'application/json': { schema: { type: 'string' }, example: { $id: 'dup' } } } } } } } } });
  t.notMatch(JSON.stringify(translated.document), /dup/);
});
