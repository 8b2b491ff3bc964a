import t from 'tap';
import { responseHeaders } from '../../harness/checks/response-headers.js';
import type { CheckContext } from '../../harness/checks/check.js';

/** A 200 documenting an optional Link and X-Total-Count, with no header schemas to validate. */
function context(headers: Record<string, string>, required = false): CheckContext {
  const documented = [
    { name: 'Link', required },
    { name: 'X-Total-Count', required: false },
  ];
  return {
    response: { status: 200, headers, body: Buffer.alloc(0), truncated: false },
    responseSpec: { key: '200', content: [], headers: documented, pointer: '/paths/~1things/get/responses/200' },
    validators: { has: () => false },
  } as unknown as CheckContext;
}

t.test('a pass names the documented headers that came, and only those', async (t) => {
  // Found on a mock of GitHub's API: "documented headers present and valid: Link" when no Link was sent.
  const one = responseHeaders.run(context({ link: '<https://x/?page=2>; rel="next"' }));
  t.equal(one.status, 'pass');
  t.equal(one.message, 'documented headers present and valid: Link; optional, not sent: X-Total-Count');
  const none = responseHeaders.run(context({}));
  t.equal(none.status, 'skip', 'nothing sent and nothing required: nothing was checked');
  t.equal(none.message, 'none of the documented headers was sent, and none is required (Link, X-Total-Count)');
  const required = responseHeaders.run(context({}, true));
  t.equal(required.status, 'fail', 'a required one missing still fails');
  t.match(required.message, /required header missing: Link/);
});
