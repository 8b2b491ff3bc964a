/** How long a teardown may wait before it is forced, and then once more before it fails. */
export const TEARDOWN_LIMIT_MS = 30_000;

/**
 * A teardown that could wait forever (a server closing, a process exiting, a
 * database stopping), bounded: past `limitMs` it calls `force` (cut the
 * connections, kill harder), waits once more, and fails with a message naming
 * what it waited for. tap waits for the file's process to exit, so failing
 * alone is not enough: what holds the process must be forced as well, or the
 * file still hangs until tap's 300 s timeout.
 *
 * @example
 *   t.teardown(bounded('the sandbox to close', () => close(server), { force: () => server.closeAllConnections() }));
 */
export function bounded(what: string, teardown: () => unknown, options: { force?: () => void; limitMs?: number } = {}): () => Promise<void> {
  const limitMs = options.limitMs ?? TEARDOWN_LIMIT_MS;
  return async function boundedTeardown() {
    const done = Promise.resolve().then(teardown);
    if (await settlesWithin(done, limitMs)) {
      await done;
      return;
    }
    if (!options.force) throw new Error(`teardown: ${what} did not end within ${limitMs / 1000} s`);
    options.force();
    const forced = await settlesWithin(done, limitMs);
    throw new Error(`teardown: ${what} did not end within ${limitMs / 1000} s ${forced ? 'and had to be forced' : 'nor when forced'}`);
  };
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
