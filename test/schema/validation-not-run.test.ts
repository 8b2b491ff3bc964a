import t from 'tap';
import { compileValidators, nestingDepth, ValidationNotRun } from '../../harness/schema/compile-validators.js';
import { findSchemaRoots } from '../../harness/schema/schema-locations.js';
import { bodyPointer, makeProfile } from './make-profile.js';
import { boundedBy } from '../support/bounds.js';

/** Regressions found with the hostile supplier (fixtures/hostile-supplier). */

const tree = makeProfile({
  openapi: '3.1.0',
  paths: { '/t': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } } } } } } },
  components: { schemas: { Tree: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } } },
});

t.test('a body too deep for the validator is ValidationNotRun, never an empty error list (a false pass)', async (t) => {
  const validators = compileValidators(tree);
  const pointer = bodyPointer('/t');
  t.same(validators.validate(pointer, [[[]]]), [], 'a shallow tree is valid');
  t.equal(validators.validate(pointer, [[[1]]]).length, 1, 'a shallow invalid tree fails');
  const deep = JSON.parse(`${'['.repeat(100_000)}1${']'.repeat(100_000)}`) as unknown;
  t.throws(() => validators.validate(pointer, deep), ValidationNotRun);
  t.throws(() => validators.validate(pointer, deep), /nested 100000 levels deep, so it was not validated \(the validator ran out of stack\)/);
});

t.test('an offending value 100,000 levels deep is shown as a short preview, not stringified whole', async (t) => {
  const profile = makeProfile({
    openapi: '3.1.0',
    paths: { '/o': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { a: { type: 'array' } } } } } } } } } },
  });
  const deep = JSON.parse(`{"a":${'{"b":'.repeat(100_000)}1${'}'.repeat(100_000)}}`) as unknown;
  const [error] = compileValidators(profile).validate(bodyPointer('/o'), deep);
  t.equal(error?.pointer, '/a');
  t.ok((error?.value ?? '').length <= 201, 'preview is cut at 200 characters');
  t.match(error?.value, /^\{"b":\{"b":/);
});

t.test('nestingDepth measures without recursion', async (t) => {
  t.equal(nestingDepth(1), 0);
  t.equal(nestingDepth({ a: [[1]] }), 3);
  t.equal(nestingDepth(JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)), 200_000);
});

t.test('finding schema roots is not quadratic in the number of schemas', async (t) => {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < 20_000; i++) {
    paths[`/r${i}`] = { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } };
  }
  const started = performance.now();
  const roots = findSchemaRoots({ openapi: '3.1.0', paths }, '3.1');
  const ms = performance.now() - started;
  t.equal(roots.length, 20_000);
  // Quadratic would be 400 million steps, minutes: ending this side of the slack is the bound.
  t.ok(ms < boundedBy(2000), `20,000 roots in ${Math.round(ms)} ms`);
});
