/**
 * Time in tests. CI runs on 2 cores shared with other work, so no test asserts
 * how fast something went: a test that needs the clock asserts only that a
 * bound held, that the harness stopped long before whatever it was bounding
 * would have ended on its own (a server that never answers, a 999999 s
 * `Retry-After`, a quadratic loop). Speed itself is measured by `npm run bench`.
 */

/**
 * How far past its own bound a step may run on a CPU-starved machine and still
 * count as bounded. Generous on purpose: what it separates is "stopped at the
 * bound" from "waited for the other side", which is minutes or for ever.
 */
export const LOADED_MACHINE_SLACK_MS = 30_000;

/**
 * The latest a step bounded at `boundMs` may end, on a loaded machine.
 *
 * @example
 *   t.ok(ms < boundedBy(300), 'stopped at the 300 ms timeout, not when the server gave up');
 */
export function boundedBy(boundMs: number): number {
  return boundMs + LOADED_MACHINE_SLACK_MS;
}
