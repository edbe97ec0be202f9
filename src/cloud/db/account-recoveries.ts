import type { SecurityEvent } from '../../identity/audit/security-event.js';
import type { AccountRecovery, CancelReason } from '../recovery/account-recovery-policy.js';
import type { CloudDatabase } from './database.js';
import { appendEvents } from './identity/audit-sink.js';

const RECOVERY = `id, account_id AS "accountId", opened_at AS "openedAt", ends_at AS "endsAt", last_notice_at AS "lastNoticeAt",
  cancelled_at AS "cancelledAt", completed_at AS "completedAt"`;
const OPEN = 'cancelled_at IS NULL AND completed_at IS NULL';

/** Events are made of the request they concern, once the store knows which one that is. */
type Audit = (recovery: AccountRecovery) => readonly SecurityEvent<string>[];

/**
 * Account-recovery requests in PostgreSQL. Every change is one conditional statement in a
 * transaction with its audit entries: of instances that race to send a notice, cancel or complete
 * a request, one does it and the others find the condition false.
 */
export function accountRecoveryStore(db: CloudDatabase, auditKey: Buffer) {
  /** Ends the open request matched by `where` (one of the account's, or the one a cancel token names). */
  const cancelWhere = (where: string, key: unknown, reason: CancelReason, now: number, audit: Audit) =>
    db.transaction(async (tx) => {
      const { rows } = await tx.query<AccountRecovery>(
        `UPDATE account_recoveries SET cancelled_at = $2, cancelled_reason = $3 WHERE ${where} = $1 AND ${OPEN} RETURNING ${RECOVERY}`,
        [key, now, reason],
      );
      if (rows[0]) await appendEvents(tx, auditKey, audit(rows[0]), now);
      return rows[0];
    });

  return {
    /**
     * Opens a request unless the account has one waiting already: answers the new one (`opened`)
     * or the one that was there, whose clock does not start again.
     */
    open: (r: AccountRecovery & { cancelTokenHash: string }, audit: Audit) =>
      db.transaction(async (tx) => {
        const inserted = await tx.query<AccountRecovery>(
          `INSERT INTO account_recoveries (id, account_id, cancel_token_hash, opened_at, ends_at, last_notice_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id) WHERE ${OPEN} DO NOTHING RETURNING ${RECOVERY}`,
          [r.id, r.accountId, r.cancelTokenHash, r.openedAt, r.endsAt, r.lastNoticeAt],
        );
        if (inserted.rows[0]) {
          await appendEvents(tx, auditKey, audit(inserted.rows[0]), r.openedAt);
          return { opened: true, recovery: inserted.rows[0] };
        }
        const { rows } = await tx.query<AccountRecovery>(`SELECT ${RECOVERY} FROM account_recoveries WHERE account_id = $1 AND ${OPEN}`, [r.accountId]);
        return { opened: false, recovery: rows[0]! };
      }),
    async listOpen(): Promise<AccountRecovery[]> {
      const { rows } = await db.query<AccountRecovery>(`SELECT ${RECOVERY} FROM account_recoveries WHERE ${OPEN} ORDER BY ends_at`);
      return rows;
    },
    cancelOfAccount: (accountId: number, reason: CancelReason, now: number, audit: Audit) => cancelWhere('account_id', accountId, reason, now, audit),
    cancelByToken: (cancelTokenHash: string, now: number, audit: Audit) => cancelWhere('cancel_token_hash', cancelTokenHash, 'cancel_link', now, audit),
    /** Takes the daily notice that was due after `lastNoticeAt`: true for exactly one of concurrent takers. */
    async takeNotice(id: string, lastNoticeAt: number, now: number): Promise<boolean> {
      const { rowCount } = await db.query(`UPDATE account_recoveries SET last_notice_at = $3 WHERE id = $1 AND last_notice_at = $2 AND ${OPEN}`, [
        id,
        lastNoticeAt,
        now,
      ]);
      return rowCount === 1;
    },
    /**
     * The wait is over: in one transaction the request completes and the account's second factors
     * (authenticator app, recovery codes, passkeys) go, audited. Undefined when it was no longer
     * waiting or its wait not over at `now`.
     */
    complete: (id: string, now: number, audit: Audit) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<AccountRecovery>(
          `UPDATE account_recoveries SET completed_at = $2 WHERE id = $1 AND ends_at <= $2 AND ${OPEN} RETURNING ${RECOVERY}`,
          [id, now],
        );
        const done = rows[0];
        if (!done) return undefined;
        for (const table of ['totp_factors', 'recovery_codes', 'passkeys']) await tx.query(`DELETE FROM ${table} WHERE account_id = $1`, [done.accountId]);
        await appendEvents(tx, auditKey, audit(done), now);
        return done;
      }),
  };
}

export type AccountRecoveryStore = ReturnType<typeof accountRecoveryStore>;
