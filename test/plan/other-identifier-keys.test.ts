import t from 'tap';
import { otherIdentifierKeys } from '../../harness/plan/value-harvest.js';

// When the run takes a create's id from a field of its answer, the answer's other own-id fields say the
// path may take one of them instead (Strapi's documentId): then no write goes to the id before a read confirms it.
t.test("the answer's other keys a record's own id goes by", async (t) => {
  t.same(otherIdentifierKeys({ id: 9, documentId: 'oe6x', name: 'a', valid: true }, '9', 'id', 'incident'), ['documentId']);
  t.same(otherIdentifierKeys({ id: 9, uuid: 'u-1', slug: 'a-thing', public_id: 'p', thingId: 't9' }, '9', 'id', 'thing'), ['uuid', 'slug', 'public_id', 'thingId']);
  t.same(otherIdentifierKeys({ thingId: 't9', id: 9 }, 't9', 'thingId', 'thing'), [], "the parameter's own name holds the value taken: the document pointed to it");
});

t.test('not a foreign key, a secret or an echo of the same value', async (t) => {
  // Review: with these counted, a broken read-back became a warning for most real APIs.
  t.same(otherIdentifierKeys({ id: 9, ownerId: 4, user_id: 5, tenantId: 't', createdById: 1, key: 'theme', apiKey: 's3cret' }, '9', 'id', 'thing'), []);
  t.same(otherIdentifierKeys({ id: 9, externalId: 9 }, '9', 'id', 'thing'), [], 'the same value is no alternative');
  t.same(otherIdentifierKeys({ id: 9, uuid: null, slug: '', guid: { v: 1 } }, '9', 'id', 'thing'), [], 'only non-empty scalars');
  t.same(otherIdentifierKeys([{ documentId: 'x' }], '9', 'id', 'thing'), [], 'not an object');
});
