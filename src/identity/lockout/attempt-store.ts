import type { LoginAttempt } from './policy.js';

/**
 * Where a part keeps login attempts per (account, client) (a port: the recorder's adapter is
 * SQLite, the cloud's will be PostgreSQL). Every method is one atomic operation of the store.
 */

export type ClientKind = 'address' | 'device';

/** The key an existing account's attempts are kept under (a name no account has is kept under `name:`). */
export function accountAttemptKey(accountId: number): string {
  return `user:${accountId}`;
}

export interface LoginClientKey {
  /** `accountAttemptKey(id)`, or `name:<name>` for a name no account has. */
  accountKey: string;
  kind: ClientKind;
  clientId: string;
}

export interface StoredLoginAttempt extends LoginClientKey, LoginAttempt {
  guess: boolean;
}

/** A failure counted before its check ran, and what the store held at that moment, this failure included. */
export interface ReservedFailure {
  /** Names this one stored failure, for `withdrawFailure`. */
  id: string;
  /** The client's attempts on the account since `since.client`, in the order they were stored: this one last. */
  clientAttempts: LoginAttempt[];
  /** Times of unknown clients' (addresses') failed guesses on the account since `since.guesses`: this one too, if it is one. */
  unknownClientGuesses: number[];
}

export interface LoginAttemptStore {
  /** One client's attempts on one account since `since`, oldest first. */
  clientAttempts(key: LoginClientKey, since: number): Promise<LoginAttempt[]>;
  /** Times of failed password checks by unknown clients (addresses) on an account since `since`. */
  unknownClientGuesses(accountKey: string, since: number): Promise<number[]>;
  /**
   * Counts an attempt as failed before its password is checked (`guess`: it will reach a check),
   * and answers the client's attempts and the account's unknown-client guesses as they stand with
   * it, in one atomic step: the failure stands whether or not the check ever finishes, and of N
   * concurrent reservations each sees a different count, so exactly one of them is the one that
   * starts a lock, and the caller can tell from the answer whether a lock stood before this one.
   */
  reserveFailure(key: LoginClientKey, at: number, guess: boolean, since: { client: number; guesses: number }): Promise<ReservedFailure>;
  /** Takes back exactly the one failure `reserveFailure` stored as `id`, if a success has not cleared it already. */
  withdrawFailure(key: LoginClientKey, id: string): Promise<void>;
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
