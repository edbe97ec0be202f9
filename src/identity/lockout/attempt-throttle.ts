import type { Clock } from '../../shared/clock.js';

export interface ThrottlePolicy {
  /** Attempts (failed logins, or requests) allowed within `windowSeconds` before the key is blocked. */
  maxAttempts: number;
  windowSeconds: number;
  /** First block lasts this long; each further failure while over the limit doubles it... */
  baseBlockSeconds: number;
  /** ...up to this. */
  maxBlockSeconds: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * May another attempt be made, given the times of recent failures? Pure: a list of attempts and a
 * time in, a decision out. Over the limit, the block runs from the latest failure and doubles with
 * every failure beyond the limit, so a patient guesser gets exponentially fewer tries.
 */
export function throttleDecision(failures: readonly number[], now: number, policy: ThrottlePolicy): ThrottleDecision {
  if (failures.length === 0) return { allowed: true };
  // The window ends at the latest failure, not at `now`: a block must not lapse early just
  // because the failures that caused it have aged out of the window.
  const latest = Math.max(...failures);
  const recent = failures.filter((t) => t > latest - policy.windowSeconds * 1000).length;
  if (recent < policy.maxAttempts) return { allowed: true };
  const excess = recent - policy.maxAttempts;
  const blockSeconds = Math.min(policy.baseBlockSeconds * 2 ** Math.min(excess, 32), policy.maxBlockSeconds);
  const blockedUntil = latest + blockSeconds * 1000;
  if (now >= blockedUntil) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.ceil((blockedUntil - now) / 1000) };
}

/**
 * Where a throttle keeps its attempt times, per key. In memory by default; in the database for
 * what must survive a restart (db/source-attempts-store.ts), or a restart would lift every block.
 */
export interface AttemptTimes {
  /** The key's times, oldest first. */
  times(key: string): number[];
  /** Adds `at`, and drops the key's times at or before `dropUpTo`: they can no longer count. */
  add(key: string, at: number, dropUpTo: number): void;
  /** Removes one time `at` of the key, if there is one. */
  removeOne(key: string, at: number): void;
  clear(key: string): void;
  /** Drops every time before `before`, of every key: bounds the storage under a flood of keys. */
  forgetBefore(before: number): void;
}

/** Attempt times in a Map: what a throttle uses unless told otherwise. */
export class MemoryAttemptTimes implements AttemptTimes {
  readonly #times = new Map<string, number[]>();

  times(key: string): number[] {
    return this.#times.get(key) ?? [];
  }

  add(key: string, at: number, dropUpTo: number): void {
    const kept = this.times(key).filter((t) => t > dropUpTo);
    kept.push(at);
    this.#times.set(key, kept);
  }

  removeOne(key: string, at: number): void {
    const times = this.#times.get(key);
    const index = times?.lastIndexOf(at) ?? -1;
    if (index >= 0) times!.splice(index, 1);
  }

  clear(key: string): void {
    this.#times.delete(key);
  }

  forgetBefore(before: number): void {
    for (const [key, times] of this.#times) {
      const kept = times.filter((t) => t >= before);
      if (kept.length === 0) this.#times.delete(key);
      else if (kept.length < times.length) this.#times.set(key, kept);
    }
  }
}

const PRUNE_EVERY_MS = 60_000;

/**
 * Attempt times per key (a source address, an account), pruned as they age. What counts as an
 * attempt is the caller's choice: a failed login, or any request to an endpoint that needs a budget.
 */
export class AttemptThrottle {
  #lastPrunedAt = -Infinity;

  constructor(
    readonly policy: ThrottlePolicy,
    private readonly clock: Clock,
    private readonly attempts: AttemptTimes = new MemoryAttemptTimes(),
  ) {}

  check(key: string): ThrottleDecision {
    return throttleDecision(this.attempts.times(key), this.clock.now(), this.policy);
  }

  /** Records a failure now; returns its time, for `withdraw`. */
  record(key: string): number {
    const now = this.clock.now();
    // Only failures within one window of the newest (this one) can still count.
    this.attempts.add(key, now, now - this.policy.windowSeconds * 1000);
    if (now - this.#lastPrunedAt >= PRUNE_EVERY_MS) {
      this.#lastPrunedAt = now;
      // A failure this old can neither count in a window nor extend a block that is still running.
      this.attempts.forgetBefore(now - (this.policy.windowSeconds + this.policy.maxBlockSeconds) * 1000);
    }
    return now;
  }

  /**
   * Counts a failure now unless the key is blocked already, deciding and counting in one step (no
   * pause between them), so of N concurrent attempts no more than the limit get through; `withdraw`
   * takes it back if the attempt succeeds.
   */
  reserve(key: string): { allowed: true; at: number } | { allowed: false; retryAfterSeconds: number } {
    const before = this.check(key);
    return before.allowed ? { allowed: true, at: this.record(key) } : before;
  }

  /**
   * Takes back one failure recorded at `at`: for attempts counted as failed before the slow check
   * ran (so concurrent requests cannot all slip under the limit) that turned out to succeed.
   */
  withdraw(key: string, at: number): void {
    this.attempts.removeOne(key, at);
  }

  clear(key: string): void {
    this.attempts.clear(key);
  }
}
