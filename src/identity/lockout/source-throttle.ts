import type { ThrottleDecision } from './attempt-throttle.js';

/** An answer now, or later from an async store: the recorder's throttle answers at once. */
export type Awaitable<T> = T | Promise<T>;

/**
 * A part's per-source throttle of failures across accounts, as every core service uses it. A
 * service takes only the methods it needs: most ask `check` before anything is hashed or looked up
 * and `countFailure` after each failure; the password login reserves its failure before the hash
 * and withdraws it on success. The part keeps the times (in memory, in its database) and audits
 * the block a counted failure starts.
 */
export interface SourceThrottle {
  check(sourceIp: string): Awaitable<ThrottleDecision>;
  /** Counts a failure now (the part audits the block it starts). */
  countFailure(sourceIp: string): Awaitable<void>;
  /** Counts a failure now unless the source is blocked already, deciding and counting in one atomic step. */
  reserve(sourceIp: string): Awaitable<{ allowed: true; at: number } | { allowed: false; retryAfterSeconds: number }>;
  /** Takes back the failure reserved at `at`. */
  withdraw(sourceIp: string, at: number): Awaitable<void>;
}
