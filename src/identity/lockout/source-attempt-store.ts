/**
 * Where the per-source throttle keeps its attempt times, per key, as an async port (the recorder's
 * adapter is SQLite, the cloud's will be PostgreSQL): the async form of `AttemptTimes`
 * (attempt-throttle.ts). Every method is one atomic operation of the store.
 */
export interface SourceAttemptStore {
  /** The key's times, oldest first. */
  times(key: string): Promise<number[]>;
  /**
   * Counts a failure at `at` before the slow check runs, drops the key's times at or before
   * `dropUpTo`, and answers the key's times, this one included, in one atomic step: of N concurrent
   * reservations each sees a different count, so they cannot all slip under the limit.
   */
  reserve(key: string, at: number, dropUpTo: number): Promise<number[]>;
  /** Takes back one time `at` of the key (a reserved attempt that succeeded), if there is one. */
  removeOne(key: string, at: number): Promise<void>;
  clear(key: string): Promise<void>;
  /** Drops every time before `before`, of every key: bounds the storage under a flood of keys. */
  forgetBefore(before: number): Promise<void>;
}
