import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessIdentity, packageRoot } from '../../harness/package-root.js';

t.test('harnessIdentity names this package as package.json does, and each caller gets its own copy', async (t) => {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  const first = harnessIdentity();
  t.same(first, { name: pkg.name, version: pkg.version });
  // Read once per process: a report that edits its copy must not change the next run's.
  first.version = 'edited';
  t.same(harnessIdentity(), { name: pkg.name, version: pkg.version }, 'a change to one copy reaches no other');
});
