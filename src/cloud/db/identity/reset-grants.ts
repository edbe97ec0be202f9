import type { ResetGrantStore, StoredGrant } from '../../../identity/grants/grant-store.js';
import type { Queryable } from '../database.js';

const GRANT = 'token_hash AS "tokenHash", account_id AS "accountId", method, created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"';

/** Reset grants in PostgreSQL. A spend is one conditional UPDATE: of concurrent ones, the row lock lets one through. */
export function resetGrantStore(db: Queryable): ResetGrantStore {
  return {
    async insert(g) {
      await db.query(
        'INSERT INTO reset_grants (token_hash, account_id, method, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [g.tokenHash, g.accountId, g.method, g.createdAt, g.expiresAt, g.usedAt],
      );
    },
    async find(tokenHash) {
      const { rows } = await db.query<StoredGrant>(`SELECT ${GRANT} FROM reset_grants WHERE token_hash = $1`, [tokenHash]);
      return rows[0];
    },
    async spend(tokenHash, now) {
      const { rowCount } = await db.query(
        'UPDATE reset_grants SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
        [tokenHash, now],
      );
      return rowCount === 1;
    },
    async revokeAll(accountId, now) {
      await db.query('UPDATE reset_grants SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL', [accountId, now]);
    },
  };
}
