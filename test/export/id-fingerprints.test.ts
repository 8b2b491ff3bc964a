import t from 'tap';
import { createIdFingerprints } from '../../harness/export/id-fingerprints.js';

t.test('a million distinct ids: no false duplicate, every one found again', async (t) => {
  const ids = createIdFingerprints();
  const heapBefore = process.memoryUsage().arrayBuffers;
  const started = performance.now();
  let falseDuplicates = 0;
  for (let i = 0; i < 1_000_000; i++) {
    if (ids.add(`PER-${String(i).padStart(7, '0')}`, i + 1) !== undefined) falseDuplicates += 1;
  }
  const addMs = performance.now() - started;
  t.equal(falseDuplicates, 0);
  t.equal(ids.size, 1_000_000);
  let missing = 0;
  for (let i = 0; i < 1_000_000; i++) if (!ids.has(`PER-${String(i).padStart(7, '0')}`)) missing += 1;
  t.equal(missing, 0, 'every id added is found');
  let phantoms = 0;
  for (let i = 1_000_000; i < 2_000_000; i++) if (ids.has(`PER-${String(i).padStart(7, '0')}`)) phantoms += 1;
  t.equal(phantoms, 0, 'no id never added is found');
  const bytes = process.memoryUsage().arrayBuffers - heapBefore;
  t.ok(bytes < 40 * 1_000_000, `${(bytes / 1_000_000).toFixed(1)} bytes per id`);
  t.comment(`1,000,000 adds in ${Math.round(addMs)} ms; typed arrays ${(bytes / 1e6).toFixed(1)} MB`);
});

t.test('ids that differ in one character, case, or order are distinct', async (t) => {
  const ids = createIdFingerprints();
  const similar = ['a', 'A', 'ab', 'ba', 'abc', 'acb', 'PER-1', 'per-1', 'PER-01', 'PER-1 ', ' PER-1', '', 'é', 'e\u0301', '\u{1F600}', '\uD83D'];
  similar.forEach((id, i) => t.equal(ids.add(id, i + 1), undefined, `${JSON.stringify(id)} is new`));
  t.equal(ids.size, similar.length);
});

t.test('a real duplicate is reported with the line it was first seen on', async (t) => {
  const ids = createIdFingerprints();
  for (let i = 1; i <= 100_000; i++) ids.add(`EVT-${i}`, i);
  t.equal(ids.add('EVT-57341', 100_001), 57_341);
  t.equal(ids.add('EVT-57341', 100_002), 57_341, 'the first line is kept, not the latest');
  t.equal(ids.size, 100_000, 'a duplicate adds nothing');
  t.equal(ids.add('EVT-100001', 100_003), undefined);
});

t.test('growth keeps every id and its line', async (t) => {
  const ids = createIdFingerprints();
  // Past several doublings from the initial 1024 slots.
  for (let i = 0; i < 50_000; i++) ids.add(`id-${i}`, i + 1);
  let wrong = 0;
  for (let i = 0; i < 50_000; i++) if (ids.add(`id-${i}`, 0) !== i + 1) wrong += 1;
  t.equal(wrong, 0, 'each id answers its first line after growing');
  t.equal(ids.size, 50_000);
});

t.test('random UUIDs and small numbers as ids: no false duplicate', async (t) => {
  const ids = createIdFingerprints();
  let duplicates = 0;
  for (let i = 0; i < 200_000; i++) if (ids.add(crypto.randomUUID(), i + 1) !== undefined) duplicates += 1;
  for (let i = 0; i < 200_000; i++) if (ids.add(String(i), i + 1) !== undefined) duplicates += 1;
  t.equal(duplicates, 0);
  t.equal(ids.size, 400_000);
});
