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

const MAX_TRACKED_KEYS = 50_000;

/**
 * Attempt times per key (a source address, an account), kept in memory and pruned as they age.
 * What counts as an attempt is the caller's choice: a failed login, or any request to an endpoint
 * that needs a budget.
 */
export class AttemptThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly policy: ThrottlePolicy,
    private readonly clock: Clock,
  ) {}

  check(key: string): ThrottleDecision {
    return throttleDecision(this.#failures.get(key) ?? [], this.clock.now(), this.policy);
  }

  /** Records a failure now; returns its time, for `withdraw`. */
  record(key: string): number {
    const now = this.clock.now();
    // Only failures within one window of the newest (this one) can still count.
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > now - this.policy.windowSeconds * 1000);
    kept.push(now);
    this.#failures.set(key, kept);
    if (this.#failures.size > MAX_TRACKED_KEYS) this.#forgetSettled(now);
    return now;
  }

  /**
   * Takes back one failure recorded at `at`: for attempts counted as failed before the slow check
   * ran (so concurrent requests cannot all slip under the limit) that turned out to succeed.
   */
  withdraw(key: string, at: number): void {
    const times = this.#failures.get(key);
    const index = times?.lastIndexOf(at) ?? -1;
    if (index >= 0) times!.splice(index, 1);
  }

  /** Drops keys whose every failure is too old to block anything: bounds memory under a flood of addresses. */
  #forgetSettled(now: number): void {
    const horizon = now - (this.policy.windowSeconds + this.policy.maxBlockSeconds) * 1000;
    for (const [key, times] of this.#failures) {
      if (Math.max(...times) <= horizon) this.#failures.delete(key);
    }
  }

  clear(key: string): void {
    this.#failures.delete(key);
  }
}
