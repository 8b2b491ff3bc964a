import t from 'tap';
import { extractOperations } from '../../harness/profile/extract-operations.js';

t.test('a path key without a leading slash is skipped with a warning (it made an invalid URL: exit 3)', async (t) => {
  const { operations, warnings } = extractOperations({
    openapi: '3.0.3',
    paths: { 'no-slash': { get: { responses: {} } }, '/ok': { get: { responses: {} } } },
  });
  t.same(operations.map((o) => o.path), ['/ok']);
  t.match(warnings, [{ code: 'path-invalid', location: '/paths/no-slash', message: /does not begin with "\/"/ }]);
});
