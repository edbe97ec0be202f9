import type { SecurityEvent } from '../audit/security-event.js';

/**
 * Where a part keeps its login sessions (a port: the recorder's adapter is SQLite, the cloud's will
 * be PostgreSQL). Every method is one atomic operation of the store. The bearer token itself is
 * never stored, only its hash (see tokens.ts).
 */

export interface StoredSession<Reason extends string = string> {
  id: string;
  tokenHash: string;
  accountId: number;
  createdAt: number;
  createdIp: string;
  userAgent: string;
  lastSeenAt: number;
  lastSeenIp: string;
  revokedAt: number | null;
  revokedReason: Reason | null;
}

export interface SessionStore<Reason extends string = string> {
  /** Stores a new session and appends `audit` (each linked into the audit chain) in one atomic step: both or neither. */
  create(session: StoredSession<Reason>, audit?: readonly SecurityEvent[]): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<StoredSession<Reason> | undefined>;
  /** Records a request on the session: when and from where it was last seen. */
  touch(id: string, now: number, ip: string): Promise<void>;
  /**
   * Ends a live session and appends `audit` in one atomic step; false, with nothing appended, if it
   * had ended already (its first reason and time stay).
   */
  revoke(id: string, reason: Reason, now: number, audit?: readonly SecurityEvent[]): Promise<boolean>;
  /** Ends every live session of the account but `exceptId` (none when null); answers how many. */
  revokeAllOfAccount(accountId: number, reason: Reason, now: number, exceptId: string | null): Promise<number>;
  /** Live (unrevoked) sessions of the account, newest first. */
  listLive(accountId: number): Promise<StoredSession<Reason>[]>;
}
