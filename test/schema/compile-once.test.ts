import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { countCompiles, makeProfile } from './make-profile.js';

const compiles = countCompiles(t);

const shared = '/components/responses/People/content/application~1json/schema';
const document = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/people': { get: { responses: { '200': { $ref: '#/components/responses/People' } } } },
    '/staff': { get: { responses: { '200': { $ref: '#/components/responses/People' } } } },
  },
  components: {
    responses: { People: { description: 'people', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Person' } } } } } },
    schemas: { Person: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, boss: { $ref: '#/components/schemas/Person', nullable: true } } } },
  },
};

t.test('one schema referenced from two operations compiles once, validation never compiles', async (t) => {
  const profile = makeProfile(document);
  // The loader resolves the shared response, so both operations carry the same pointer.
  for (const op of profile.operations) op.responses = [{ key: '200', content: [{ mediaRange: 'application/json', schemaPointer: shared }], headers: [], pointer: '/components/responses/People' }];
  t.equal(profile.operations.length, 2);

  const before = compiles.count;
  const v = compileValidators(profile);
  t.equal(compiles.count - before, 1, 'one compile for the shared pointer');
  t.ok(v.has(shared));
  t.same(v.warnings, []);
  t.ok(v.compileMs > 0 && Number.isFinite(v.compileMs), 'compile time measured');

  const good = [{ name: 'a', boss: { name: 'b', boss: null } }];
  const bad = [{ name: 'a', boss: { boss: null } }];
  const afterCompile = compiles.count;
  for (let i = 0; i < 1000; i++) {
    if (v.validate(shared, i % 2 === 0 ? good : bad).length !== (i % 2 === 0 ? 0 : 1)) t.fail(`validation ${i} gave the wrong answer`);
  }
  t.equal(compiles.count, afterCompile, 'no compile during 1000 validations');
  const msAtCompile = v.compileMs;
  t.equal(v.compileMs, msAtCompile, 'compileMs is fixed');
});
