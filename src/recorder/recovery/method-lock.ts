import type { Clock } from '../../shared/clock.js';
import { lockAfterFailure, methodLockState, type MethodLockPolicy, type MethodLockState } from '../../identity/lockout/method-lock.js';
import type { RecoveryStore } from '../db/recovery-store.js';
import type { RecoveryMethod } from '../api/recovery-methods.js';

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
