import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { isMultipleOf } from '../../harness/schema/multiple-of.js';
import { docWithSchema, makeProfile, THINGS } from './make-profile.js';

/** Review finding: binary division failed decimal multiples such as prices in pence. */

for (const openapi of ['3.0.3', '3.1.0']) {
  t.test(`multipleOf with decimals (${openapi})`, async (t) => {
    const cents = compileValidators(makeProfile(docWithSchema({ type: 'number', multipleOf: 0.01 }, {}, openapi)));
    t.ok(cents.has(THINGS));
    for (const value of [19.99, 0.07, 1.15, 4.35, 19999999.99, 0, -4.35, 12, 1e21]) t.same(cents.validate(THINGS, value), [], `${value} is a multiple of 0.01`);
    for (const value of [0.015, 19.991, 1e-7]) {
      const [error] = cents.validate(THINGS, value);
      t.equal(error?.keyword, 'multipleOf', `${value} is not a multiple of 0.01`);
      t.equal(error?.message, 'must be multiple of 0.01');
    }
    const tenths = compileValidators(makeProfile(docWithSchema({ type: 'number', multipleOf: 0.1 }, {}, openapi)));
    for (const value of [0.3, 0.7, 0.1 + 0.2]) t.same(tenths.validate(THINGS, value), [], `${value} is a multiple of 0.1`);
    t.equal(tenths.validate(THINGS, 0.35)[0]?.keyword, 'multipleOf');
    const whole = compileValidators(makeProfile(docWithSchema({ type: 'integer', multipleOf: 5 }, {}, openapi)));
    t.same(whole.validate(THINGS, 15), []);
    t.equal(whole.validate(THINGS, 16)[0]?.keyword, 'multipleOf');
    t.same(whole.validate(THINGS, 'not a number').map((e) => e.keyword), ['type'], 'only numbers are judged');
  });
}

t.test('isMultipleOf on exponent forms and bad divisors', async (t) => {
  t.ok(isMultipleOf(3e-7, 1e-7));
  t.notOk(isMultipleOf(3.5e-7, 1e-7));
  t.ok(isMultipleOf(2.5e25, 0.5));
  t.ok(isMultipleOf(7, 0), 'a zero divisor is a profile error and fails nothing');
});
