import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { translateOas30Document } from '../../harness/schema/oas30-schema.js';
import { docWithSchema, makeProfile, THINGS } from './make-profile.js';

type Obj = Record<string, unknown>;

/**
 * Review findings about `allOf` in responses: a writeOnly property required from
 * another branch, and a closed (`additionalProperties: false`) branch that forbids
 * what its siblings declare.
 */

const compile = (schema: unknown, schemas: Obj, openapi: string) => compileValidators(makeProfile(docWithSchema(schema, schemas, openapi)));
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const credential = {
  type: 'object',
  properties: { user: { type: 'string' }, password: { type: 'string', writeOnly: true } },
};

for (const openapi of ['3.0.3', '3.1.0']) {
  t.test(`writeOnly required from a sibling allOf branch (${openapi})`, async (t) => {
    const v = compile({ allOf: [ref('Cred'), { required: ['password', 'user'] }] }, { Cred: credential }, openapi);
    t.same(v.validate(THINGS, { user: 'u' }), [], 'password may be absent from a response');
    t.equal(v.validate(THINGS, {})[0]?.message, 'is missing, and the schema requires it', 'other required names still apply');
  });

  t.test(`writeOnly required beside an allOf that declares it (${openapi})`, async (t) => {
    const schemas = { User: credential, Login: { allOf: [ref('User')], required: ['password', 'user'] } };
    const v = compile(ref('Login'), schemas, openapi);
    t.same(v.validate(THINGS, { user: 'u' }), []);
    t.ok(v.validate(THINGS, { password: 'p' }).some((e) => e.keyword === 'required'), 'user is still required');
  });

  t.test(`writeOnly through nested allOf and a $ref chain (${openapi})`, async (t) => {
    const schemas = {
      Secret: { type: 'string', writeOnly: true },
      Base: { type: 'object', properties: { pin: ref('Secret') } },
      Alias: ref('Base'),
    };
    const v = compile({ allOf: [ref('Alias'), { allOf: [{ required: ['pin'] }] }] }, schemas, openapi);
    t.same(v.validate(THINGS, {}), []);
  });

  t.test(`allOf over a closed schema (${openapi})`, async (t) => {
    const schemas = {
      Base: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string' } } },
    };
    const v = compile({ allOf: [ref('Base'), { properties: { extra: { type: 'string' } } }] }, schemas, openapi);
    t.ok(v.has(THINGS));
    t.same(v.validate(THINGS, { id: '1', extra: 'x' }), [], 'a property the sibling declares is allowed');
    t.equal(v.validate(THINGS, { id: '1', extra: 3 })[0]?.keyword, 'type', 'and still checked');
    t.equal(v.validate(THINGS, { id: '1', stray: 'x' })[0]?.keyword, 'additionalProperties', 'an undeclared property is still refused');
    const warning = v.warnings.find((w) => w.code === 'allof-additional-properties');
    t.equal(warning?.location, '/components/schemas/Base/additionalProperties');
    t.match(warning?.message, /forbids "extra", which other allOf schemas declare/);

    // Base used on its own stays closed.
    const direct = compile(ref('Base'), schemas, openapi);
    t.equal(direct.validate(THINGS, { id: '1', extra: 'x' })[0]?.keyword, 'additionalProperties');
    t.same(direct.warnings.filter((w) => w.code === 'allof-additional-properties'), [], 'no contradiction, no warning');
  });

  t.test(`closed inline branch, and a closed schema with its own allOf (${openapi})`, async (t) => {
    const inline = compile({
      allOf: [
        { type: 'object', additionalProperties: false, properties: { id: { type: 'string' } } },
        { properties: { extra: { type: 'string' } } },
      ],
    }, {}, openapi);
    t.same(inline.validate(THINGS, { id: '1', extra: 'x' }), []);
    t.equal(inline.validate(THINGS, { id: '1', stray: 1 })[0]?.keyword, 'additionalProperties');
    t.equal(inline.warnings.find((w) => w.code === 'allof-additional-properties')?.location, `${THINGS}/allOf/0/additionalProperties`);

    const holder = compile({ additionalProperties: false, properties: { id: {} }, allOf: [ref('Extra')] }, { Extra: { properties: { extra: { type: 'string' } } } }, openapi);
    t.same(holder.validate(THINGS, { id: '1', extra: 'x' }), []);
    t.equal(holder.validate(THINGS, { id: '1', stray: 1 })[0]?.keyword, 'additionalProperties');
  });

  t.test(`sibling patternProperties: additionalProperties is dropped for that use (${openapi})`, async (t) => {
    const v = compile({ allOf: [ref('Base'), { patternProperties: { '^x-': { type: 'string' } } }] }, {
      Base: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' } } },
    }, openapi);
    t.same(v.validate(THINGS, { id: '1', 'x-a': 'b' }), []);
    t.equal(v.validate(THINGS, { id: '1', 'x-a': 1 })[0]?.keyword, 'type');
  });
}

t.test('the input document is not mutated', async (t) => {
  const doc = docWithSchema({ allOf: [ref('Base'), { required: ['password'], properties: { extra: {} } }] }, {
    Base: { type: 'object', additionalProperties: false, properties: { password: { type: 'string', writeOnly: true } } },
  });
  const before = JSON.stringify(doc);
  const translated = translateOas30Document(doc, [THINGS]);
  t.equal(JSON.stringify(doc), before);
  t.equal(translated.closedAllOfBranches.length, 1);
  const base = (translated.document.components as Obj).schemas as Obj;
  t.same((base.Base as Obj).additionalProperties, false, 'the shared translation stays closed');
});
