import type { LoginAttemptStore, LoginClientKey, StoredLoginAttempt } from '../../../identity/lockout/attempt-store.js';
import type { LoginAttempt } from '../../../identity/lockout/policy.js';
import type { CloudDatabase, Queryable } from '../database.js';
import { lockKeyUntilCommit } from '../key-lock.js';

const CLIENT = 'account_key = $1 AND client_kind = $2 AND client_id = $3';
const clientParams = (key: LoginClientKey) => [key.accountKey, key.kind, key.clientId];

async function clientAttempts(db: Queryable, key: LoginClientKey, since: number): Promise<LoginAttempt[]> {
  const { rows } = await db.query<LoginAttempt>(`SELECT at, ok FROM login_attempts WHERE ${CLIENT} AND at >= $4 ORDER BY at, id`, [
    ...clientParams(key),
    since,
  ]);
  return rows;
}

/**
 * A lock per (account, client), held until the transaction ends. A row lock cannot serve: two
 * concurrent first failures of a client have no row to lock yet, and under READ COMMITTED each
 * would read back only its own insert; so both would count one.
 */
const lockClient = (tx: Queryable, key: LoginClientKey) => lockKeyUntilCommit(tx, `login_attempts:${JSON.stringify(clientParams(key))}`);

/** Login attempts per (account, client) in PostgreSQL. */
export function loginAttemptStore(db: CloudDatabase): LoginAttemptStore {
  return {
    clientAttempts: (key, since) => clientAttempts(db, key, since),
    async unknownClientGuesses(accountKey, since) {
      const { rows } = await db.query<{ at: number }>(
        `SELECT at FROM login_attempts
         WHERE account_key = $1 AND client_kind = 'address' AND NOT ok AND guess AND at >= $2 ORDER BY at, id`,
        [accountKey, since],
      );
      return rows.map((r) => r.at);
    },
    reserveFailure: (key, at, guess, since) =>
      db.transaction(async (tx) => {
        await lockClient(tx, key);
        await tx.query('INSERT INTO login_attempts (account_key, client_kind, client_id, at, ok, guess) VALUES ($1, $2, $3, $4, false, $5)', [
          ...clientParams(key),
          at,
          guess,
        ]);
        return clientAttempts(tx, key, since);
      }),
    recordSuccess: (key, at) =>
      db.transaction(async (tx) => {
        await lockClient(tx, key);
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
