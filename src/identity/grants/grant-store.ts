/**
 * Where a part keeps reset grants (a port: the recorder's adapter is SQLite, the cloud's will be
 * PostgreSQL). Every method is one atomic operation of the store, so no caller needs a transaction
 * around it to keep a grant single-use.
 */

/** A grant as stored: the token itself never is, only its hash (see reset-grant.ts). */
export interface StoredGrant {
  tokenHash: string;
  accountId: number;
  /** The evidence that earned it, e.g. `recoveryKey`. */
  method: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface ResetGrantStore {
  insert(grant: StoredGrant): Promise<void>;
  find(tokenHash: string): Promise<StoredGrant | undefined>;
  /**
   * Marks the grant used if it is live at `now` (unused, not expired). Of any number of concurrent
   * calls for one grant, exactly one answers true.
   */
  spend(tokenHash: string, now: number): Promise<boolean>;
  /** Every unused grant of the account stops working (its password was set some other way). */
  revokeAll(accountId: number, now: number): Promise<void>;
}
