import t from 'tap';
import { schemaMismatch } from '../../harness/plan/fits-schema.js';

t.test('schemaMismatch reads a value parsed from JSON strictly, and names the member at fault', async (t) => {
  const schema = { type: 'object', additionalProperties: false, required: ['limit'], properties: { limit: { type: 'integer', minimum: 1 }, order: { type: 'array', maxItems: 2, items: { type: 'string', enum: ['id', 'title'] } } } };
  t.equal(schemaMismatch({}, schema, { limit: 2, order: ['id'] }, { json: true }), undefined);
  t.equal(schemaMismatch({}, schema, { limit: 0 }, { json: true }), 'is below the minimum 1 at /limit');
  t.equal(schemaMismatch({}, schema, { limit: '2' }, { json: true }), 'is not of type integer at /limit', 'a JSON string is not a number');
  t.equal(schemaMismatch({}, schema, { order: [] }, { json: true }), 'has no limit, which its schema requires');
  t.equal(schemaMismatch({}, schema, { limit: 1, where: {} }, { json: true }), 'has the member where, which its schema does not allow (additionalProperties: false)');
  t.equal(schemaMismatch({}, schema, { limit: 1, order: ['id', 'done'] }, { json: true }), 'is not one of "id", "title" at /order/1');
  t.equal(schemaMismatch({}, schema, { limit: 1, order: ['id', 'id', 'id'] }, { json: true }), 'has more than maxItems 2 items at /order');
  t.equal(schemaMismatch({}, { type: 'integer' }, '2'), undefined, 'URL text still counts as a number');
  t.equal(schemaMismatch({}, { ...schema, patternProperties: { '^x-': {} } }, { limit: 1, 'x-trace': {} }, { json: true }), undefined, 'a member a patternProperties pattern names is not refused');
});

t.test('prefixItems and patternProperties: members are judged by the schema that applies to them, or not at all', async (t) => {
  // Found in review: `items` was applied to every item, and additionalProperties to members a pattern names.
  t.equal(schemaMismatch({}, { prefixItems: [{ type: 'integer' }], items: false }, [1], { json: true }), undefined);
  t.equal(schemaMismatch({}, { prefixItems: [{ type: 'integer' }], items: false }, [1, 2], { json: true }), 'no value is allowed at /1');
  t.equal(schemaMismatch({}, { prefixItems: [{ type: 'integer' }], items: { type: 'string' } }, [1, 'a'], { json: true }), undefined);
  t.equal(schemaMismatch({}, { prefixItems: [{ type: 'integer' }], items: { type: 'string' } }, ['a'], { json: true }), 'is not of type integer at /0');
  const patterned = { patternProperties: { '^x-': { type: 'string' } }, additionalProperties: { type: 'integer' } };
  t.equal(schemaMismatch({}, patterned, { 'x-a': 'str', n: 1 }, { json: true }), undefined);
  t.equal(schemaMismatch({}, patterned, { n: 'one' }, { json: true }), 'is not of type integer at /n');
  t.equal(schemaMismatch({}, { patternProperties: { '^x-': {} }, additionalProperties: false }, { y: 1 }, { json: true }), 'has the member y, which its schema does not allow (additionalProperties: false)');
  t.equal(schemaMismatch({}, { patternProperties: { '(?<': {} }, additionalProperties: false }, { y: 1 }, { json: true }), undefined, 'a pattern that does not compile refuses nothing');
});

t.test('uniqueItems, enum and const compare JSON values, whose members have no order', async (t) => {
  // Left open in an earlier note: items were compared as JSON text, so `{a,b}` and `{b,a}` counted as two.
  const unique = { type: 'array', uniqueItems: true };
  t.equal(schemaMismatch({}, unique, [{ a: 1, b: 2 }, { b: 2, a: 1 }], { json: true }), 'has repeated items, where uniqueItems is true');
  t.equal(schemaMismatch({}, unique, [{ a: 1 }, { a: 1, b: 2 }], { json: true }), undefined);
  t.equal(schemaMismatch({}, unique, [[1, 2], [2, 1]], { json: true }), undefined, 'an array is ordered');
  t.equal(schemaMismatch({}, unique, [1, '1'], { json: true }), undefined, 'a number is not its text');
  t.equal(schemaMismatch({}, { enum: [{ x: 1, y: 2 }] }, { y: 2, x: 1 }, { json: true }), undefined);
  t.equal(schemaMismatch({}, { const: { x: 1 } }, { x: 1, y: 2 }, { json: true }), 'is not {"x":1}');
});
