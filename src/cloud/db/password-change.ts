import type { SecurityEvent } from '../../identity/audit/security-event.js';
import type { CloudDatabase } from './database.js';
import { appendEvents } from './identity/audit-sink.js';

/**
 * A new password in one transaction: the hash replaced, every other session of the account ended
 * (`keepSessionId`, the one that asked, stays), and the audit entry appended; all or nothing, so no
 * session outlives the old password. Answers how many sessions ended.
 */
export function storePasswordChange(
  db: CloudDatabase,
  auditKey: Buffer,
  change: { accountId: number; passwordHash: string; keepSessionId: string; now: number },
  audit: readonly SecurityEvent[],
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [change.accountId, change.passwordHash]);
    const { rowCount } = await tx.query(
      `UPDATE sessions SET revoked_at = $3, revoked_reason = 'password_changed'
       WHERE account_id = $1 AND revoked_at IS NULL AND id <> $2`,
      [change.accountId, change.keepSessionId, change.now],
    );
    await appendEvents(tx, auditKey, audit, change.now);
    return rowCount;
  });
}
