import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { listBundledProfiles } from '../../harness/profile/bundled-profiles.js';
import type { Report } from '../../harness/report/report-types.js';
import { runCli } from '../support/run-cli.js';

t.test('npm start: the whole catalogue against the reference supplier, one report per profile, all conformant with zero failures', async (t) => {
  const out = t.testdir();
  const outcome = await runCli(['demo', '--out', out, '--quiet'], { env: {} });
  t.equal(outcome.code, 0, outcome.stderr);
  const ids = listBundledProfiles().map((p) => p.id);
  t.same(readdirSync(out).sort(), [...ids].sort(), 'a folder per bundled profile');
  for (const id of ids) {
    const report = JSON.parse(readFileSync(join(out, id, 'report.json'), 'utf8')) as Report;
    t.equal(report.summary.verdict, 'conformant', `${id} conformant`);
    t.equal(report.summary.failed, 0, `${id}: zero failures, SHOULDs included`);
    t.equal(report.summary.errors, 0, `${id}: zero errors`);
  }
  t.match(outcome.stdout, new RegExp(`${ids.length} profiles: .*conformant`));
  t.notMatch(outcome.stdout, /client-secret|secret-/i, 'the demo client secret is not printed');
});
