import t from 'tap';
import { createListedRecords } from '../../harness/plan/listed-records.js';

t.test('an id a list showed is found by the keys a created record id is read by', async (t) => {
  const listed = createListedRecords();
  listed.record('/things', { data: [{ id: 7, thingId: 'T-9', code: 201, ownerId: 3, name: 'seed' }] });
  t.same(listed.listedAt('/things', 'thingId', '7', false), { path: '/things' }, 'by id');
  t.same(listed.listedAt('/things', 'thingId', 'T-9', false), { path: '/things' }, "by the parameter's own name");
  t.equal(listed.listedAt('/things', 'thingId', '201', false), undefined, "an envelope's code is no id");
  t.equal(listed.listedAt('/things', 'thingId', '3', false), undefined, 'a foreign key is no id');
  t.equal(listed.listedAt('/things', 'thingId', 'seed', false), undefined, 'a name is not read as a record id');
});

t.test('a list of the same resource elsewhere counts; another resource does not', async (t) => {
  const listed = createListedRecords();
  listed.record('/admin/things', [{ id: 'a' }]);
  listed.record('/widgets', [{ id: 'b' }]);
  t.same(listed.listedAt('/things', 'thingId', 'a', false), { path: '/admin/things' });
  t.equal(listed.listedAt('/things', 'thingId', 'b', false), undefined);
});

t.test('bounded: items past the per-list bound are not kept, nor long strings', async (t) => {
  const listed = createListedRecords();
  listed.record('/things', Array.from({ length: 1500 }, (_, i) => ({ id: i })));
  t.same(listed.listedAt('/things', 'thingId', '999', false), { path: '/things' });
  t.same(listed.listedAt('/things', 'thingId', '1000', false), { path: '/things', keptInPart: 'items' }, 'past the bound: it may have been listed');
  t.same(listed.listedAt('/things', 'thingId', '99999', false), { path: '/things', keptInPart: 'items' }, 'the run cannot tell which ids it did not keep');
  const long = 'x'.repeat(300);
  listed.record('/others', [{ id: long }]);
  t.equal(listed.listedAt('/others', 'otherId', long, false), undefined);
});

t.test('a collection under a parent asks only its own list: children are numbered per parent', async (t) => {
  const listed = createListedRecords();
  listed.record('/orgs/1/things', [{ id: '1' }]);
  t.equal(listed.listedAt('/orgs/2/things', 'thingId', '1', true), undefined, "org 1's thing 1 is not org 2's");
  t.same(listed.listedAt('/orgs/1/things', 'thingId', '1', true), { path: '/orgs/1/things' });
});

t.test('a path recorded twice keeps at most the per-list bound', async (t) => {
  const listed = createListedRecords();
  listed.record('/things', Array.from({ length: 800 }, (_, i) => ({ id: i })));
  listed.record('/things', Array.from({ length: 800 }, (_, i) => ({ id: 800 + i })));
  t.same(listed.listedAt('/things', 'thingId', '999', false), { path: '/things' });
  t.same(listed.listedAt('/things', 'thingId', '1000', false), { path: '/things', keptInPart: 'items' });
});

t.test('a list that fits its bound exactly was kept whole: an id it did not show is new', async (t) => {
  const listed = createListedRecords();
  listed.record('/things', Array.from({ length: 1000 }, (_, i) => ({ id: i })));
  t.equal(listed.listedAt('/things', 'thingId', '1000', false), undefined);
});

t.test('once the bound in all is used up, a later list counts as kept in part, and only for its own resource', async (t) => {
  const listed = createListedRecords();
  for (let n = 0; n < 20; n++) listed.record(`/things${n}`, Array.from({ length: 1000 }, (_, i) => ({ id: `${n}-${i}` })));
  listed.record('/widgets', [{ id: 'w1' }]);
  t.same(listed.listedAt('/widgets', 'widgetId', 'w1', false), { path: '/widgets', keptInPart: 'items' }, 'w1 was not kept');
  t.equal(listed.listedAt('/gadgets', 'gadgetId', 'g1', false), undefined, 'no list of gadgets: nothing is known, as before');
  t.same(listed.listedAt('/things0', 'thingId', '0-999', false), { path: '/things0' });
});

t.test('a list too large to read whole counts as kept in part, for its own resource only', async (t) => {
  const listed = createListedRecords();
  listed.recordUnread('/things');
  t.same(listed.listedAt('/things', 'thingId', '7', false), { path: '/things', keptInPart: 'body' });
  t.equal(listed.listedAt('/widgets', 'widgetId', '7', false), undefined);
});
