import t from 'tap';
import { compileValidators, ValidationNotRun } from '../../harness/schema/compile-validators.js';
import { docWithSchema, makeProfile, THINGS } from './make-profile.js';

/**
 * `prepareRun` copies `validators.warnings` into the report right after compiling,
 * so every warning must exist by then: validating adds none, whatever happens.
 */
t.test('validating never adds warnings', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ $ref: '#/components/schemas/Tree' }, {
    Tree: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
    Odd: { type: 'string', format: 'plate-number' },
  })));
  const before = JSON.stringify(v.warnings);
  t.ok(v.warnings.some((w) => w.code === 'unknown-format'), 'compile-time warnings are there');
  v.validate(THINGS, [[1]]);
  v.validate('/no/such/pointer', 1);
  t.throws(() => v.validate(THINGS, JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)), ValidationNotRun);
  t.equal(JSON.stringify(v.warnings), before);
});
