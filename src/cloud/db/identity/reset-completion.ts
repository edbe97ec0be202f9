import type { ResetCompletionStore } from '../../../identity/grants/reset-completion-store.js';
import { accountAttemptKey } from '../../../identity/lockout/attempt-store.js';
import type { CloudDatabase } from '../database.js';
import { appendEvents } from './audit-sink.js';

/**
 * A password reset in PostgreSQL: one transaction, whose first statement spends the grant (a
 * conditional UPDATE: of concurrent completions, the row lock lets one through, and the others
 * change nothing).
 */
export function resetCompletionStore(db: CloudDatabase, auditKey: Buffer): ResetCompletionStore {
  return {
    complete: (reset, audit) =>
      db.transaction(async (tx) => {
        const spent = await tx.query(
          'UPDATE reset_grants SET used_at = $3 WHERE token_hash = $1 AND account_id = $2 AND used_at IS NULL AND expires_at > $3',
          [reset.tokenHash, reset.accountId, reset.now],
        );
        if (spent.rowCount !== 1) return undefined;
        await tx.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [reset.accountId, reset.passwordHash]);
        const ended = await tx.query(
          "UPDATE sessions SET revoked_at = $2, revoked_reason = 'password_reset' WHERE account_id = $1 AND revoked_at IS NULL",
          [reset.accountId, reset.now],
        );
        await tx.query('UPDATE reset_grants SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL', [reset.accountId, reset.now]);
        await tx.query('DELETE FROM login_attempts WHERE account_key = $1', [accountAttemptKey(reset.accountId)]);
        if (reset.removeSecondFactors) {
          for (const table of ['totp_factors', 'recovery_codes', 'passkeys']) await tx.query(`DELETE FROM ${table} WHERE account_id = $1`, [reset.accountId]);
        }
        const done = { revokedSessions: ended.rowCount, secondFactorsRemoved: reset.removeSecondFactors };
        await appendEvents(tx, auditKey, audit(done), reset.now);
        return done;
      }),
  };
}
