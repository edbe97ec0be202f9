import type { Database } from 'better-sqlite3';
import type { TotpFactor, TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import { withAccountId } from './account-id.js';

/** A TOTP factor as the recorder keeps it: the core's, its owner named `userId` as in the tables. */
export type TotpFactorRecord = Omit<TotpFactor, 'accountId'> & { userId: number };

export interface ChallengeRecord {
  tokenHash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  failures: number;
  endedAt: number | null;
  webauthnChallenge: string | null;
}

export interface PasskeyRecord {
  id: number;
  userId: number;
  credentialId: string;
  name: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PasskeyRegistration {
  userId: number;
  challenge: string;
  rpId: string;
  expiresAt: number;
}

/**
 * The two-factor tables. Every "use once" rule is one conditional UPDATE whose change count says
 * whether this caller won, so concurrent requests cannot both succeed.
 */
export interface TwoFactorStore {
  getTotp(userId: number): TotpFactorRecord | undefined;
  /** A new, unconfirmed secret; replaces an unconfirmed one, never a confirmed one (false then). */
  startTotp(userId: number, secretSealed: Buffer, now: number): boolean;
  /** Confirms a pending secret with the step of its first code; false if there was none pending. */
  confirmTotp(userId: number, step: number, now: number): boolean;
  /** Records `step` as used; false if it (or a later one) was used already: a replay. */
  advanceTotpStep(userId: number, step: number): boolean;

  replaceRecoveryCodes(userId: number, codeHashes: string[]): void;
  /** Marks the code used; false if it is unknown or used already. */
  useRecoveryCode(userId: number, codeHash: string, now: number): boolean;
  remainingRecoveryCodes(userId: number): number;

  /** Forgets every factor and recovery code of the user. */
  removeAllFactors(userId: number): void;

  listPasskeys(userId: number): PasskeyRecord[];
  /** Whether any user registered this credential already. */
  passkeyExists(credentialId: string): boolean;
  addPasskey(passkey: Omit<PasskeyRecord, 'id' | 'lastUsedAt'>): void;
  /** Records a use; false unless the new counter is above the stored one (or both are 0: authenticators without a counter). */
  usePasskey(id: number, counter: number, now: number): boolean;
  removePasskey(userId: number, id: number): boolean;
  /** Replaces the user's registration in progress. */
  beginPasskeyRegistration(registration: PasskeyRegistration): void;
  /** The user's registration in progress, removed so it is used once; undefined if none or expired. */
  takePasskeyRegistration(userId: number, now: number): PasskeyRegistration | undefined;

  createChallenge(challenge: ChallengeRecord): void;
  findChallenge(tokenHash: string): ChallengeRecord | undefined;
  /** Ends a live challenge for good (used or burnt); false if it had ended or expired already. */
  endChallenge(tokenHash: string, now: number): boolean;
  /** Counts a wrong code; returns the new count. */
  countChallengeFailure(tokenHash: string): number;

  isTwoFactorRequired(): boolean;
  setTwoFactorRequired(required: boolean, now: number): void;
}

interface TotpRow {
  user_id: number;
  secret_sealed: Buffer;
  created_at: number;
  confirmed_at: number | null;
  last_step: number;
}
interface ChallengeRow {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  failures: number;
  ended_at: number | null;
  webauthn_challenge: string | null;
}
interface PasskeyRow {
  id: number;
  user_id: number;
  credential_id: string;
  name: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  created_at: number;
  last_used_at: number | null;
}

const toPasskey = (r: PasskeyRow): PasskeyRecord => ({
  id: r.id,
  userId: r.user_id,
  credentialId: r.credential_id,
  name: r.name,
  publicKey: r.public_key,
  counter: r.counter,
  transports: JSON.parse(r.transports) as string[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export function createTwoFactorStore(db: Database): TwoFactorStore {
  const q = {
    totp: db.prepare<[number], TotpRow>('SELECT * FROM totp_factors WHERE user_id = ?'),
    startTotp: db.prepare(
      `INSERT INTO totp_factors (user_id, secret_sealed, created_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at,
                                           last_step = -1
       WHERE totp_factors.confirmed_at IS NULL`,
    ),
    confirmTotp: db.prepare(
      'UPDATE totp_factors SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL AND last_step < ?',
    ),
    advanceStep: db.prepare(
      'UPDATE totp_factors SET last_step = ? WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?',
    ),
    deleteTotp: db.prepare('DELETE FROM totp_factors WHERE user_id = ?'),
    deleteCodes: db.prepare('DELETE FROM recovery_codes WHERE user_id = ?'),
    insertCode: db.prepare('INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)'),
    useCode: db.prepare('UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL'),
    countCodes: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL'),
    insertChallenge: db.prepare(
      `INSERT INTO second_factor_challenges (token_hash, user_id, created_at, expires_at, failures, ended_at, webauthn_challenge)
       VALUES (@tokenHash, @userId, @createdAt, @expiresAt, @failures, @endedAt, @webauthnChallenge)`,
    ),
    challenge: db.prepare<[string], ChallengeRow>('SELECT * FROM second_factor_challenges WHERE token_hash = ?'),
    endChallenge: db.prepare(
      'UPDATE second_factor_challenges SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?',
    ),
    failChallenge: db.prepare<[string], { failures: number }>(
      'UPDATE second_factor_challenges SET failures = failures + 1 WHERE token_hash = ? RETURNING failures',
    ),
    // Old challenges are of no use to anyone; they go when new ones are made.
    purgeChallenges: db.prepare('DELETE FROM second_factor_challenges WHERE expires_at < ?'),
    passkeys: db.prepare<[number], PasskeyRow>('SELECT * FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id'),
    insertPasskey: db.prepare(
      `INSERT INTO webauthn_credentials (user_id, credential_id, name, public_key, counter, transports, created_at)
       VALUES (@userId, @credentialId, @name, @publicKey, @counter, @transports, @createdAt)`,
    ),
    usePasskey: db.prepare(
      `UPDATE webauthn_credentials SET counter = @counter, last_used_at = @now
       WHERE id = @id AND (counter < @counter OR (counter = 0 AND @counter = 0))`,
    ),
    passkeyExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM webauthn_credentials WHERE credential_id = ?'),
    removePasskey: db.prepare('DELETE FROM webauthn_credentials WHERE user_id = ? AND id = ?'),
    deletePasskeys: db.prepare('DELETE FROM webauthn_credentials WHERE user_id = ?'),
    putRegistration: db.prepare(
      `INSERT INTO webauthn_registrations (user_id, challenge, rp_id, expires_at) VALUES (@userId, @challenge, @rpId, @expiresAt)
       ON CONFLICT (user_id) DO UPDATE SET challenge = excluded.challenge, rp_id = excluded.rp_id, expires_at = excluded.expires_at`,
    ),
    takeRegistration: db.prepare<[number], { user_id: number; challenge: string; rp_id: string; expires_at: number }>(
      'DELETE FROM webauthn_registrations WHERE user_id = ? RETURNING *',
    ),
    policy: db.prepare<[], { required: number }>('SELECT required FROM two_factor_policy WHERE id = 1'),
    setPolicy: db.prepare(
      `INSERT INTO two_factor_policy (id, required, changed_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET required = excluded.required, changed_at = excluded.changed_at`,
    ),
  };

  const replaceRecoveryCodes = db.transaction((userId: number, codeHashes: string[]) => {
    q.deleteCodes.run(userId);
    for (const hash of codeHashes) q.insertCode.run(userId, hash);
  });
  const removeAllFactors = db.transaction((userId: number) => {
    q.deleteTotp.run(userId);
    q.deleteCodes.run(userId);
    q.deletePasskeys.run(userId);
  });

  return {
    getTotp(userId) {
      const r = q.totp.get(userId);
      return r && {
        userId: r.user_id,
        secretSealed: r.secret_sealed,
        createdAt: r.created_at,
        confirmedAt: r.confirmed_at,
        lastStep: r.last_step,
      };
    },
    startTotp: (userId, secretSealed, now) => q.startTotp.run(userId, secretSealed, now).changes === 1,
    confirmTotp: (userId, step, now) => q.confirmTotp.run(now, step, userId, step).changes === 1,
    advanceTotpStep: (userId, step) => q.advanceStep.run(step, userId, step).changes === 1,
    replaceRecoveryCodes: (userId, codeHashes) => replaceRecoveryCodes(userId, codeHashes),
    useRecoveryCode: (userId, codeHash, now) => q.useCode.run(now, userId, codeHash).changes === 1,
    remainingRecoveryCodes: (userId) => q.countCodes.get(userId)!.n,
    removeAllFactors: (userId) => removeAllFactors(userId),
    createChallenge(challenge) {
      q.purgeChallenges.run(challenge.createdAt);
      q.insertChallenge.run(challenge);
    },
    findChallenge(tokenHash) {
      const r = q.challenge.get(tokenHash);
      return r && {
        tokenHash: r.token_hash,
        userId: r.user_id,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        failures: r.failures,
        endedAt: r.ended_at,
        webauthnChallenge: r.webauthn_challenge,
      };
    },
    listPasskeys: (userId) => q.passkeys.all(userId).map(toPasskey),
    passkeyExists: (credentialId) => q.passkeyExists.get(credentialId) !== undefined,
    addPasskey(passkey) {
      q.insertPasskey.run({ ...passkey, transports: JSON.stringify(passkey.transports) });
    },
    usePasskey: (id, counter, now) => q.usePasskey.run({ id, counter, now }).changes === 1,
    removePasskey: (userId, id) => q.removePasskey.run(userId, id).changes === 1,
    beginPasskeyRegistration(registration) {
      q.putRegistration.run(registration);
    },
    takePasskeyRegistration(userId, now) {
      const r = q.takeRegistration.get(userId);
      return r && r.expires_at > now ? { userId: r.user_id, challenge: r.challenge, rpId: r.rp_id, expiresAt: r.expires_at } : undefined;
    },
    endChallenge: (tokenHash, now) => q.endChallenge.run(now, tokenHash, now).changes === 1,
    countChallengeFailure: (tokenHash) => q.failChallenge.get(tokenHash)?.failures ?? 0,
    isTwoFactorRequired: () => q.policy.get()?.required === 1,
    setTwoFactorRequired(required, now) {
      q.setPolicy.run(required ? 1 : 0, now);
    },
  };
}

/** The TOTP factor and recovery codes as the security core's port; each method is one statement or one transaction. */
export function twoFactorFactorPort(
  store: Pick<
    TwoFactorStore,
    'getTotp' | 'startTotp' | 'confirmTotp' | 'advanceTotpStep' | 'replaceRecoveryCodes' | 'useRecoveryCode' | 'remainingRecoveryCodes' | 'removeAllFactors'
  >,
): TwoFactorFactorStore {
  return {
    getTotp: async (accountId) => {
      const found = store.getTotp(accountId);
      return found && withAccountId(found);
    },
    startTotp: async (accountId, secretSealed, now) => store.startTotp(accountId, secretSealed, now),
    confirmTotp: async (accountId, step, now) => store.confirmTotp(accountId, step, now),
    acceptTotpStep: async (accountId, step) => store.advanceTotpStep(accountId, step),
    replaceRecoveryCodes: async (accountId, codeHashes) => store.replaceRecoveryCodes(accountId, codeHashes),
    spendRecoveryCode: async (accountId, codeHash, now) => store.useRecoveryCode(accountId, codeHash, now),
    remainingRecoveryCodes: async (accountId) => store.remainingRecoveryCodes(accountId),
    removeAllFactors: async (accountId) => store.removeAllFactors(accountId),
  };
}
