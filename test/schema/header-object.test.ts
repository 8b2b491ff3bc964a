import t from 'tap';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { makeProfile } from './make-profile.js';

/** Review finding: `type: object` headers failed "must be object, got string" whatever the supplier sent. */

const limits = {
  type: 'object',
  required: ['remaining'],
  properties: { remaining: { type: 'integer', minimum: 0 }, window: { type: 'string' } },
};
const doc = (openapi: string) => ({
  openapi,
  info: { title: 't', version: '1' },
  paths: {
    '/h': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            headers: {
              'X-Limits': { schema: limits },
              'X-Limits-Ref': { schema: { $ref: '#/components/schemas/Limits' } },
              'X-Anything': { schema: { type: 'object' } },
            },
          },
        },
      },
    },
  },
  components: { schemas: { Limits: limits } },
});

for (const openapi of ['3.0.3', '3.1.0']) {
  t.test(`object headers in simple style (${openapi})`, async (t) => {
    const v = compileValidators(makeProfile(doc(openapi)));
    const p = (name: string): string => `/paths/~1h/get/responses/200/headers/${name}/schema`;
    t.ok(v.has(p('X-Limits')));
    t.same(v.validateHeader(p('X-Limits'), 'remaining,42,window,1m'), [], 'not exploded');
    t.same(v.validateHeader(p('X-Limits'), 'remaining=42, window=1m'), [], 'exploded');
    t.same(v.validateHeader(p('X-Limits-Ref'), 'remaining=0'), [], 'through $ref');
    t.same(v.validateHeader(p('X-Anything'), 'a,1,b,2'), [], 'free-form object');
    t.same(v.validateHeader(p('X-Anything'), 'a=1'), [], 'free-form object, exploded');
    t.same(v.validateHeader(p('X-Anything'), '__proto__=1'), [], 'a key named __proto__ is data');
    t.ok(v.validateHeader(p('X-Limits'), 'window=1m').length > 0, 'a missing required key still fails');
    t.ok(v.validateHeader(p('X-Limits'), 'remaining=-1').length > 0, 'a bad value still fails');
    t.ok(v.validateHeader(p('X-Limits'), 'remaining,lots').length > 0, 'a value of the wrong type still fails');
  });
}
