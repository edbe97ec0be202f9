import type { Queryable } from './database.js';

/** What a new account starts with: an address to verify (email or phone, or both) and a password hash. */
export interface NewAccount {
  email: string | null;
  phone: string | null;
  username: string | null;
  passwordHash: string;
}

/** Stores a new, unverified account; answers its id. */
export async function insertAccount(db: Queryable, account: NewAccount, now: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO accounts (email, phone, username, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [account.email, account.phone, account.username, account.passwordHash, now],
  );
  return rows[0]!.id;
}
