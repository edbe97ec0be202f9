import type { SentCode, SentCodeStore } from '../../../identity/codes/code-store.js';
import type { CloudDatabase, Queryable } from '../database.js';
import { lockKeyUntilCommit } from '../key-lock.js';
import { appendEvents } from './audit-sink.js';
import { resetGrantStore } from './reset-grants.js';

/** The channels the cloud sends codes on. */
export type CodeChannel = 'email' | 'sms';

const SENT_CODE = `request_id AS "requestId", account_id AS "accountId", channel, code_hmac AS "codeHmac", lock_scope AS "lockScope",
  created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"`;

async function insertCode(db: Queryable, c: SentCode<CodeChannel>): Promise<void> {
  await db.query(
    `INSERT INTO sent_codes (request_id, account_id, channel, code_hmac, lock_scope, created_at, expires_at, used_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.requestId, c.accountId, c.channel, c.codeHmac, c.lockScope, c.createdAt, c.expiresAt, c.usedAt],
  );
}

async function countSendsSince(db: Queryable, accountId: number, since: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM sent_codes WHERE account_id = $1 AND created_at > $2', [accountId, since]);
  return rows[0]!.n;
}

/** Codes sent on request, in PostgreSQL. A spend is one conditional UPDATE: of concurrent ones, the row lock lets one through. */
export function sentCodeStore(db: CloudDatabase, auditKey: Buffer): SentCodeStore<CodeChannel> {
  return {
    insert: (c) => insertCode(db, c),
    insertWithinBudget: (c, budget, audit) =>
      db.transaction(async (tx) => {
        // Concurrent requests for one account take turns: each counts the sends stored before it. A
        // request for nobody takes a lock of its own and counts for no account: the same statements,
        // so its time does not tell that the address has no account.
        await lockKeyUntilCommit(tx, `sends:${c.accountId ?? `none:${c.requestId}`}`);
        const within = (await countSendsSince(tx, c.accountId ?? -1, budget.since)) < budget.max;
        const sends = c.accountId !== null && within;
        await insertCode(tx, sends ? c : { ...c, accountId: null, codeHmac: null });
        await appendEvents(tx, auditKey, audit(sends), c.createdAt);
        return sends;
      }),
    redeem: (requestId, now, grant, audit) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<{ channel: string; lock_scope: string }>(
          'UPDATE sent_codes SET used_at = $2 WHERE request_id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING channel, lock_scope',
          [requestId, now],
        );
        const spent = rows[0];
        if (!spent) return false;
        await resetGrantStore(tx).insert(grant);
        await tx.query('DELETE FROM method_locks WHERE method = $1 AND scope = $2', [spent.channel, spent.lock_scope]);
        await appendEvents(tx, auditKey, audit, now);
        return true;
      }),
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
    countSendsSince: (accountId, since) => countSendsSince(db, accountId, since),
  };
}
