import type { MethodLockStore } from '../../../identity/lockout/method-lock-store.js';
import type { MethodLockRecord } from '../../../identity/lockout/method-lock.js';
import type { CloudDatabase, Queryable } from '../database.js';
import { lockKeyUntilCommit } from '../key-lock.js';

async function get(db: Queryable, method: string, scope: string): Promise<MethodLockRecord | undefined> {
  const { rows } = await db.query<{ failures: number; blocked_until: number | null }>(
    'SELECT failures, blocked_until FROM method_locks WHERE method = $1 AND scope = $2',
    [method, scope],
  );
  return rows[0] && { failures: rows[0].failures, blockedUntil: rows[0].blocked_until };
}

/** Locks on kinds of evidence in PostgreSQL, shared by every instance on the database. */
export function methodLockStore(db: CloudDatabase): MethodLockStore {
  return {
    get: (method, scope) => get(db, method, scope),
    update: (method, scope, next, now) =>
      db.transaction(async (tx) => {
        // The first failure of a (method, scope) has no row to lock: lock its name instead.
        await lockKeyUntilCommit(tx, `method_locks:${JSON.stringify([method, scope])}`);
        const lock = next(await get(tx, method, scope));
        await tx.query(
          `INSERT INTO method_locks (method, scope, failures, blocked_until, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (method, scope) DO UPDATE
           SET failures = EXCLUDED.failures, blocked_until = EXCLUDED.blocked_until, updated_at = EXCLUDED.updated_at`,
          [method, scope, lock.failures, lock.blockedUntil, now],
        );
        return lock;
      }),
    async clear(method, scope) {
      await db.query('DELETE FROM method_locks WHERE method = $1 AND scope = $2', [method, scope]);
    },
  };
}
