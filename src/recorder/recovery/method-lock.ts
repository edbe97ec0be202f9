import type { Clock } from '../../shared/clock.js';
import type { MethodLockRecord, RecoveryStore } from '../db/recovery-store.js';
import type { RecoveryMethod } from '../api/recovery-methods.js';

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

/**
 * Blocks a recovery method after repeated wrong evidence, per scope (an account `user:<id>`, or
 * `device`). Kept in the database: restarting the recorder does not lift a block.
 */
export class MethodLocks {
  constructor(
    private readonly store: Pick<RecoveryStore, 'getMethodLock' | 'putMethodLock' | 'clearMethodLock'>,
    private readonly clock: Clock,
  ) {}

  state(method: RecoveryMethod, scope: string): MethodLockState {
    return methodLockState(this.store.getMethodLock(method, scope), this.clock.now());
  }

  /** Counts a wrong piece of evidence; returns the state it leaves (blocked when this was the last try). */
  fail(method: RecoveryMethod, scope: string, policy: MethodLockPolicy): MethodLockState {
    const now = this.clock.now();
    const next = lockAfterFailure(this.store.getMethodLock(method, scope), policy, now);
    this.store.putMethodLock(method, scope, next, now);
    return methodLockState(next, now);
  }

  clear(method: RecoveryMethod, scope: string): void {
    this.store.clearMethodLock(method, scope);
  }
}
