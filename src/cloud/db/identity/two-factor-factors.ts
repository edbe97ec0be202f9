import type { Passkey, TotpFactor, TwoFactorFactorStore } from '../../../identity/two-factor/factor-store.js';
import type { CloudDatabase } from '../database.js';

const PASSKEY = `id, account_id AS "accountId", credential_id AS "credentialId", name, public_key AS "publicKey", counter, transports,
  created_at AS "createdAt", last_used_at AS "lastUsedAt"`;
const TOTP = 'account_id AS "accountId", secret_sealed AS "secretSealed", created_at AS "createdAt", confirmed_at AS "confirmedAt", last_step AS "lastStep"';

/**
 * TOTP factors, passkeys and recovery codes in PostgreSQL. "Accept this step once", "spend this code
 * once" and "move this counter forward" are conditional UPDATEs: a concurrent one waits on the row
 * lock, then finds the condition false; "add this credential once" is a unique index.
 */
export function twoFactorFactorStore(db: CloudDatabase): TwoFactorFactorStore {
  return {
    async getTotp(accountId) {
      const { rows } = await db.query<TotpFactor>(`SELECT ${TOTP} FROM totp_factors WHERE account_id = $1`, [accountId]);
      return rows[0];
    },
    async startTotp(accountId, secretSealed, now) {
      // Replaces a pending secret, never a confirmed one: the upsert's WHERE leaves that row alone.
      const { rowCount } = await db.query(
        `INSERT INTO totp_factors (account_id, secret_sealed, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (account_id) DO UPDATE
         SET secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at, last_step = -1
         WHERE totp_factors.confirmed_at IS NULL`,
        [accountId, secretSealed, now],
      );
      return rowCount === 1;
    },
    async confirmTotp(accountId, secretSealed, step, now) {
      // Only the secret the code was checked against: another start may have replaced it meanwhile.
      const { rowCount } = await db.query(
        'UPDATE totp_factors SET confirmed_at = $4, last_step = $3 WHERE account_id = $1 AND secret_sealed = $2 AND confirmed_at IS NULL',
        [accountId, secretSealed, step, now],
      );
      return rowCount === 1;
    },
    async acceptTotpStep(accountId, step) {
      const { rowCount } = await db.query(
        'UPDATE totp_factors SET last_step = $2 WHERE account_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2',
        [accountId, step],
      );
      return rowCount === 1;
    },
    replaceRecoveryCodes: (accountId, codeHashes) =>
      db.transaction(async (tx) => {
        await tx.query('DELETE FROM recovery_codes WHERE account_id = $1', [accountId]);
        await tx.query('INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, unnest($2::text[])', [accountId, codeHashes]);
      }),
    async spendRecoveryCode(accountId, codeHash, now) {
      const { rowCount } = await db.query(
        'UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL',
        [accountId, codeHash, now],
      );
      return rowCount === 1;
    },
    async remainingRecoveryCodes(accountId) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL', [accountId]);
      return rows[0]!.n;
    },
    async listPasskeys(accountId) {
      const { rows } = await db.query<Passkey>(`SELECT ${PASSKEY} FROM passkeys WHERE account_id = $1 ORDER BY id`, [accountId]);
      return rows;
    },
    async addPasskey(p) {
      const { rowCount } = await db.query(
        `INSERT INTO passkeys (account_id, credential_id, name, public_key, counter, transports, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (credential_id) DO NOTHING`,
        [p.accountId, p.credentialId, p.name, p.publicKey, p.counter, p.transports, p.createdAt],
      );
      return rowCount === 1;
    },
    async recordPasskeyUse(passkeyId, counter, now) {
      // Forward only; an authenticator that does not count stays at 0 and may be used again.
      const { rowCount } = await db.query(
        'UPDATE passkeys SET counter = $2, last_used_at = $3 WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2::bigint = 0))',
        [passkeyId, counter, now],
      );
      return rowCount === 1;
    },
    async removePasskey(accountId, passkeyId) {
      const { rowCount } = await db.query('DELETE FROM passkeys WHERE account_id = $1 AND id = $2', [accountId, passkeyId]);
      return rowCount === 1;
    },
    removeAllFactors: (accountId) =>
      db.transaction(async (tx) => {
        await tx.query('DELETE FROM totp_factors WHERE account_id = $1', [accountId]);
        await tx.query('DELETE FROM recovery_codes WHERE account_id = $1', [accountId]);
        await tx.query('DELETE FROM passkeys WHERE account_id = $1', [accountId]);
      }),
  };
}
