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

/** Where an account is reached: the column its address is kept in. */
export type AddressKind = 'email' | 'phone';

/**
 * Signs an email address or a phone number up: a new unverified account, or the unverified one the
 * address already has with this password instead (an address is not held by someone who cannot read
 * its mail or its texts). Answers the account's id and whether the address was verified already
 * (then nothing changed). One statement: two sign-ups of one address at once make one account.
 */
export async function signUpAddress(db: Queryable, kind: AddressKind, address: string, passwordHash: string, now: number): Promise<{ id: number; verified: boolean }> {
  // The column name comes from this fixed pair, never from input.
  const column = kind === 'email' ? 'email' : 'phone';
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO accounts (${column}, password_hash, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (${column}) DO UPDATE SET password_hash = EXCLUDED.password_hash WHERE accounts.verified_at IS NULL
     RETURNING id`,
    [address, passwordHash, now],
  );
  if (rows[0]) return { id: rows[0].id, verified: false };
  const taken = await db.query<{ id: number }>(`SELECT id FROM accounts WHERE ${column} = $1`, [address]);
  return { id: taken.rows[0]!.id, verified: true };
}

/** The account can be used from now on; false if it was verified already. */
export async function markVerified(db: Queryable, accountId: number, now: number): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE accounts SET verified_at = $2 WHERE id = $1 AND verified_at IS NULL', [accountId, now]);
  return rowCount === 1;
}

export async function accountEmail(db: Queryable, accountId: number): Promise<string | undefined> {
  const { rows } = await db.query<{ email: string | null }>('SELECT email FROM accounts WHERE id = $1', [accountId]);
  return rows[0]?.email ?? undefined;
}

/** What a login reads of an account: only a verified one can log in. */
export interface LoginAccountRow {
  id: number;
  /** The email address, or the phone number of an account without one: the name the core's login knows it by. */
  username: string;
  passwordHash: string;
  oneTimePasswordExpiresAt: null;
}

/** A verified account by the name it logs in with: an email address (it has an @) or a phone number. */
export async function findVerifiedByLoginName(db: Queryable, name: string): Promise<LoginAccountRow | undefined> {
  const column = name.includes('@') ? 'email' : 'phone';
  const { rows } = await db.query<LoginAccountRow>(
    `SELECT id, coalesce(email, phone) AS username, password_hash AS "passwordHash", NULL AS "oneTimePasswordExpiresAt"
     FROM accounts WHERE ${column} = $1 AND verified_at IS NOT NULL`,
    [name.trim().toLowerCase()],
  );
  return rows[0];
}

export async function findAccountName(db: Queryable, id: number): Promise<{ id: number; username: string } | undefined> {
  const { rows } = await db.query<{ id: number; username: string }>('SELECT id, coalesce(email, phone) AS username FROM accounts WHERE id = $1', [id]);
  return rows[0];
}

export async function replacePasswordHash(db: Queryable, id: number, passwordHash: string): Promise<void> {
  await db.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
}

/** A verified account as a logged-in owner acts on it: the name the core knows it by, its password hash and its addresses. */
export interface CloudAccount {
  id: number;
  /** The email address, or the phone number of an account without one. */
  username: string;
  passwordHash: string;
  email: string | null;
  phone: string | null;
}

const VERIFIED_ACCOUNT = `SELECT id, coalesce(email, phone) AS username, password_hash AS "passwordHash", email, phone
  FROM accounts WHERE verified_at IS NOT NULL`;

/** A verified account by id; undefined for an unknown or unverified one (it can hold no session). */
export async function findAccount(db: Queryable, id: number): Promise<CloudAccount | undefined> {
  const { rows } = await db.query<CloudAccount>(`${VERIFIED_ACCOUNT} AND id = $1`, [id]);
  return rows[0];
}

/** The verified account an address (an email in lower case, or a phone number in E.164) belongs to. */
export async function findVerifiedByAddress(db: Queryable, channel: 'email' | 'sms', address: string): Promise<CloudAccount | undefined> {
  const { rows } = await db.query<CloudAccount>(`${VERIFIED_ACCOUNT} AND ${channel === 'email' ? 'email' : 'phone'} = $1`, [address]);
  return rows[0];
}

/** The User-Agents of the account's most recent sessions (ended ones too) but one: what its clients looked like. */
export async function earlierUserAgents(db: Queryable, accountId: number, exceptSessionId: string): Promise<string[]> {
  const { rows } = await db.query<{ user_agent: string }>(
    `SELECT DISTINCT user_agent FROM (
       SELECT user_agent FROM sessions WHERE account_id = $1 AND id <> $2 ORDER BY created_at DESC LIMIT 200
     ) recent`,
    [accountId, exceptSessionId],
  );
  return rows.map((r) => r.user_agent);
}
