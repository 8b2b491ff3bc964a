import t from 'tap';
import { statusHint } from '../../harness/checks/status-hint.js';

t.test('an undocumented redirect or 429 says what it was', async (t) => {
  t.equal(statusHint({ status: 302, headers: { location: 'http://elsewhere.example/x' } }), ' (a redirect to http://elsewhere.example/x was not followed)');
  t.match(statusHint({ status: 429, headers: { 'retry-after': '999999' } }), /rate limited, Retry-After: 999999; retried at most once/);
  t.equal(statusHint({ status: 429, headers: {} }), ' (rate limited, with no Retry-After)');
  t.equal(statusHint({ status: 302, headers: {} }), '');
  t.equal(statusHint({ status: 404, headers: { location: '/x' } }), '');
});
