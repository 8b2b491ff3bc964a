/**
 * Run `worker` over `items` with at most `concurrency` in flight. Items not
 * started when `signal` aborts are handed to `onNotStarted` instead, so the
 * caller can record why they never ran.
 *
 * @example
 *   await runPool(probes, 4, sendProbe, signal, (p) => recordSkip(p, 'run time limit reached'));
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<void>,
  signal: AbortSignal,
  onNotStarted: (item: T) => void,
): Promise<void> {
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const item = items[next++]!;
      if (signal.aborted) onNotStarted(item);
      else await worker(item);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
}
