import t from 'tap';
import { CHECKS } from '../../harness/checks/index.js';
import { selectChecks } from '../../harness/checks/select-checks.js';
import { HarnessError } from '../../harness/errors.js';

const ids = (include?: string[], exclude?: string[]) => selectChecks(CHECKS, { include, exclude }).map((c) => c.id);

t.test('check IDs are unique and kebab-case', async (t) => {
  const all = CHECKS.map((c) => c.id);
  t.equal(new Set(all).size, all.length);
  for (const id of all) t.match(id, /^[a-z]+(-[a-z]+)*$/);
});

t.test('globs and exclusions', async (t) => {
  t.same(ids(), CHECKS.map((c) => c.id), 'no filter: all');
  t.same(ids(['*-requests']), ['conditional-requests']);
  t.same(ids(['response-*']), ['response-schema', 'response-headers']);
  t.same(ids(['response-*'], ['response-headers']), ['response-schema']);
  t.same(ids(['response-*', 'co*'], ['*-headers', 'co?ed-*']), ['content-type', 'response-schema', 'compression', 'conditional-requests']);
});

t.test('a pattern that matches nothing is a usage error naming it', async (t) => {
  let thrown: unknown;
  try {
    ids(['respnse-schema']);
  } catch (err) {
    thrown = err;
  }
  t.ok(thrown instanceof HarnessError && thrown.code === 'USAGE', 'a usage error');
  t.match((thrown as Error).message, /--checks respnse-schema matches no check; known checks: server-error, .*conditional-requests/);
});
