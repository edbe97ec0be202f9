/**
 * Where a part keeps an account's second factors: its TOTP factor, its passkeys and its recovery
 * codes (a port: the recorder's adapter is SQLite, the cloud's will be PostgreSQL). Every method is
 * one atomic operation of the store: "accept this step once", "spend this code once", "add this
 * credential once" and "move this counter forward" hold without a transaction around them.
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

/** A passkey or security key (a WebAuthn credential) as stored. */
export interface Passkey {
  id: number;
  accountId: number;
  /** base64url, as the authenticator names it; unique across all accounts. */
  credentialId: string;
  name: string;
  publicKey: Buffer;
  /** The authenticator's signature counter at its last use; 0 for authenticators that do not count. */
  counter: number;
  transports: string[];
  createdAt: number;
  lastUsedAt: number | null;
}

export type NewPasskey = Omit<Passkey, 'id' | 'lastUsedAt'>;

export interface TwoFactorFactorStore {
  getTotp(accountId: number): Promise<TotpFactor | undefined>;
  /** A new, unconfirmed secret; replaces an unconfirmed one, never a confirmed one (false then). */
  startTotp(accountId: number, secretSealed: Buffer, now: number): Promise<boolean>;
  /**
   * Confirms the pending secret `secretSealed` (the one the first code was checked against) with the
   * step of that code; false if none was pending, or another secret replaced it meanwhile.
   */
  confirmTotp(accountId: number, secretSealed: Buffer, step: number, now: number): Promise<boolean>;
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

  /** The account's passkeys, oldest first. */
  listPasskeys(accountId: number): Promise<Passkey[]>;
  /** Adds a passkey; false if any account registered this credential id already. Of concurrent adds, one wins. */
  addPasskey(passkey: NewPasskey): Promise<boolean>;
  /**
   * Records a use of the passkey with the authenticator's new signature counter; false unless the
   * counter is above the stored one (or both are 0: an authenticator that does not count). Of
   * concurrent uses with one counter, exactly one answers true: a signed assertion works once.
   */
  recordPasskeyUse(passkeyId: number, counter: number, now: number): Promise<boolean>;
  /** Removes one passkey of the account; false if it has no such passkey. */
  removePasskey(accountId: number, passkeyId: number): Promise<boolean>;

  /** Forgets the account's TOTP factor, passkeys and recovery codes at once. */
  removeAllFactors(accountId: number): Promise<void>;
}
