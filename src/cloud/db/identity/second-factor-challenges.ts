import type { PasskeyRegistration, SecondFactorChallenge, SecondFactorChallengeStore } from '../../../identity/two-factor/challenge-store.js';
import type { CloudDatabase } from '../database.js';

const CHALLENGE = `token_hash AS "tokenHash", account_id AS "accountId", created_at AS "createdAt", expires_at AS "expiresAt", failures,
  ended_at AS "endedAt", webauthn_challenge AS "webauthnChallenge"`;
const REGISTRATION = 'account_id AS "accountId", challenge, rp_id AS "rpId", expires_at AS "expiresAt"';

/**
 * Second-factor challenges and passkey registrations in PostgreSQL. Ending a challenge and counting
 * its failures are single UPDATEs on its row; taking a registration is a DELETE ... RETURNING, which
 * only one of concurrent takes gets a row from.
 */
export function secondFactorChallengeStore(db: CloudDatabase): SecondFactorChallengeStore {
  return {
    createChallenge: (c) =>
      db.transaction(async (tx) => {
        await tx.query('DELETE FROM second_factor_challenges WHERE expires_at <= $1', [c.createdAt]);
        await tx.query(
          `INSERT INTO second_factor_challenges (token_hash, account_id, created_at, expires_at, failures, ended_at, webauthn_challenge)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [c.tokenHash, c.accountId, c.createdAt, c.expiresAt, c.failures, c.endedAt, c.webauthnChallenge],
        );
      }),
    async findChallenge(tokenHash) {
      const { rows } = await db.query<SecondFactorChallenge>(`SELECT ${CHALLENGE} FROM second_factor_challenges WHERE token_hash = $1`, [tokenHash]);
      return rows[0];
    },
    async endChallenge(tokenHash, now) {
      const { rowCount } = await db.query(
        'UPDATE second_factor_challenges SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > $2',
        [tokenHash, now],
      );
      return rowCount === 1;
    },
    async countChallengeFailure(tokenHash, limit, now) {
      // Below the limit the check gives the challenge back; at it, it stays ended (from now if it was live).
      const { rows } = await db.query<{ failures: number }>(
        `UPDATE second_factor_challenges
         SET failures = failures + 1, ended_at = CASE WHEN failures + 1 >= $2 THEN coalesce(ended_at, $3) END
         WHERE token_hash = $1 RETURNING failures`,
        [tokenHash, limit, now],
      );
      return rows[0]?.failures ?? 0;
    },
    async beginPasskeyRegistration(r) {
      await db.query(
        `INSERT INTO passkey_registrations (account_id, challenge, rp_id, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id) DO UPDATE SET challenge = EXCLUDED.challenge, rp_id = EXCLUDED.rp_id, expires_at = EXCLUDED.expires_at`,
        [r.accountId, r.challenge, r.rpId, r.expiresAt],
      );
    },
    async takePasskeyRegistration(accountId, now) {
      const { rows } = await db.query<PasskeyRegistration>(`DELETE FROM passkey_registrations WHERE account_id = $1 RETURNING ${REGISTRATION}`, [accountId]);
      const taken = rows[0];
      return taken && taken.expiresAt > now ? taken : undefined;
    },
  };
}
