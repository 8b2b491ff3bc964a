/**
 * Reading a `Retry-After` header (RFC 9110 §10.2.3) the way a polite but
 * wary client must: a number of seconds or an HTTP-date, anything else
 * ignored. The caller decides whether the wait is worth it; this only says how
 * long the supplier asked for.
 */

/** Only non-negative whole seconds are valid; `1.5`, `-1` and `1e3` are not. */
const DELAY_SECONDS = /^\d+$/;

/**
 * Milliseconds the supplier asked the client to wait, or undefined when the
 * header is absent or not a valid delay or date. A date in the past is 0.
 *
 * @example
 *   retryAfterMs('3');                                   // 3000
 *   retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', now);  // 0 (in the past)
 *   retryAfterMs('soon');                                // undefined
 */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (DELAY_SECONDS.test(value)) {
    // 999999999999 seconds parses fine and is simply longer than any limit; no overflow to worry about.
    return Number(value) * 1000;
  }
  // An HTTP-date always names its day and has a GMT zone; Date.parse alone accepts far looser text ("1").
  if (!/^[A-Za-z]{3},? .*GMT$/.test(value) && !/^[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} .*GMT$/.test(value)) return undefined;
  const when = Date.parse(value);
  if (Number.isNaN(when)) return undefined;
  return Math.max(0, when - now);
}

/**
 * Resolve after `ms`, or early with false when `signal` aborts; true when the whole wait passed.
 *
 * @example
 *   if (!(await sleepUnlessAborted(1000, runSignal))) return; // the run was stopped
 */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
