/**
 * Where a part keeps an account's TOTP factor and recovery codes (a port: the recorder's adapter
 * is SQLite, the cloud's will be PostgreSQL). Every method is one atomic operation of the store:
 * "accept this step once" and "spend this code once" hold without a transaction around them.
 */

/** A TOTP factor as stored: the secret only sealed (see secrets.ts). */
export interface TotpFactor {
  accountId: number;
  secretSealed: Buffer;
  createdAt: number;
  /** Null until the owner typed a first right code. */
  confirmedAt: number | null;
  /** The last time step accepted; a code of this step or an earlier one is a replay. */
  lastStep: number;
}

export interface TwoFactorFactorStore {
  getTotp(accountId: number): Promise<TotpFactor | undefined>;
  /** A new, unconfirmed secret; replaces an unconfirmed one, never a confirmed one (false then). */
  startTotp(accountId: number, secretSealed: Buffer, now: number): Promise<boolean>;
  /** Confirms a pending secret with the step of its first code; false if none was pending. */
  confirmTotp(accountId: number, step: number, now: number): Promise<boolean>;
  /**
   * Accepts a code of `step` for a confirmed factor if no code of this step or a later one was
   * accepted yet. Of any number of concurrent calls for one step, exactly one answers true.
   */
  acceptTotpStep(accountId: number, step: number): Promise<boolean>;

  /** The account's recovery codes (keyed hashes) become exactly these, all unused. */
  replaceRecoveryCodes(accountId: number, codeHashes: string[]): Promise<void>;
  /** Marks the code used; false if it is unknown or used already. Of concurrent spends, one wins. */
  spendRecoveryCode(accountId: number, codeHash: string, now: number): Promise<boolean>;
  remainingRecoveryCodes(accountId: number): Promise<number>;

  /** Forgets the account's TOTP factor and recovery codes (and whatever other factors the part keeps). */
  removeAllFactors(accountId: number): Promise<void>;
}
