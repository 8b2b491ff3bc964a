import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { bodyPointer, countCompiles, makeProfile } from './make-profile.js';

const compiles = countCompiles(t);

/** `count` operations, each answering a list of the one shared `Person` (plus a `Problem` default). */
function sharedDocument(count: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    paths[`/people${i}`] = {
      get: {
        operationId: `listPeople${i}`,
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Person' } } } } },
          default: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths,
    components: {
      schemas: {
        Person: {
          type: 'object',
          required: ['id', 'password'],
          properties: {
            id: { type: 'integer', format: 'int64' },
            name: { type: 'string', nullable: true },
            password: { type: 'string', writeOnly: true },
            address: { $ref: '#/components/schemas/Address' },
            born: { type: 'string', format: 'date' },
          },
        },
        Address: { type: 'object', properties: { line1: { type: 'string' }, postcode: { type: 'string', pattern: '^[A-Z0-9 ]+$' } } },
        Problem: { type: 'object', required: ['title'], properties: { title: { type: 'string' }, status: { type: 'integer' } } },
      },
    },
  };
}

t.test('a component shared by many responses is compiled once, not once per response', async (t) => {
  const one = compileValidators(makeProfile(sharedDocument(1)));
  const many = compileValidators(makeProfile(sharedDocument(40)));
  const perExtraOperation = (many.compiledSchemaObjects() - one.compiledSchemaObjects()) / 39;
  // Each further operation adds its own array schema (a bare `$ref` has no code of its own), never Person, Address or Problem again.
  t.equal(perExtraOperation, 1, `each further operation compiles only its own array schema (${one.compiledSchemaObjects()} for one operation, ${many.compiledSchemaObjects()} for 40)`);
  // And the answers are the same ones as before sharing.
  const pointer = bodyPointer('/people39');
  t.same(many.validate(pointer, [{ id: 1, name: null, address: { postcode: 'AB1 2CD' } }]), [], 'writeOnly password not required, nullable name, valid address');
  const errors = many.validate(pointer, [{ id: 'x', address: { postcode: 'ab' } }]);
  t.same(errors.map((e) => `${e.pointer} ${e.keyword} ${e.schemaPath}`).sort(), [
    '/0/address/postcode pattern /components/schemas/Address/properties/postcode/pattern',
    '/0/id type /components/schemas/Person/properties/id/type',
  ], 'errors still name the component where the keyword is written');
  t.same(many.validate(bodyPointer('/people7', 'default'), {}).map((e) => e.keyword), ['required'], 'the shared Problem validates for every operation');
});

t.test('only the selected operations are compiled', async (t) => {
  const profile = makeProfile(sharedDocument(10));
  const chosen = profile.operations.filter((o) => o.operationId === 'listPeople3');
  const before = compiles.count;
  const v = compileValidators(profile, { operations: chosen });
  t.equal(compiles.count - before, 2, 'the 200 list and the default Problem of the one operation');
  t.ok(v.has(bodyPointer('/people3')));
  t.ok(v.has(bodyPointer('/people3', 'default')));
  t.notOk(v.has(bodyPointer('/people4')), 'an operation the run does not probe has no validator');
  t.equal(compiles.count - before, 2, 'asking about it compiles nothing');
});

t.test('responses naming the same component share its validator', async (t) => {
  const profile = makeProfile(sharedDocument(5));
  const before = compiles.count;
  const v = compileValidators(profile);
  // Five list wrappers, and one validator for the five `default` responses that are only `$ref: Problem`.
  t.equal(compiles.count - before, 6);
  t.same(v.warnings, []);
});
