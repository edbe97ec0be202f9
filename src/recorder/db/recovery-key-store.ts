import type { Database } from 'better-sqlite3';

export interface RecoveryKeyRecord {
  userId: number;
  keyHash: string;
  createdAt: number;
  usedAt: number | null;
}

export interface RecoveryKeyStore {
  get(userId: number): RecoveryKeyRecord | undefined;
  /** A new key for the account; the old one, used or not, stops working. */
  replace(record: Omit<RecoveryKeyRecord, 'usedAt'>): void;
  /** Marks the key used if it is this one and still unused; one conditional UPDATE decides races. */
  spend(userId: number, keyHash: string, now: number): boolean;
  /** Whether any admin account has an unused key. */
  anyAdminHasUnusedKey(): boolean;
}

export function createRecoveryKeyStore(db: Database): RecoveryKeyStore {
  const q = {
    get: db.prepare<[number], { user_id: number; key_hash: string; created_at: number; used_at: number | null }>(
      'SELECT user_id, key_hash, created_at, used_at FROM recovery_keys WHERE user_id = ?',
    ),
    replace: db.prepare(
      `INSERT INTO recovery_keys (user_id, key_hash, created_at, used_at) VALUES (?, ?, ?, NULL)
       ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at, used_at = NULL`,
    ),
    spend: db.prepare('UPDATE recovery_keys SET used_at = ? WHERE user_id = ? AND key_hash = ? AND used_at IS NULL'),
    anyAdmin: db.prepare<[], { found: number }>(
      "SELECT 1 AS found FROM recovery_keys k JOIN users u ON u.id = k.user_id WHERE u.role = 'admin' AND k.used_at IS NULL LIMIT 1",
    ),
  };
  return {
    get(userId) {
      const r = q.get.get(userId);
      return r && { userId: r.user_id, keyHash: r.key_hash, createdAt: r.created_at, usedAt: r.used_at };
    },
    replace(record) {
      q.replace.run(record.userId, record.keyHash, record.createdAt);
    },
    spend: (userId, keyHash, now) => q.spend.run(now, userId, keyHash).changes === 1,
    anyAdminHasUnusedKey: () => q.anyAdmin.get() !== undefined,
  };
}
