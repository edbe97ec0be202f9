import type { Queryable } from './database.js';

/**
 * Takes a lock named `key` until the transaction `tx` ends, waiting while another transaction
 * holds it: for a read-then-write that must be one step where no row exists yet to lock (the first
 * attempt of a client, the head of an empty audit chain). Names that hash alike share a lock, which
 * only makes them wait for each other.
 */
export async function lockKeyUntilCommit(tx: Queryable, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}
