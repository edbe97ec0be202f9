import type { Database } from 'better-sqlite3';
import type { ClientKind, LoginAttemptStore, LoginClientKey, ReservedFailure } from '../../identity/lockout/attempt-store.js';

/**
 * Login attempts per (account, client), as the security core's port. Every read here is on the
 * login path, which a flood reaches: each is one indexed range scan over a handful of rows. Each
 * method is one statement or one transaction, and one process owns the database: so each is atomic.
 */

interface Row {
  account_key: string;
  client_kind: ClientKind;
  client_id: string;
  at: number;
  ok: 0 | 1;
  guess: 0 | 1;
}

export function loginAttemptPort(db: Database): LoginAttemptStore {
  const q = {
    clientAttempts: db.prepare<[string, string, string, number], { at: number; ok: 0 | 1 }>(
      `SELECT at, ok FROM login_attempts
       WHERE account_key = ? AND client_kind = ? AND client_id = ? AND at >= ? ORDER BY at, id`,
    ),
    clientAttemptsAsStored: db.prepare<[string, string, string, number], { at: number; ok: 0 | 1 }>(
      `SELECT at, ok FROM login_attempts
       WHERE account_key = ? AND client_kind = ? AND client_id = ? AND at >= ? ORDER BY id`,
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
      `DELETE FROM login_attempts
       WHERE id = @id AND account_key = @accountKey AND client_kind = @kind AND client_id = @clientId AND ok = 0`,
    ),
    clearClient: db.prepare('DELETE FROM login_attempts WHERE account_key = @accountKey AND client_kind = @kind AND client_id = @clientId'),
    since: db.prepare<[number], Row>('SELECT * FROM login_attempts WHERE at >= ? ORDER BY at, id'),
    forgive: db.prepare("UPDATE login_attempts SET guess = 0 WHERE account_key = ? AND client_kind = 'address'"),
    deleteBefore: db.prepare('DELETE FROM login_attempts WHERE at < ?'),
  };
  const unknownClientGuesses = (accountKey: string, since: number) => q.unknownGuesses.all(accountKey, since).map((r) => r.at);
  const reserveFailure = db.transaction(
    (key: LoginClientKey, at: number, guess: boolean, since: { client: number; guesses: number }): ReservedFailure => {
      const { lastInsertRowid } = q.insert.run({ ...key, at, ok: 0, guess: guess ? 1 : 0 });
      return {
        id: String(lastInsertRowid),
        clientAttempts: q.clientAttemptsAsStored
          .all(key.accountKey, key.kind, key.clientId, since.client)
          .map((r) => ({ at: r.at, ok: r.ok === 1 })),
        unknownClientGuesses: unknownClientGuesses(key.accountKey, since.guesses),
      };
    },
  );
  const recordSuccess = db.transaction((key: LoginClientKey, at: number) => {
    q.clearClient.run(key);
    q.insert.run({ ...key, at, ok: 1, guess: 1 });
  });

  return {
    clientAttempts: async (key, since) =>
      q.clientAttempts.all(key.accountKey, key.kind, key.clientId, since).map((r) => ({ at: r.at, ok: r.ok === 1 })),
    unknownClientGuesses: async (accountKey, since) => unknownClientGuesses(accountKey, since),
    reserveFailure: async (key, at, guess, since) => reserveFailure(key, at, guess, since),
    withdrawFailure: async (key, id) => {
      q.withdrawFailure.run({ ...key, id: Number(id) });
    },
    recordSuccess: async (key, at) => recordSuccess(key, at),
    attemptsSince: async (since) =>
      q.since.all(since).map((r) => ({
        accountKey: r.account_key,
        kind: r.client_kind,
        clientId: r.client_id,
        at: r.at,
        ok: r.ok === 1,
        guess: r.guess === 1,
      })),
    clearClient: async (key) => {
      q.clearClient.run(key);
    },
    forgiveUnknownGuesses: async (accountKey) => {
      q.forgive.run(accountKey);
    },
    deleteBefore: async (at) => {
      q.deleteBefore.run(at);
    },
  };
}
