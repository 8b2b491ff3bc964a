import t from 'tap';
import { retryAfterMs, sleepUnlessAborted } from '../../harness/http/retry-after.js';
import { boundedBy } from '../support/bounds.js';

t.test('Retry-After as seconds, as an HTTP-date, and as nonsense', async (t) => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  t.equal(retryAfterMs('3', now), 3000);
  t.equal(retryAfterMs(' 0 ', now), 0);
  t.equal(retryAfterMs('999999', now), 999_999_000, 'a huge delay is returned as asked; the caller refuses it');
  t.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:02 GMT', now), 2000, 'IMF-fixdate');
  t.equal(retryAfterMs('Wednesday, 21-Oct-15 07:28:04 GMT', now), 4000, 'obsolete RFC 850 date');
  t.equal(retryAfterMs('Tue, 20 Oct 2015 07:28:00 GMT', now), 0, 'a date in the past means now');
  for (const bad of [undefined, '', '-1', '1.5', '1e3', 'soon', '1 2', '21 Oct 2015', 'Infinity', 'NaN']) {
    t.equal(retryAfterMs(bad, now), undefined, `${JSON.stringify(bad)} is not a delay`);
  }
});

t.test('the wait ends early when the signal aborts', async (t) => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  const started = performance.now();
  t.equal(await sleepUnlessAborted(300_000, controller.signal), false);
  t.ok(performance.now() - started < boundedBy(20), 'ended at the abort, not after 300 s');
  t.equal(await sleepUnlessAborted(10), true);
  t.equal(await sleepUnlessAborted(10, AbortSignal.abort()), false, 'an aborted signal does not wait at all');
});
