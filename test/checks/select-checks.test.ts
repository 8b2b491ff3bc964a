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
  t.same(ids(['response-*']), ['response-schema', 'response-headers']);
  t.same(ids(['response-*'], ['response-headers']), ['response-schema']);
  t.same(ids(undefined, ['*-code']), ['server-error', 'content-type', 'response-schema', 'response-headers']);
});

t.test('a pattern that matches nothing is a usage error naming it', async (t) => {
  t.throws(() => ids(['respnse-schema']), new HarnessError('USAGE', "--checks respnse-schema matches no check; known checks: server-error, status-code, content-type, response-schema, response-headers"));
});
