import fc from 'fast-check';
import t from 'tap';
import { previewJson } from '../../harness/schema/json-preview.js';

t.test('previewJson equals JSON.stringify when short enough', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const full = JSON.stringify(value);
      const preview = previewJson(value, 10_000);
      if (full.length <= 10_000 && preview !== full) throw new Error(`${preview} !== ${full}`);
    }),
    { numRuns: 300, seed: 7 },
  );
  t.equal(previewJson({ a: [1, 'x', null, true, {}] }, 200), '{"a":[1,"x",null,true,{}]}');
});

t.test('previewJson stops early on huge or deep values', async (t) => {
  const big = new Array(1_000_000).fill(0);
  const preview = previewJson(big, 50);
  t.ok(preview.length > 50 && preview.length < 60, `cut just past the limit (${preview.length})`);
  t.ok(JSON.stringify(big).startsWith(preview), 'a prefix of the full text');
  const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
  t.equal(previewJson(deep, 10), '['.repeat(11));
});
