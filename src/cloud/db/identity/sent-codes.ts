import type { SentCode, SentCodeStore } from '../../../identity/codes/code-store.js';
import type { Queryable } from '../database.js';

/** The channels the cloud sends codes on. */
export type CodeChannel = 'email' | 'sms';

const SENT_CODE = `request_id AS "requestId", account_id AS "accountId", channel, code_hmac AS "codeHmac", lock_scope AS "lockScope",
  created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"`;

/** Codes sent on request, in PostgreSQL. A spend is one conditional UPDATE: of concurrent ones, the row lock lets one through. */
export function sentCodeStore(db: Queryable): SentCodeStore<CodeChannel> {
  return {
    async insert(c) {
      await db.query(
        `INSERT INTO sent_codes (request_id, account_id, channel, code_hmac, lock_scope, created_at, expires_at, used_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [c.requestId, c.accountId, c.channel, c.codeHmac, c.lockScope, c.createdAt, c.expiresAt, c.usedAt],
      );
    },
    async find(requestId) {
      const { rows } = await db.query<SentCode<CodeChannel>>(`SELECT ${SENT_CODE} FROM sent_codes WHERE request_id = $1`, [requestId]);
      return rows[0];
    },
    async spend(requestId, now) {
      const { rowCount } = await db.query(
        'UPDATE sent_codes SET used_at = $2 WHERE request_id = $1 AND used_at IS NULL AND expires_at > $2',
        [requestId, now],
      );
      return rowCount === 1;
    },
    async countSendsSince(accountId, since) {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM sent_codes WHERE account_id = $1 AND created_at > $2',
        [accountId, since],
      );
      return rows[0]!.n;
    },
  };
}
