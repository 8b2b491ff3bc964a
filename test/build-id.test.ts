import t from 'tap';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runningBuildId, sourceId } from '../harness/build-id.js';

/**
 * Run from its TypeScript sources (tsx), the harness keys its profile cache by
 * its sources, so an edit never reads what the code before it concluded
 * (the key had been the word `source`, the same for every edit).
 */
t.test('a source tree is named by its files: an edit names it anew', async (t) => {
  const dir = t.testdir({ 'a.ts': 'export const a = 1;\n', sub: { 'b.ts': 'export const b = 2;\n' } });
  const before = sourceId(dir);
  t.match(before, /^source-[0-9a-f]{64}$/);
  t.equal(sourceId(dir), before, 'the same files, the same id');
  writeFileSync(join(dir, 'sub', 'b.ts'), 'export const b = 3;\n');
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(dir, 'sub', 'b.ts'), later, later);
  t.not(sourceId(dir), before, 'an edited file');
});

t.test('these tests run from source, so the running id is the source tree’s', async (t) => {
  t.match(runningBuildId(), /^source-[0-9a-f]{64}$/);
});
