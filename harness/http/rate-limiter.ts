/**
 * Spaces request starts evenly, so a supplier's sandbox is probed at the rate
 * its owner allows (`--rate`), however many probes run concurrently.
 */
export interface RateLimiter {
  /**
   * Resolves when the caller may start its request. Rejects with the signal's
   * reason if the signal aborts first (the reserved slot is then simply unused).
   */
  wait(signal?: AbortSignal): Promise<void>;
}

/**
 * Create a limiter allowing `ratePerSecond` request starts per second; `null` means no limit.
 *
 * @example
 *   const limiter = createRateLimiter(5); // one start every 200 ms
 *   await limiter.wait(signal);
 *   const exchange = await client.send(request, signal);
 */
export function createRateLimiter(ratePerSecond: number | null): RateLimiter {
  if (ratePerSecond === null) {
    return { wait: (signal) => (signal?.aborted ? Promise.reject(abortReason(signal)) : Promise.resolve()) };
  }
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new RangeError(`ratePerSecond must be a positive number or null, got ${String(ratePerSecond)}`);
  }
  const intervalMs = 1000 / ratePerSecond;
  // The earliest time the next caller may start. Slots are handed out in call
  // order, so concurrent waiters are spaced rather than released together.
  let nextStart = 0;

  function wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const now = performance.now();
    const start = Math.max(now, nextStart);
    nextStart = start + intervalMs;
    const delay = start - now;
    if (delay <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return { wait };
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
