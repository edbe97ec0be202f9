/**
 * Pure decisions of a lock on one kind of evidence (a recovery method, a code channel): after
 * `maxFailures` wrong pieces in a row it is blocked for `blockSeconds`. Where the count is kept is
 * the caller's business.
 */

/** The count as stored. */
export interface MethodLockRecord {
  failures: number;
  blockedUntil: number | null;
}

export interface MethodLockPolicy {
  /** Wrong pieces of evidence in a row that block the method. */
  maxFailures: number;
  blockSeconds: number;
}

export type MethodLockState = { blocked: false; failures: number } | { blocked: true; retryAfterSeconds: number };

/** Pure: whether a method is blocked now. */
export function methodLockState(lock: MethodLockRecord | undefined, now: number): MethodLockState {
  if (lock?.blockedUntil != null && lock.blockedUntil > now) {
    return { blocked: true, retryAfterSeconds: Math.ceil((lock.blockedUntil - now) / 1000) };
  }
  return { blocked: false, failures: lock && lock.blockedUntil == null ? lock.failures : 0 };
}

/** Pure: the lock after one more wrong piece of evidence. The count starts again once a block ends. */
export function lockAfterFailure(lock: MethodLockRecord | undefined, policy: MethodLockPolicy, now: number): MethodLockRecord {
  const state = methodLockState(lock, now);
  const failures = (state.blocked ? 0 : state.failures) + 1;
  return failures >= policy.maxFailures ? { failures, blockedUntil: now + policy.blockSeconds * 1000 } : { failures, blockedUntil: null };
}
