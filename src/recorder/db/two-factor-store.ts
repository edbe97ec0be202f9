import type { Database } from 'better-sqlite3';
import type { PasskeyRegistration, SecondFactorChallenge, SecondFactorChallengeStore } from '../../identity/two-factor/challenge-store.js';
import type { Passkey, TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import type { TwoFactorPolicyStore } from '../../identity/two-factor/policy-store.js';

/**
 * The two-factor tables, as the security core's ports. Every "use once" rule is one conditional
 * statement whose change count (or RETURNING row) says whether this caller won, so concurrent
 * requests cannot both succeed; the few operations of several statements are one transaction.
 */

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
interface RegistrationRow {
  user_id: number;
  challenge: string;
  rp_id: string;
  expires_at: number;
}

const toPasskey = (r: PasskeyRow): Passkey => ({
  id: r.id,
  accountId: r.user_id,
  credentialId: r.credential_id,
  name: r.name,
  publicKey: r.public_key,
  counter: r.counter,
  transports: JSON.parse(r.transports) as string[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/**
 * Forgets every second factor of a user, synchronously: one transaction of its own, or a part of
 * the caller's (a recovery reset's).
 */
export function factorRemover(db: Database): (accountId: number) => void {
  const statements = ['totp_factors', 'recovery_codes', 'webauthn_credentials'].map((table) => db.prepare(`DELETE FROM ${table} WHERE user_id = ?`));
  return db.transaction((accountId: number) => {
    for (const statement of statements) statement.run(accountId);
  });
}

/** The TOTP factor, passkeys and recovery codes of the recorder's users. */
export function twoFactorFactorPort(db: Database): TwoFactorFactorStore {
  const q = {
    totp: db.prepare<[number], TotpRow>('SELECT * FROM totp_factors WHERE user_id = ?'),
    startTotp: db.prepare(
      `INSERT INTO totp_factors (user_id, secret_sealed, created_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at,
                                           last_step = -1
       WHERE totp_factors.confirmed_at IS NULL`,
    ),
    confirmTotp: db.prepare(
      `UPDATE totp_factors SET confirmed_at = ?, last_step = ?
       WHERE user_id = ? AND secret_sealed = ? AND confirmed_at IS NULL AND last_step < ?`,
    ),
    acceptStep: db.prepare(
      'UPDATE totp_factors SET last_step = ? WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?',
    ),
    deleteCodes: db.prepare('DELETE FROM recovery_codes WHERE user_id = ?'),
    insertCode: db.prepare('INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)'),
    spendCode: db.prepare('UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL'),
    countCodes: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL'),
    passkeys: db.prepare<[number], PasskeyRow>('SELECT * FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id'),
    // credential_id is UNIQUE: a credential registered already (by anyone) is not added again.
    insertPasskey: db.prepare(
      `INSERT INTO webauthn_credentials (user_id, credential_id, name, public_key, counter, transports, created_at)
       VALUES (@accountId, @credentialId, @name, @publicKey, @counter, @transports, @createdAt)
       ON CONFLICT (credential_id) DO NOTHING`,
    ),
    usePasskey: db.prepare(
      `UPDATE webauthn_credentials SET counter = @counter, last_used_at = @now
       WHERE id = @id AND (counter < @counter OR (counter = 0 AND @counter = 0))`,
    ),
    removePasskey: db.prepare('DELETE FROM webauthn_credentials WHERE user_id = ? AND id = ?'),
  };

  const replaceRecoveryCodes = db.transaction((accountId: number, codeHashes: string[]) => {
    q.deleteCodes.run(accountId);
    for (const hash of codeHashes) q.insertCode.run(accountId, hash);
  });
  const removeAllFactors = factorRemover(db);

  return {
    async getTotp(accountId) {
      const r = q.totp.get(accountId);
      return r && { accountId: r.user_id, secretSealed: r.secret_sealed, createdAt: r.created_at, confirmedAt: r.confirmed_at, lastStep: r.last_step };
    },
    startTotp: async (accountId, secretSealed, now) => q.startTotp.run(accountId, secretSealed, now).changes === 1,
    confirmTotp: async (accountId, secretSealed, step, now) => q.confirmTotp.run(now, step, accountId, secretSealed, step).changes === 1,
    acceptTotpStep: async (accountId, step) => q.acceptStep.run(step, accountId, step).changes === 1,
    replaceRecoveryCodes: async (accountId, codeHashes) => replaceRecoveryCodes(accountId, codeHashes),
    spendRecoveryCode: async (accountId, codeHash, now) => q.spendCode.run(now, accountId, codeHash).changes === 1,
    remainingRecoveryCodes: async (accountId) => q.countCodes.get(accountId)!.n,
    listPasskeys: async (accountId) => q.passkeys.all(accountId).map(toPasskey),
    addPasskey: async (passkey) => q.insertPasskey.run({ ...passkey, transports: JSON.stringify(passkey.transports) }).changes === 1,
    recordPasskeyUse: async (id, counter, now) => q.usePasskey.run({ id, counter, now }).changes === 1,
    removePasskey: async (accountId, id) => q.removePasskey.run(accountId, id).changes === 1,
    removeAllFactors: async (accountId) => removeAllFactors(accountId),
  };
}

/** The login's second-step challenges and the passkey registrations under way. */
export function secondFactorChallengePort(db: Database): SecondFactorChallengeStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO second_factor_challenges (token_hash, user_id, created_at, expires_at, failures, ended_at, webauthn_challenge)
       VALUES (@tokenHash, @accountId, @createdAt, @expiresAt, @failures, @endedAt, @webauthnChallenge)`,
    ),
    // Old challenges are of no use to anyone; they go when new ones are made.
    purge: db.prepare('DELETE FROM second_factor_challenges WHERE expires_at < ?'),
    find: db.prepare<[string], ChallengeRow>('SELECT * FROM second_factor_challenges WHERE token_hash = ?'),
    end: db.prepare('UPDATE second_factor_challenges SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?'),
    // One statement counts the failure and decides whether the challenge opens again: no request
    // can slip between a count that reached the limit and the end it keeps.
    fail: db.prepare<{ tokenHash: string; limit: number; now: number }, { failures: number }>(
      `UPDATE second_factor_challenges
       SET failures = failures + 1,
           ended_at = CASE WHEN failures + 1 >= @limit THEN COALESCE(ended_at, @now) ELSE NULL END
       WHERE token_hash = @tokenHash RETURNING failures`,
    ),
    putRegistration: db.prepare(
      `INSERT INTO webauthn_registrations (user_id, challenge, rp_id, expires_at) VALUES (@accountId, @challenge, @rpId, @expiresAt)
       ON CONFLICT (user_id) DO UPDATE SET challenge = excluded.challenge, rp_id = excluded.rp_id, expires_at = excluded.expires_at`,
    ),
    takeRegistration: db.prepare<[number], RegistrationRow>('DELETE FROM webauthn_registrations WHERE user_id = ? RETURNING *'),
  };
  const create = db.transaction((challenge: SecondFactorChallenge) => {
    q.purge.run(challenge.createdAt);
    q.insert.run(challenge);
  });

  return {
    createChallenge: async (challenge) => create(challenge),
    async findChallenge(tokenHash) {
      const r = q.find.get(tokenHash);
      return r && {
        tokenHash: r.token_hash,
        accountId: r.user_id,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        failures: r.failures,
        endedAt: r.ended_at,
        webauthnChallenge: r.webauthn_challenge,
      };
    },
    countChallengeFailure: async (tokenHash, limit, now) => q.fail.get({ tokenHash, limit, now })?.failures ?? 0,
    endChallenge: async (tokenHash, now) => q.end.run(now, tokenHash, now).changes === 1,
    async beginPasskeyRegistration(registration) {
      q.putRegistration.run(registration);
    },
    async takePasskeyRegistration(accountId, now): Promise<PasskeyRegistration | undefined> {
      const r = q.takeRegistration.get(accountId);
      return r && r.expires_at > now ? { accountId: r.user_id, challenge: r.challenge, rpId: r.rp_id, expiresAt: r.expires_at } : undefined;
    },
  };
}

/** The admin's "everyone must use 2FA" setting: one row. */
export function twoFactorPolicyPort(db: Database): TwoFactorPolicyStore {
  const q = {
    get: db.prepare<[], { required: number }>('SELECT required FROM two_factor_policy WHERE id = 1'),
    set: db.prepare(
      `INSERT INTO two_factor_policy (id, required, changed_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET required = excluded.required, changed_at = excluded.changed_at`,
    ),
  };
  return {
    isTwoFactorRequired: async () => q.get.get()?.required === 1,
    async setTwoFactorRequired(required, now) {
      q.set.run(required ? 1 : 0, now);
    },
  };
}
