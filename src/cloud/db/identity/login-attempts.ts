import type { LoginAttemptStore, LoginClientKey, ReservedFailure, StoredLoginAttempt } from '../../../identity/lockout/attempt-store.js';
import type { LoginAttempt } from '../../../identity/lockout/policy.js';
import type { CloudDatabase, Queryable } from '../database.js';
import { lockKeyUntilCommit } from '../key-lock.js';

const CLIENT = 'account_key = $1 AND client_kind = $2 AND client_id = $3';
const clientParams = (key: LoginClientKey) => [key.accountKey, key.kind, key.clientId];

/** One client's attempts since `since`, by time (`stored`: in the order they were stored). */
async function clientAttempts(db: Queryable, key: LoginClientKey, since: number, order: 'time' | 'stored' = 'time'): Promise<LoginAttempt[]> {
  const { rows } = await db.query<LoginAttempt>(
    `SELECT at, ok FROM login_attempts WHERE ${CLIENT} AND at >= $4 ORDER BY ${order === 'time' ? 'at, id' : 'id'}`,
    [...clientParams(key), since],
  );
  return rows;
}

async function unknownClientGuesses(db: Queryable, accountKey: string, since: number): Promise<number[]> {
  const { rows } = await db.query<{ at: number }>(
    `SELECT at FROM login_attempts
     WHERE account_key = $1 AND client_kind = 'address' AND NOT ok AND guess AND at >= $2 ORDER BY at, id`,
    [accountKey, since],
  );
  return rows.map((r) => r.at);
}

/**
 * A lock per account, held until the transaction ends: a reservation answers the account's
 * unknown-client guesses, from every client, as well as its own client's attempts. A row lock
 * cannot serve: concurrent first failures have no row to lock yet, and under READ COMMITTED each
 * would read back only its own insert, so all would see the same count.
 */
const lockAccount = (tx: Queryable, accountKey: string) => lockKeyUntilCommit(tx, `login_attempts:${accountKey}`);

/** Login attempts per (account, client) in PostgreSQL. */
export function loginAttemptStore(db: CloudDatabase): LoginAttemptStore {
  return {
    clientAttempts: (key, since) => clientAttempts(db, key, since),
    unknownClientGuesses: (accountKey, since) => unknownClientGuesses(db, accountKey, since),
    reserveFailure: (key, at, guess, since) =>
      db.transaction(async (tx): Promise<ReservedFailure> => {
        await lockAccount(tx, key.accountKey);
        const { rows } = await tx.query<{ id: number }>(
          'INSERT INTO login_attempts (account_key, client_kind, client_id, at, ok, guess) VALUES ($1, $2, $3, $4, false, $5) RETURNING id',
          [...clientParams(key), at, guess],
        );
        return {
          id: String(rows[0]!.id),
          clientAttempts: await clientAttempts(tx, key, since.client, 'stored'),
          unknownClientGuesses: await unknownClientGuesses(tx, key.accountKey, since.guesses),
        };
      }),
    async withdrawFailure(key, id) {
      // Not a number: no failure was ever stored under it.
      if (!/^\d{1,15}$/.test(id)) return;
      await db.query(`DELETE FROM login_attempts WHERE ${CLIENT} AND id = $4 AND NOT ok`, [...clientParams(key), Number(id)]);
    },
    recordSuccess: (key, at) =>
      db.transaction(async (tx) => {
        await lockAccount(tx, key.accountKey);
        await tx.query(`DELETE FROM login_attempts WHERE ${CLIENT}`, clientParams(key));
        await tx.query('INSERT INTO login_attempts (account_key, client_kind, client_id, at, ok, guess) VALUES ($1, $2, $3, $4, true, true)', [
          ...clientParams(key),
          at,
        ]);
      }),
    async attemptsSince(since) {
      const { rows } = await db.query<StoredLoginAttempt>(
        'SELECT account_key AS "accountKey", client_kind AS kind, client_id AS "clientId", at, ok, guess FROM login_attempts WHERE at >= $1 ORDER BY at, id',
        [since],
      );
      return rows;
    },
    async clearClient(key) {
      await db.query(`DELETE FROM login_attempts WHERE ${CLIENT}`, clientParams(key));
    },
    async forgiveUnknownGuesses(accountKey) {
      await db.query("UPDATE login_attempts SET guess = false WHERE account_key = $1 AND client_kind = 'address'", [accountKey]);
    },
    async deleteBefore(at) {
      await db.query('DELETE FROM login_attempts WHERE at < $1', [at]);
    },
  };
}
