import t from 'tap';
import { createRateLimiter } from '../../harness/http/rate-limiter.js';

t.test('request starts are spaced evenly, even when callers wait concurrently', async (t) => {
  const limiter = createRateLimiter(20); // one start every 50 ms
  const started = performance.now();
  const times = await Promise.all(Array.from({ length: 5 }, () => limiter.wait().then(() => performance.now() - started)));
  t.ok((times[0] ?? Infinity) < 30, `the first starts at once (${Math.round(times[0] ?? 0)} ms)`);
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
    t.ok(gap >= 35, `start ${i} waited for its slot (gap ${Math.round(gap)} ms)`);
  }
  const total = (times[4] ?? 0) - (times[0] ?? 0);
  t.ok(total >= 180 && total < 1000, `5 starts span about 200 ms (${Math.round(total)} ms)`);
});

t.test('null means no limit', async (t) => {
  const limiter = createRateLimiter(null);
  const started = performance.now();
  await Promise.all(Array.from({ length: 50 }, () => limiter.wait()));
  t.ok(performance.now() - started < 50);
});

t.test('waiting is abortable', async (t) => {
  const limiter = createRateLimiter(2); // 500 ms apart
  await limiter.wait();
  const controller = new AbortController();
  const reason = new Error('run stopped');
  setTimeout(() => controller.abort(reason), 20);
  const started = performance.now();
  await t.rejects(limiter.wait(controller.signal), reason);
  t.ok(performance.now() - started < 300, 'rejected promptly, not at the slot');
  await t.rejects(createRateLimiter(null).wait(controller.signal), reason, 'an aborted signal rejects even without a limit');
});

t.test('a nonsensical rate is a programming error', async (t) => {
  t.throws(() => createRateLimiter(0), RangeError);
  t.throws(() => createRateLimiter(Number.NaN), RangeError);
});
