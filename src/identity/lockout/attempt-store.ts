import type { LoginAttempt } from './policy.js';

/**
 * Where a part keeps login attempts per (account, client) (a port: the recorder's adapter is
 * SQLite, the cloud's will be PostgreSQL). Every method is one atomic operation of the store.
 */

export type ClientKind = 'address' | 'device';

export interface LoginClientKey {
  accountKey: string;
  kind: ClientKind;
  clientId: string;
}

export interface StoredLoginAttempt extends LoginClientKey, LoginAttempt {
  guess: boolean;
}

export interface LoginAttemptStore {
  /** One client's attempts on one account since `since`, oldest first. */
  clientAttempts(key: LoginClientKey, since: number): Promise<LoginAttempt[]>;
  /** Times of failed password checks by unknown clients (addresses) on an account since `since`. */
  unknownClientGuesses(accountKey: string, since: number): Promise<number[]>;
  /**
   * Counts an attempt as failed before its password is checked, and answers the client's attempts
   * since `since`, this one included, in one atomic step: the failure stands whether or not the
   * check ever finishes, and of N concurrent reservations each sees a different count, so exactly
   * one of them is the one that starts a lock.
   */
  reserveFailure(key: LoginClientKey, at: number, guess: boolean, since: number): Promise<LoginAttempt[]>;
  /** A success supersedes the client's earlier attempts: only it is kept, so the list stays short. */
  recordSuccess(key: LoginClientKey, at: number): Promise<void>;
  /** Every attempt since `since`: for the admin's list of locked clients. */
  attemptsSince(since: number): Promise<StoredLoginAttempt[]>;
  /** Forgets one client's attempts on an account: unlocks it. */
  clearClient(key: LoginClientKey): Promise<void>;
  /** Unknown clients' failures on the account stop counting toward the hourly budget (their own streaks stay). */
  forgiveUnknownGuesses(accountKey: string): Promise<void>;
  deleteBefore(at: number): Promise<void>;
}
