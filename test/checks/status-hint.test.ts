import t from 'tap';
import { statusHint } from '../../harness/checks/status-hint.js';

t.test('an undocumented redirect or 429 says what it was', async (t) => {
  t.equal(statusHint({ status: 302, headers: { location: 'http://elsewhere.example/x' } }), ' (a redirect to http://elsewhere.example/x was not followed)');
  t.match(statusHint({ status: 429, headers: { 'retry-after': '999999' } }), /rate limited, Retry-After: 999999; retried at most once/);
  t.equal(statusHint({ status: 429, headers: {} }), ' (rate limited, with no Retry-After)');
  t.equal(statusHint({ status: 302, headers: {} }), '');
  t.equal(statusHint({ status: 404, headers: { location: '/x' } }), '');
});

t.test('an undocumented 401 or 403 to a request without credentials says how to send them', async (t) => {
  t.match(statusHint({ status: 401, headers: {} }, { carriesCredentials: false }), /no credentials were sent: .*--token-env VAR/);
  t.match(statusHint({ status: 403, headers: {} }, { carriesCredentials: false }), /no credentials were sent/);
  t.equal(statusHint({ status: 401, headers: {} }, { carriesCredentials: true }), '', 'with credentials, status-code reports the refusal itself');
  t.equal(statusHint({ status: 401, headers: {} }), '', 'unknown: no guess');
});
