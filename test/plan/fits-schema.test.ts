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
  t.equal(schemaMismatch({}, { ...schema, patternProperties: { '^x-': {} } }, { limit: 1, where: {} }, { json: true }), undefined, 'with patternProperties an unlisted member is not refused');
});
