import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { HarnessError } from '../../harness/errors.js';
import { packageRoot } from '../../harness/package-root.js';
import { bundledProfilesDir, listBundledProfiles, resolveProfileSource } from '../../harness/profile/bundled-profiles.js';

t.test('package root is the folder with our package.json', async (t) => {
  t.ok(existsSync(join(packageRoot(), 'package.json')));
  t.equal(bundledProfilesDir(), join(packageRoot(), 'profiles'));
});

t.test('bundled profiles are listed with their files', async (t) => {
  const profiles = listBundledProfiles();
  t.same(profiles.map((p) => p.id), [...profiles.map((p) => p.id)].sort(), 'sorted');
  for (const profile of profiles) {
    t.ok(existsSync(profile.path), `${profile.id} has a file`);
    t.type(profile.title, 'string');
    t.same(resolveProfileSource(profile.id), { path: profile.path, bundledId: profile.id }, 'an id resolves to its file');
  }
});

t.test('an existing path wins; unknown names list the bundled ids', async (t) => {
  const dir = t.testdir({ 'mine.yaml': 'openapi: 3.0.3\n' });
  t.same(resolveProfileSource(join(dir, 'mine.yaml')), { path: join(dir, 'mine.yaml') });
  t.throws(() => resolveProfileSource('../../etc/passwd-nope'), { code: 'PROFILE_NOT_FOUND' });
  try {
    resolveProfileSource('no-such-profile');
    t.fail('expected PROFILE_NOT_FOUND');
  } catch (error) {
    t.ok(error instanceof HarnessError);
    t.equal((error as HarnessError).code, 'PROFILE_NOT_FOUND');
    const ids = listBundledProfiles().map((p) => p.id);
    t.match((error as Error).message, ids.length > 0 ? new RegExp(`bundled profiles: ${ids.join(', ')}`) : /no bundled profiles/);
  }
});
