import type { SecurityEvent } from '../audit/security-event.js';

/**
 * Where a part completes a password reset (a port: the recorder's adapter is SQLite, the cloud's
 * will be PostgreSQL). It spans the grants, the account's password, its sessions, its login
 * attempts, its second factors and the audit log, and is one atomic operation of the store: a
 * reset never half-happens, and a grant never resets twice.
 */

/** One reset, decided and hashed before the store is asked: the store only writes. */
export interface ResetCompletion {
  /** The grant spent by it (see reset-grant.ts). */
  tokenHash: string;
  accountId: number;
  /** Argon2id PHC string of the new password. */
  passwordHash: string;
  /** Whether every second factor of the account goes too (the caller's decision: strong evidence only). */
  removeSecondFactors: boolean;
  now: number;
}

/** What a reset did. */
export interface ResetDone {
  /** Live sessions of the account it ended. */
  revokedSessions: number;
  secondFactorsRemoved: boolean;
}

export interface ResetCompletionStore {
  /**
   * In one atomic step: spends the grant if it is the account's and live at `now` (unused, not
   * expired), sets the account's password hash, ends every live session of the account (reason
   * `password_reset`), revokes its other unused grants, forgets its login attempts (every lock on
   * it lifts), removes its second factors when asked, and appends the events `audit` makes of what
   * was done, each linked into the audit chain. Undefined, with nothing changed, when the grant
   * cannot be spent; of any number of concurrent calls for one grant at most one completes. If any
   * part fails (an event cannot be stored), nothing changes and the error is thrown. `audit` is pure
   * and synchronous.
   */
  complete(reset: ResetCompletion, audit: (done: ResetDone) => readonly SecurityEvent[]): Promise<ResetDone | undefined>;
}
