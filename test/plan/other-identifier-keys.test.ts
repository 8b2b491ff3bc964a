import t from 'tap';
import { otherIdentifierKeys } from '../../harness/plan/value-harvest.js';

// When the run takes a create's id from a field of its answer, the answer's other id fields say
// the path may take one of them instead (Strapi's documentId): then no write goes to the id chosen.
t.test('the keys that read as identifiers, other than the one taken', async (t) => {
  t.same(otherIdentifierKeys({ id: 9, documentId: 'oe6x', name: 'a', valid: true, paid: 3 }, '9'), ['documentId']);
  t.same(otherIdentifierKeys({ id: 9, user_id: 4, uuid: 'u-1', slug: 'a-thing', ID: 7 }, '9'), ['user_id', 'uuid', 'slug', 'ID']);
  t.same(otherIdentifierKeys({ id: 9, apiKey: 's3cret', valid: 'yes', void: 'x' }, '9'), [], 'apiKey is a secret, valid and void are not ids');
  t.same(otherIdentifierKeys({ id: 9, externalId: 9 }, '9'), [], 'the same value is no alternative');
  t.same(otherIdentifierKeys({ id: 9, parentId: null, ownerId: { id: 1 }, tagId: '' }, '9'), [], 'only non-empty scalars');
  t.same(otherIdentifierKeys([{ documentId: 'x' }], '9'), [], 'not an object');
});
