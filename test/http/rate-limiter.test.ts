import t from 'tap';
import { createRateLimiter } from '../../harness/http/rate-limiter.js';
import { boundedBy } from '../support/bounds.js';

t.test('request starts are spaced evenly, even when callers wait concurrently', async (t) => {
  const limiter = createRateLimiter(20); // one start every 50 ms
  const started = performance.now();
  const times = await Promise.all(Array.from({ length: 5 }, () => limiter.wait().then(() => performance.now() - started)));
  // Timers never fire early, but a busy machine fires late ones back to back: so each start is
  // checked against its own slot, not against the start before it.
  for (let i = 1; i < times.length; i++) {
    t.ok((times[i] ?? 0) >= i * 50 - 5, `start ${i} waited for its slot at ${i * 50} ms (started at ${Math.round(times[i] ?? 0)} ms)`);
  }
});

t.test('the first start does not wait for a slot', async (t) => {
  const limiter = createRateLimiter(1 / 300); // one start every 300 s
  const controller = new AbortController();
  await limiter.wait(controller.signal);
  // The second start has to wait 300 s: it is still waiting when aborted, so the first really went at once.
  setTimeout(() => controller.abort(new Error('stop')), 50);
  await t.rejects(limiter.wait(controller.signal), { message: 'stop' });
});

t.test('null means no limit', async (t) => {
  const limiter = createRateLimiter(null);
  const started = performance.now();
  await Promise.all(Array.from({ length: 50 }, () => limiter.wait()));
  t.ok(performance.now() - started < boundedBy(0), '50 starts without a slot to wait for');
});

t.test('waiting is abortable', async (t) => {
  const limiter = createRateLimiter(1 / 300); // 300 s apart: far longer than any slack
  await limiter.wait();
  const controller = new AbortController();
  const reason = new Error('run stopped');
  setTimeout(() => controller.abort(reason), 20);
  const started = performance.now();
  await t.rejects(limiter.wait(controller.signal), reason);
  t.ok(performance.now() - started < boundedBy(20), 'rejected at the abort, not at the slot 300 s away');
  await t.rejects(createRateLimiter(null).wait(controller.signal), reason, 'an aborted signal rejects even without a limit');
});

t.test('a nonsensical rate is a programming error', async (t) => {
  t.throws(() => createRateLimiter(0), RangeError);
  t.throws(() => createRateLimiter(Number.NaN), RangeError);
});
