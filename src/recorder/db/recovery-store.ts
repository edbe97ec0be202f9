import type { Database } from 'better-sqlite3';
import type { ResetGrantStore, StoredGrant } from '../../identity/grants/grant-store.js';
import type { MethodLockRecord } from '../../identity/lockout/method-lock.js';
import type { MethodLockStore } from '../../identity/lockout/method-lock-store.js';
import { withAccountId, withUserId, type WithUserId } from './account-id.js';

/** A reset grant (identity/grants/grant-store.ts) as its row. */
export type ResetGrantRecord = WithUserId<StoredGrant>;

export interface RecoverySettingsRecord {
  weakPathsLanOnly: boolean;
  /** How long 5 wrong answers to the security questions block that path. */
  questionBlockMinutes: number;
}

export const DEFAULT_RECOVERY_SETTINGS: RecoverySettingsRecord = { weakPathsLanOnly: true, questionBlockMinutes: 30 };

/** What the recovery paths share in the database: grants, per-method blocks and settings. */
export interface RecoveryStore {
  insertGrant(grant: ResetGrantRecord): void;
  findGrant(tokenHash: string): ResetGrantRecord | undefined;
  /** Marks a live grant used; false if it was used already or has expired (one conditional UPDATE decides races). */
  spendGrant(tokenHash: string, now: number): boolean;
  /** Every unused grant of the account stops working (a new password was set some other way). */
  revokeGrants(userId: number, now: number): void;

  getMethodLock(method: string, scope: string): MethodLockRecord | undefined;
  putMethodLock(method: string, scope: string, lock: MethodLockRecord, now: number): void;
  clearMethodLock(method: string, scope: string): void;

  getSettings(): RecoverySettingsRecord;
  putSettings(settings: RecoverySettingsRecord, now: number): void;
}

interface GrantRow {
  token_hash: string;
  user_id: number;
  method: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export function createRecoveryStore(db: Database): RecoveryStore {
  const q = {
    insertGrant: db.prepare(
      'INSERT INTO recovery_grants (token_hash, user_id, method, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, NULL)',
    ),
    findGrant: db.prepare<[string], GrantRow>('SELECT * FROM recovery_grants WHERE token_hash = ?'),
    spendGrant: db.prepare('UPDATE recovery_grants SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?'),
    revokeGrants: db.prepare('UPDATE recovery_grants SET used_at = ? WHERE user_id = ? AND used_at IS NULL'),
    pruneGrants: db.prepare('DELETE FROM recovery_grants WHERE expires_at < ?'),
    getLock: db.prepare<[string, string], { failures: number; blocked_until: number | null }>(
      'SELECT failures, blocked_until FROM recovery_method_locks WHERE method = ? AND scope = ?',
    ),
    putLock: db.prepare(
      `INSERT INTO recovery_method_locks (method, scope, failures, blocked_until, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (method, scope) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until, updated_at = excluded.updated_at`,
    ),
    clearLock: db.prepare('DELETE FROM recovery_method_locks WHERE method = ? AND scope = ?'),
    getSettings: db.prepare<[], { weak_paths_lan_only: number; question_block_minutes: number }>(
      'SELECT weak_paths_lan_only, question_block_minutes FROM recovery_settings WHERE id = 1',
    ),
    putSettings: db.prepare(
      `INSERT INTO recovery_settings (id, weak_paths_lan_only, question_block_minutes, updated_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET weak_paths_lan_only = excluded.weak_paths_lan_only,
         question_block_minutes = excluded.question_block_minutes, updated_at = excluded.updated_at`,
    ),
  };
  return {
    insertGrant(grant) {
      // Expired grants are only ever looked up to be refused: a day later they can go.
      q.pruneGrants.run(grant.createdAt - 86_400_000);
      q.insertGrant.run(grant.tokenHash, grant.userId, grant.method, grant.createdAt, grant.expiresAt);
    },
    findGrant(tokenHash) {
      const r = q.findGrant.get(tokenHash);
      return r && { tokenHash: r.token_hash, userId: r.user_id, method: r.method, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at };
    },
    spendGrant: (tokenHash, now) => q.spendGrant.run(now, tokenHash, now).changes === 1,
    revokeGrants(userId, now) {
      q.revokeGrants.run(now, userId);
    },
    getMethodLock(method, scope) {
      const r = q.getLock.get(method, scope);
      return r && { failures: r.failures, blockedUntil: r.blocked_until };
    },
    putMethodLock(method, scope, lock, now) {
      q.putLock.run(method, scope, lock.failures, lock.blockedUntil, now);
    },
    clearMethodLock(method, scope) {
      q.clearLock.run(method, scope);
    },
    getSettings() {
      const r = q.getSettings.get();
      return r ? { weakPathsLanOnly: r.weak_paths_lan_only === 1, questionBlockMinutes: r.question_block_minutes } : DEFAULT_RECOVERY_SETTINGS;
    },
    putSettings(settings, now) {
      q.putSettings.run(settings.weakPathsLanOnly ? 1 : 0, settings.questionBlockMinutes, now);
    },
  };
}

/** The grants as the security core's port; each method is one statement, so each is atomic. */
export function resetGrantPort(store: Pick<RecoveryStore, 'insertGrant' | 'findGrant' | 'spendGrant' | 'revokeGrants'>): ResetGrantStore {
  return {
    insert: async (grant) => store.insertGrant(withUserId(grant)),
    find: async (tokenHash) => {
      const found = store.findGrant(tokenHash);
      return found && withAccountId(found);
    },
    spend: async (tokenHash, now) => store.spendGrant(tokenHash, now),
    revokeAll: async (accountId, now) => store.revokeGrants(accountId, now),
  };
}


/**
 * The recovery method locks as the security core's port. The read and the write of `update` run
 * without a pause between them, and one process owns the database: so the pair is atomic.
 */
export function methodLockPort(store: Pick<RecoveryStore, 'getMethodLock' | 'putMethodLock' | 'clearMethodLock'>): MethodLockStore {
  return {
    get: async (method, scope) => store.getMethodLock(method, scope),
    update: async (method, scope, next, now) => {
      const lock = next(store.getMethodLock(method, scope));
      store.putMethodLock(method, scope, lock, now);
      return lock;
    },
    clear: async (method, scope) => store.clearMethodLock(method, scope),
  };
}
