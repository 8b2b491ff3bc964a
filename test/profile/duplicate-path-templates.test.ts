import t from 'tap';
import { findDuplicatePathTemplates } from '../../harness/profile/find-messy-parts.js';

t.test('paths that differ only in parameter names: which methods a request could match both with', async (t) => {
  const get = { responses: {} };
  const overlapping = findDuplicatePathTemplates({ paths: { '/countries/{country}': { get }, '/countries/{countries}': { get, delete: get } } });
  t.match(overlapping, [{ code: 'duplicate-path-template', location: '/paths/~1countries~1{countries}', message: /a GET request matches both, so which one a server applies is undefined/ }]);
  // Strapi 5's roles: GET on {id}, PUT and DELETE on {role}. Invalid all the same, but no request is ambiguous.
  const disjoint = findDuplicatePathTemplates({ paths: { '/roles/{id}': { get }, '/roles/{role}': { put: get, delete: get } } });
  t.match(disjoint, [{ message: /their methods do not overlap, but OpenAPI forbids such paths/ }]);
  t.notMatch(disjoint[0]!.message, /matches both/);
  // Review: a Path Item by $ref lists no methods here, which is not "no overlap".
  const byRef = findDuplicatePathTemplates({ paths: { '/roles/{id}': { $ref: '#/components/pathItems/Role' }, '/roles/{role}': { put: get } } });
  t.match(byRef, [{ message: /a request may match both/ }]);
});
