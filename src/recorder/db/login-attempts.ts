import type { Database } from 'better-sqlite3';
import type { ClientKind, LoginAttemptStore, LoginClientKey, StoredLoginAttempt } from '../../identity/lockout/attempt-store.js';
import type { LoginAttempt } from '../../identity/lockout/policy.js';

/**
 * Login attempts per (account, client). Every read here is on the login path, which a flood
 * reaches: each is one indexed range scan over a handful of rows. Synchronous, for LoginLockout,
 * which relies on running its gate and reservation without a pause; `loginAttemptPort` offers the
 * same table as the security core's async port.
 */
export interface SyncLoginAttemptStore {
  /** One client's attempts on one account since `since`, oldest first. */
  clientAttempts(key: LoginClientKey, since: number): LoginAttempt[];
  /** Times of failed password checks by unknown clients (addresses) on an account since `since`. */
  unknownClientGuesses(accountKey: string, since: number): number[];
  recordFailure(key: LoginClientKey, at: number, guess: boolean): void;
  /** Takes back one failure the client recorded at `at` (if a success has not cleared it already). */
  withdrawFailure(key: LoginClientKey, at: number): void;
  /** A success supersedes the client's earlier attempts: only it is kept, so the list stays short. */
  recordSuccess(key: LoginClientKey, at: number): void;
  /** Every attempt since `since`: for the admin's list of locked clients. */
  attemptsSince(since: number): StoredLoginAttempt[];
  /** Forgets one client's attempts on an account: unlocks it. */
  clearClient(key: LoginClientKey): void;
  /** Unknown clients' failures on the account stop counting toward the hourly budget (their own streaks stay). */
  forgiveUnknownGuesses(accountKey: string): void;
  deleteBefore(at: number): void;
}

interface Row {
  account_key: string;
  client_kind: ClientKind;
  client_id: string;
  at: number;
  ok: 0 | 1;
  guess: 0 | 1;
}

export function createLoginAttemptStore(db: Database): SyncLoginAttemptStore {
  const q = {
    clientAttempts: db.prepare<[string, string, string, number], { at: number; ok: 0 | 1 }>(
      `SELECT at, ok FROM login_attempts
       WHERE account_key = ? AND client_kind = ? AND client_id = ? AND at >= ? ORDER BY at, id`,
    ),
    unknownGuesses: db.prepare<[string, number], { at: number }>(
      `SELECT at FROM login_attempts
       WHERE account_key = ? AND client_kind = 'address' AND ok = 0 AND guess = 1 AND at >= ?`,
    ),
    insert: db.prepare(
      `INSERT INTO login_attempts (account_key, client_kind, client_id, at, ok, guess)
       VALUES (@accountKey, @kind, @clientId, @at, @ok, @guess)`,
    ),
    withdrawFailure: db.prepare(
      `DELETE FROM login_attempts WHERE id = (
         SELECT id FROM login_attempts
         WHERE account_key = @accountKey AND client_kind = @kind AND client_id = @clientId AND at = @at AND ok = 0
         ORDER BY id DESC LIMIT 1)`,
    ),
    clearClient: db.prepare('DELETE FROM login_attempts WHERE account_key = @accountKey AND client_kind = @kind AND client_id = @clientId'),
    since: db.prepare<[number], Row>('SELECT * FROM login_attempts WHERE at >= ? ORDER BY at, id'),
    forgive: db.prepare("UPDATE login_attempts SET guess = 0 WHERE account_key = ? AND client_kind = 'address'"),
    deleteBefore: db.prepare('DELETE FROM login_attempts WHERE at < ?'),
  };
  const recordSuccess = db.transaction((key: LoginClientKey, at: number) => {
    q.clearClient.run(key);
    q.insert.run({ ...key, at, ok: 1, guess: 1 });
  });

  return {
    clientAttempts: (key, since) =>
      q.clientAttempts.all(key.accountKey, key.kind, key.clientId, since).map((r) => ({ at: r.at, ok: r.ok === 1 })),
    unknownClientGuesses: (accountKey, since) => q.unknownGuesses.all(accountKey, since).map((r) => r.at),
    recordFailure(key, at, guess) {
      q.insert.run({ ...key, at, ok: 0, guess: guess ? 1 : 0 });
    },
    withdrawFailure(key, at) {
      q.withdrawFailure.run({ ...key, at });
    },
    recordSuccess: (key, at) => recordSuccess(key, at),
    attemptsSince: (since) =>
      q.since.all(since).map((r) => ({
        accountKey: r.account_key,
        kind: r.client_kind,
        clientId: r.client_id,
        at: r.at,
        ok: r.ok === 1,
        guess: r.guess === 1,
      })),
    clearClient(key) {
      q.clearClient.run(key);
    },
    forgiveUnknownGuesses(accountKey) {
      q.forgive.run(accountKey);
    },
    deleteBefore(at) {
      q.deleteBefore.run(at);
    },
  };
}

/** The login attempts as the security core's port: each method one statement or one transaction. */
export function loginAttemptPort(db: Database): LoginAttemptStore {
  const attempts = createLoginAttemptStore(db);
  const reserveFailure = db.transaction((key: LoginClientKey, at: number, guess: boolean, since: number) => {
    attempts.recordFailure(key, at, guess);
    return attempts.clientAttempts(key, since);
  });
  return {
    clientAttempts: async (key, since) => attempts.clientAttempts(key, since),
    unknownClientGuesses: async (accountKey, since) => attempts.unknownClientGuesses(accountKey, since),
    reserveFailure: async (key, at, guess, since) => reserveFailure(key, at, guess, since),
    recordSuccess: async (key, at) => attempts.recordSuccess(key, at),
    attemptsSince: async (since) => attempts.attemptsSince(since),
    clearClient: async (key) => attempts.clearClient(key),
    forgiveUnknownGuesses: async (accountKey) => attempts.forgiveUnknownGuesses(accountKey),
    deleteBefore: async (at) => attempts.deleteBefore(at),
  };
}
