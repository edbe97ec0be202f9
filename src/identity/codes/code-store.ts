import type { SecurityEvent } from '../audit/security-event.js';
import type { StoredGrant } from '../grants/grant-store.js';

/**
 * Where a part keeps the one-time codes it sent on request (a port: the recorder's adapter is
 * SQLite, the cloud's will be PostgreSQL). Every method is one atomic operation of the store, so a
 * code stays single-use without a transaction around it.
 */

/** One request for a code, as stored: the code itself never is, only its HMAC (see contact-code.ts). */
export interface SentCode<Channel extends string = string> {
  requestId: string;
  /** Set only when something was really sent to the account's address. */
  accountId: number | null;
  channel: Channel;
  /** Null when no code was sent (a decoy, or a message with nothing to type back). */
  codeHmac: string | null;
  /** Where wrong codes for this request are counted. */
  lockScope: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface SentCodeStore<Channel extends string = string> {
  insert(code: SentCode<Channel>): Promise<void>;
  find(requestId: string): Promise<SentCode<Channel> | undefined>;
  /**
   * Marks the code used if it is live at `now` (unused, not expired). Of any number of concurrent
   * calls for one request, exactly one answers true.
   */
  spend(requestId: string, now: number): Promise<boolean>;
  /**
   * Stores a request together with the send budget it counts against, in one atomic step: a request
   * that would send (its account set) while the account already had `budget.max` sends after
   * `budget.since` is stored as one that sent nothing (no account, no code). Appends the events
   * `audit` makes of whether it sends, each linked into the audit chain; answers whether it sends.
   * Of N concurrent requests for one account, no more than the budget send. `audit` is pure and
   * synchronous.
   */
  insertWithinBudget(
    code: SentCode<Channel>,
    budget: { since: number; max: number },
    audit: (sends: boolean) => readonly SecurityEvent[],
  ): Promise<boolean>;
  /**
   * A right code is traded for a reset grant, in one atomic step: spends the code if it is live at
   * `now`, stores `grant`, lifts the lock on wrong codes of the request (method = its channel, scope
   * = its lock scope), and appends `audit`, each event linked into the audit chain. False, with
   * nothing changed, if the code cannot be spent: of any number of concurrent calls for one request
   * at most one answers true, so one code earns one grant. If any part fails, nothing changes.
   */
  redeem(requestId: string, now: number, grant: StoredGrant, audit: readonly SecurityEvent[]): Promise<boolean>;
  /** How many requests really sent something to the account after `since` (the send budget). */
  countSendsSince(accountId: number, since: number): Promise<number>;
}
