import type { SourceAttemptStore } from '../../../identity/lockout/source-attempt-store.js';
import type { CloudDatabase, Queryable } from '../database.js';
import { lockKeyUntilCommit } from '../key-lock.js';

async function times(db: Queryable, key: string): Promise<number[]> {
  const { rows } = await db.query<{ at: number }>('SELECT at FROM source_attempts WHERE source = $1 ORDER BY at, id', [key]);
  return rows.map((r) => r.at);
}

/** A source's first reservations have no row to lock: a lock on its key makes insert-and-read one step. */
const lockSource = (tx: Queryable, key: string) => lockKeyUntilCommit(tx, `source_attempts:${key}`);

/** The per-source throttle's attempt times in PostgreSQL, shared by every instance on the database. */
export function sourceAttemptStore(db: CloudDatabase): SourceAttemptStore {
  return {
    times: (key) => times(db, key),
    reserve: (key, at, dropUpTo) =>
      db.transaction(async (tx) => {
        await lockSource(tx, key);
        await tx.query('DELETE FROM source_attempts WHERE source = $1 AND at <= $2', [key, dropUpTo]);
        await tx.query('INSERT INTO source_attempts (source, at) VALUES ($1, $2)', [key, at]);
        return times(tx, key);
      }),
    removeOne: (key, at) =>
      // Under the lock, two concurrent take-backs of one time remove two rows, not the same one twice.
      db.transaction(async (tx) => {
        await lockSource(tx, key);
        await tx.query(
          'DELETE FROM source_attempts WHERE id = (SELECT id FROM source_attempts WHERE source = $1 AND at = $2 ORDER BY id DESC LIMIT 1)',
          [key, at],
        );
      }),
    async clear(key) {
      await db.query('DELETE FROM source_attempts WHERE source = $1', [key]);
    },
    async forgetBefore(before) {
      await db.query('DELETE FROM source_attempts WHERE at < $1', [before]);
    },
  };
}
