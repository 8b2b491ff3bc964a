/**
 * Login attempts, limited per account and per client address, in memory.
 *
 * A fixed window per key: after `maxFailures` failed logins within
 * `windowMs`, further attempts for that key are refused until the window
 * ends. `attempt` counts an attempt as failed before its password is checked,
 * so parallel requests cannot all pass the check while the first ones are
 * still hashing; a success then takes back its own attempt (and clears the
 * account's window, never the rest of the address's count, so one valid
 * account cannot be used to keep guessing others from the same address). The map is
 * bounded: past `maxKeys` entries the oldest is dropped, so a flood of
 * made-up emails or addresses costs bounded memory. Per process: behind a
 * load balancer with several service processes each keeps its own count,
 * which still bounds guessing to `maxFailures` x processes per window.
 */

export interface LoginLimiterOptions {
  /** Failed logins per account per window (default 5). */
  maxFailures?: number;
  /** Failed logins per client address per window (default 20: a panel may share one address). */
  maxAddressFailures?: number;
  windowMs?: number;
  maxKeys?: number;
  now?: () => number;
}

/** A limiter for login attempts; see the module comment. */
export interface LoginLimiter {
  /** Whether an attempt for this account and address may proceed now. */
  allowed(account: string, address: string): boolean;
  /** Counts a failed attempt against both keys. */
  failed(account: string, address: string): void;
  /**
   * Whether an attempt may proceed; if so it is counted as failed at once
   * (before the password is checked), against both keys.
   */
  attempt(account: string, address: string): boolean;
  /** A success clears the account's count; with the address, takes back the attempt counted there. */
  succeeded(account: string, address?: string): void;
  /** Takes back an attempt whose password was never checked. */
  release(account: string, address: string): void;
  /** Whether a refusal for this key should be recorded: true once per key per window. */
  firstRefusal(key: string): boolean;
}

/**
 * @example
 *   const limiter = createLoginLimiter({ maxFailures: 5, windowMs: 15 * 60_000 });
 *   if (!limiter.allowed(email, ip)) reply.code(429);
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = options.maxFailures ?? 5;
  const maxAddressFailures = options.maxAddressFailures ?? 20;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion-ordered: the first key is the oldest window.
  const windows = new Map<string, { start: number; failures: number }>();

  function current(key: string): { start: number; failures: number } | undefined {
    const entry = windows.get(key);
    if (entry && now() - entry.start >= windowMs) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  }

  function count(key: string): void {
    const entry = current(key);
    if (entry) {
      entry.failures += 1;
      return;
    }
    while (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
    windows.set(key, { start: now(), failures: 1 });
  }

  function uncount(key: string): void {
    const entry = current(key);
    if (entry && entry.failures > 0) entry.failures -= 1;
  }

  function allowed(account: string, address: string): boolean {
    return (current(`account:${account}`)?.failures ?? 0) < maxFailures && (current(`address:${address}`)?.failures ?? 0) < maxAddressFailures;
  }

  function failed(account: string, address: string): void {
    count(`account:${account}`);
    count(`address:${address}`);
  }

  return {
    allowed,
    failed,
    attempt: function attempt(account, address) {
      if (!allowed(account, address)) return false;
      failed(account, address);
      return true;
    },
    succeeded: function succeeded(account, address) {
      windows.delete(`account:${account}`);
      if (address !== undefined) uncount(`address:${address}`);
    },
    release: function release(account, address) {
      uncount(`account:${account}`);
      uncount(`address:${address}`);
    },
    firstRefusal: function firstRefusal(key) {
      const name = `refused:${key}`;
      if (current(name)) return false;
      count(name);
      return true;
    },
  };
}
