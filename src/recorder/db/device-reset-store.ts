import type { Database } from 'better-sqlite3';

/**
 * What "restore defaults" resets, in one place. Kept: accounts (users, their grants, passwords,
 * 2FA and recovery set-up), sessions, the login allow-list (the device's network settings), footage
 * and the audit log. A table added later keeps its rows on a restore unless it is named here.
 */
const RESTORE_DEFAULTS_SQL = /* sql */ `
-- Outgoing mail (SMTP server, account and its sealed password): back to "not configured".
DELETE FROM mail_settings;
-- The password-age reminder goes back to "none"; the allow-list in the same row stays.
UPDATE login_rules SET max_password_age_days = NULL;
-- The admin's "everyone must use 2FA" policy: back to not required (each user's own 2FA stays).
DELETE FROM two_factor_policy;
-- Recovery settings: the weak paths answer the LAN only again.
DELETE FROM recovery_settings;
-- Lockouts and recovery-method blocks start afresh.
DELETE FROM login_attempts;
DELETE FROM recovery_method_locks;
`;

/**
 * A factory reset keeps only the device's physical identity (serial, model, label code hash,
 * manufacture date). Everything else is erased by listing the database's own tables, so a table
 * added by a later migration is erased too without anyone remembering to name it here.
 */
const KEPT_BY_FACTORY_RESET: ReadonlySet<string> = new Set(['device']);

/** The SQL behind restore defaults and factory reset; the decisions live in recovery/. */
export interface DeviceResetStore {
  restoreDefaults(): void;
  /** Rows in the audit log now (what a factory reset is about to end). */
  countAuditEntries(): number;
  /**
   * Deletes every row of every table but the device's; inside the caller's transaction. Returns
   * the tables it emptied.
   */
  eraseAllButDeviceIdentity(): string[];
  /** Back to inactive, with a new server secret (what it keyed, sessions and device cookies, is gone). */
  resetDeviceToInactive(serverSecret: Buffer): void;
  /**
   * Runs `erase` with SQLite's secure_delete on (deleted content is overwritten, not just
   * unlinked), then rebuilds the file (VACUUM) and empties the write-ahead log, so no erased byte
   * is left in vigil.db, vigil.db-wal or vigil.db-shm. Returns false if the log could not be
   * emptied (another connection was reading).
   */
  eraseLeavingNoTrace<T>(erase: () => T): { result: T; walEmptied: boolean };
}

export function createDeviceResetStore(db: Database): DeviceResetStore {
  const tables = db.prepare<[], { name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
  );
  const countAudit = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM audit_log');
  const resetDevice = db.prepare('UPDATE device SET activated_at = NULL, server_secret = ? WHERE id = 1');

  return {
    restoreDefaults() {
      db.exec(RESTORE_DEFAULTS_SQL);
    },
    countAuditEntries: () => countAudit.get()!.n,
    eraseAllButDeviceIdentity() {
      // Foreign keys are checked at commit, when every referencing row is gone too: the order of
      // the deletes does not matter.
      db.pragma('defer_foreign_keys = ON');
      const erased = tables
        .all()
        .map((t) => t.name)
        .filter((name) => !KEPT_BY_FACTORY_RESET.has(name));
      for (const name of erased) db.exec(`DELETE FROM "${name.replace(/"/g, '""')}"`);
      return erased;
    },
    resetDeviceToInactive(serverSecret) {
      resetDevice.run(serverSecret);
    },
    eraseLeavingNoTrace(erase) {
      const before = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      try {
        const result = erase();
        db.exec('VACUUM');
        const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        return { result, walEmptied: checkpoint?.busy === 0 };
      } finally {
        db.pragma(`secure_delete = ${before}`);
      }
    },
  };
}
