import { lockAfterFailure, type MethodLockPolicy, type MethodLockRecord } from './method-lock.js';

/**
 * Where a part keeps its locks on kinds of evidence, per (method, scope) (a port: the recorder's
 * adapter is SQLite, the cloud's will be PostgreSQL). Every method is one atomic operation of the store.
 */
export interface MethodLockStore {
  get(method: string, scope: string): Promise<MethodLockRecord | undefined>;
  /**
   * Reads the lock, stores what `next` makes of it and answers that, in one atomic step: of N
   * concurrent failures none is lost. `next` is pure and synchronous.
   */
  update(method: string, scope: string, next: (lock: MethodLockRecord | undefined) => MethodLockRecord, now: number): Promise<MethodLockRecord>;
  clear(method: string, scope: string): Promise<void>;
}

/** Counts one more wrong piece of evidence for (method, scope); answers the lock it leaves. */
export function countMethodFailure(store: MethodLockStore, method: string, scope: string, policy: MethodLockPolicy, now: number): Promise<MethodLockRecord> {
  return store.update(method, scope, (lock) => lockAfterFailure(lock, policy, now), now);
}
