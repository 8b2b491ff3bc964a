import t from 'tap';
import { createListedRecords } from '../../harness/plan/listed-records.js';

t.test('an id a list showed is found by the keys a created record id is read by', async (t) => {
  const listed = createListedRecords();
  listed.record('/things', { data: [{ id: 7, thingId: 'T-9', code: 201, ownerId: 3, name: 'seed' }] });
  t.equal(listed.listedAt('/things', 'thingId', '7'), '/things', 'by id');
  t.equal(listed.listedAt('/things', 'thingId', 'T-9'), '/things', "by the parameter's own name");
  t.equal(listed.listedAt('/things', 'thingId', '201'), undefined, "an envelope's code is no id");
  t.equal(listed.listedAt('/things', 'thingId', '3'), undefined, 'a foreign key is no id');
  t.equal(listed.listedAt('/things', 'thingId', 'seed'), undefined, 'a name is not read as a record id');
});

t.test('a list of the same resource elsewhere counts; another resource does not', async (t) => {
  const listed = createListedRecords();
  listed.record('/admin/things', [{ id: 'a' }]);
  listed.record('/widgets', [{ id: 'b' }]);
  t.equal(listed.listedAt('/things', 'thingId', 'a'), '/admin/things');
  t.equal(listed.listedAt('/things', 'thingId', 'b'), undefined);
});

t.test('bounded: items past the per-list bound are not kept, nor long strings', async (t) => {
  const listed = createListedRecords();
  listed.record('/things', Array.from({ length: 1500 }, (_, i) => ({ id: i })));
  t.equal(listed.listedAt('/things', 'thingId', '999'), '/things');
  t.equal(listed.listedAt('/things', 'thingId', '1000'), undefined);
  const long = 'x'.repeat(300);
  listed.record('/others', [{ id: long }]);
  t.equal(listed.listedAt('/others', 'otherId', long), undefined);
});
