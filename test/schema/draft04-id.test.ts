import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { docWithSchema, makeProfile, THINGS } from './make-profile.js';

/**
 * Review finding: a draft-04 `id` (or `$schema`) pasted into a 3.0 component made
 * Ajv refuse the schema, so every operation using it went unchecked.
 */
const person = {
  id: 'http://example.org/schemas/person.json',
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, id: { type: 'string' } },
};

t.test('3.0: draft-04 id and $schema are dropped, the schema is still checked', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ $ref: '#/components/schemas/Person' }, { Person: person })));
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.warnings.filter((w) => w.code === 'schema-uncompilable'), []);
  t.same(v.validate(THINGS, { name: 'Ann', id: 'p1' }), [], 'conformant; a property called id is still a property');
  t.equal(v.validate(THINGS, { name: 3 })[0]?.keyword, 'type');
  t.equal(v.validate(THINGS, { id: 'p1' })[0]?.keyword, 'required');
});

t.test('3.1: id is an unknown keyword and does not stop validation', async (t) => {
  const { $schema: _ignored, ...rest } = person;
  const v = compileValidators(makeProfile(docWithSchema({ $ref: '#/components/schemas/Person' }, { Person: rest }, '3.1.0')));
  t.ok(v.has(THINGS), JSON.stringify(v.warnings));
  t.same(v.validate(THINGS, { name: 'Ann' }), []);
  t.equal(v.validate(THINGS, { name: 3 })[0]?.keyword, 'type');
});
