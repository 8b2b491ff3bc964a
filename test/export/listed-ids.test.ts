import t from 'tap';
import { createListedIds, MAX_KEPT_CHARS } from '../../harness/export/listed-ids.js';

t.test('listed ids: order, duplicates in the listing, export matches, the unseen named', async (t) => {
  const listed = createListedIds();
  for (const id of ['A', 'B', 'A', 'C', 'é-1']) listed.add(id);
  t.equal(listed.size, 4, 'an id listed twice counts once');
  t.same([0, 1, 2, 3].map((i) => listed.at(i)), ['A', 'B', 'C', 'é-1']);
  t.same(listed.see('B', 1), { listed: true });
  t.same(listed.see('Z', 2), { listed: false });
  t.same(listed.see('B', 3), { listed: true, firstLine: 1 }, 'a second export of a listed id is a duplicate of its first line');
  t.same(listed.unseen(1), { count: 3, samples: ['A'] });
});

t.test('a huge id is held by its fingerprint and a short prefix, never whole', async (t) => {
  const listed = createListedIds();
  const huge = 'x'.repeat(1_000_000);
  listed.add(huge);
  listed.add(`${huge}y`);
  t.equal(listed.size, 2, 'ids that differ only past the prefix are still two');
  t.equal(listed.at(0)?.length, MAX_KEPT_CHARS);
  t.same(listed.see(`${huge}y`, 5), { listed: true });
  t.equal(listed.unseen(5).count, 1);
});

t.test('a million listed ids stay compact', async (t) => {
  const before = process.memoryUsage().arrayBuffers;
  const listed = createListedIds();
  for (let i = 0; i < 1_000_000; i++) listed.add(`PER-${String(i).padStart(6, '0')}`);
  const bytes = process.memoryUsage().arrayBuffers - before;
  t.equal(listed.size, 1_000_000);
  t.equal(listed.at(654_321), 'PER-654321');
  // About 50 live; arrays outgrown while doubling may not be collected yet.
  t.ok(bytes < 100 * 1_000_000, `${(bytes / 1e6).toFixed(0)} bytes per id in typed arrays`);
  let seen = 0;
  for (let i = 0; i < 1_000_000; i += 2) if (listed.see(`PER-${String(i).padStart(6, '0')}`, i + 1).listed) seen++;
  t.equal(seen, 500_000);
  t.same(listed.unseen(2), { count: 500_000, samples: ['PER-000001', 'PER-000003'] });
});
