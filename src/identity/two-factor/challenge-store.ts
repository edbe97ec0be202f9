/**
 * Where a part keeps the short-lived challenges of two-factor ceremonies (a port): the step of a
 * login between a right password and a second factor, and a passkey registration under way. Every
 * method is one atomic operation of the store.
 */

/** The login step between a right password and a second factor. Only the token's hash is kept. */
export interface SecondFactorChallenge {
  tokenHash: string;
  accountId: number;
  createdAt: number;
  expiresAt: number;
  failures: number;
  endedAt: number | null;
  /** What a passkey must sign for this login; null when none was offered. */
  webauthnChallenge: string | null;
}

/** A passkey registration under way: the challenge the authenticator must sign, one per account. */
export interface PasskeyRegistration {
  accountId: number;
  challenge: string;
  rpId: string;
  expiresAt: number;
}

export interface SecondFactorChallengeStore {
  /** Stores a new challenge (and may forget challenges that expired before its creation). */
  createChallenge(challenge: SecondFactorChallenge): Promise<void>;
  findChallenge(tokenHash: string): Promise<SecondFactorChallenge | undefined>;
  /**
   * Ends a live challenge: for good when it is used, or while one proof of it is checked; false if
   * it had ended or expired already. Of concurrent calls, exactly one wins.
   */
  endChallenge(tokenHash: string, now: number): Promise<boolean>;
  /**
   * Counts one wrong proof of a challenge its caller ended for the check, and answers the new
   * count: below `limit` the challenge is live again, at the limit it stays ended (at `now` if it
   * was not). 0 for an unknown challenge. Concurrent failures each count.
   */
  countChallengeFailure(tokenHash: string, limit: number, now: number): Promise<number>;

  /** Replaces the account's registration under way. */
  beginPasskeyRegistration(registration: PasskeyRegistration): Promise<void>;
  /** The account's registration under way, removed so it is answered once; undefined if none or expired. */
  takePasskeyRegistration(accountId: number, now: number): Promise<PasskeyRegistration | undefined>;
}
