import type { Database } from 'better-sqlite3';
import type { ResetCompletionStore } from '../../identity/grants/reset-completion-store.js';
import { accountAttemptKey } from '../../identity/lockout/attempt-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { RecoveryStore } from './recovery-store.js';
import type { RecorderStore } from './store.js';
import { factorRemover } from './two-factor-store.js';

/** What a reset writes to besides the login attempts and second factors: the accounts and sessions, the grants, the audit log. */
export interface ResetTables {
  store: Pick<RecorderStore, 'setRecoveredPassword'>;
  recovery: Pick<RecoveryStore, 'findGrant' | 'spendGrant' | 'revokeGrants'>;
  /** Links each event into the chain (linkEntry) inside the transaction it is called in. */
  audit: Pick<AuditLog, 'append'>;
}

/**
 * The completion of a reset as the security core's port: one SQLite transaction over every table
 * it touches, so a throw anywhere (an event the log cannot store) rolls all of it back.
 */
export function resetCompletionPort(db: Database, tables: ResetTables): ResetCompletionStore {
  const forgetLoginAttempts = db.prepare('DELETE FROM login_attempts WHERE account_key = ?');
  const removeAllFactors = factorRemover(db);
  const complete = db.transaction((...[reset, audit]: Parameters<ResetCompletionStore['complete']>) => {
    const { tokenHash, accountId, passwordHash, removeSecondFactors, now } = reset;
    if (tables.recovery.findGrant(tokenHash)?.userId !== accountId || !tables.recovery.spendGrant(tokenHash, now)) return undefined;
    const revokedSessions = tables.store.setRecoveredPassword(accountId, passwordHash, now);
    tables.recovery.revokeGrants(accountId, now);
    forgetLoginAttempts.run(accountAttemptKey(accountId));
    if (removeSecondFactors) removeAllFactors(accountId);
    const done = { revokedSessions, secondFactorsRemoved: removeSecondFactors };
    for (const event of audit(done)) tables.audit.append(event);
    return done;
  });
  return { complete: async (reset, audit) => complete(reset, audit) };
}
