import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { bodyPointer, countCompiles, makeProfile } from './make-profile.js';

const compiles = countCompiles(t);

const ok = (schema: unknown) => ({ get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } } });
const document = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/a': ok({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }),
    '/b': ok({ type: 'integer', nullable: true }),
    '/c': ok({ $ref: '#/components/schemas/Missing' }),
  },
  components: { schemas: {} },
};

t.test('above the eager limit, each schema compiles once, on first use, and the deferral is a compile-time warning', async (t) => {
  const before = compiles.count;
  const v = compileValidators(makeProfile(document), { eagerLimit: 2 });
  t.equal(compiles.count - before, 0, 'nothing compiled up front');
  t.same(v.warnings.map((w) => w.code), ['schema-compile-deferred']);
  t.match(v.warnings[0]?.message, /^3 response schemas, so each is compiled when a response first needs it/);
  const warnings = JSON.stringify(v.warnings);

  t.ok(v.has(bodyPointer('/a')));
  t.equal(compiles.count - before, 1, 'has() compiled /a');
  t.same(v.validate(bodyPointer('/a'), { id: 'x' }), []);
  t.equal(v.validate(bodyPointer('/a'), {})[0]?.keyword, 'required');
  t.equal(v.validate(bodyPointer('/b'), 'x')[0]?.keyword, 'type', 'validate() compiles on its own');
  t.same(v.validate(bodyPointer('/b'), null), [], 'nullable still translated');
  t.equal(compiles.count - before, 2, 'one compile per pointer, however often it is used');

  t.notOk(v.has(bodyPointer('/c')), 'a schema Ajv refuses has no validator');
  t.notOk(v.has(bodyPointer('/c')));
  t.same(v.validate(bodyPointer('/c'), 1), []);
  t.equal(compiles.count - before, 3, 'a refused schema is not retried');
  t.notOk(v.has('/no/such/pointer'));
  t.equal(JSON.stringify(v.warnings), warnings, 'using validators adds no warnings');
});

t.test('at or under the limit, everything compiles up front as before', async (t) => {
  const before = compiles.count;
  const v = compileValidators(makeProfile(document), { eagerLimit: 3 });
  t.equal(compiles.count - before, 3);
  t.same(v.warnings.map((w) => w.code), ['schema-uncompilable']);
  t.equal(v.warnings[0]?.location, bodyPointer('/c'));
  t.ok(v.has(bodyPointer('/a')));
  t.equal(compiles.count - before, 3, 'has() compiles nothing more');
});
