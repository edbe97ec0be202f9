import type { Database } from 'better-sqlite3';
import type { OfflineChallenge } from '../../identity/grants/offline-code.js';

export interface OfflineChallengeRecord {
  nonce: string;
  createdAt: number;
  expiresAt: number;
  failures: number;
}

export type CloudResetVia = 'online' | 'offline';

export interface PendingCloudResetRecord {
  tokenHash: string;
  userId: number;
  via: CloudResetVia;
  requestedAt: number;
  effectiveAt: number;
}

/**
 * The cloud reset's state on the recorder: the offline challenges and the resets waiting for the
 * admin's waiting period. Each change is one conditional statement, so two requests racing for one
 * challenge or one pending reset cannot both win.
 */
export interface CloudResetStore {
  /** The challenge still open at `now` (not closed, not expired), if any. */
  openChallenge(now: number): OfflineChallengeRecord | undefined;
  insertChallenge(challenge: Omit<OfflineChallenge, 'serial'>, now: number): void;
  /** Counts one wrong code against an open challenge, closing it at `limit`; the count after it, or null if it was not open. */
  countWrongCode(nonce: string, limit: number, now: number): number | null;
  /** Closes an open challenge for a right code; false when it was closed already (the code was used, or a race lost). */
  closeUsed(nonce: string, now: number): boolean;

  insertPending(pending: PendingCloudResetRecord): void;
  /** The pending resets neither cancelled nor claimed, oldest first. */
  listPending(): PendingCloudResetRecord[];
  /** Claims a pending reset whose wait is over; false when unknown, cancelled, claimed or not yet due. */
  claimPending(tokenHash: string, now: number): PendingCloudResetRecord | undefined;
  /** Cancels every pending reset; how many there were. */
  cancelAllPending(now: number): number;

  /** The admin's waiting period for cloud resets, in hours; 0 is none. */
  getWaitHours(): number;
  putWaitHours(hours: number, now: number): void;
}

interface ChallengeRow {
  nonce: string;
  created_at: number;
  expires_at: number;
  failures: number;
}
interface PendingRow {
  token_hash: string;
  user_id: number;
  via: CloudResetVia;
  requested_at: number;
  effective_at: number;
}

/** Closed or expired challenges are kept a day (the audit log keeps what happened), then go. */
const KEEP_CHALLENGES_MS = 86_400_000;

const pendingRecord = (r: PendingRow): PendingCloudResetRecord => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  via: r.via,
  requestedAt: r.requested_at,
  effectiveAt: r.effective_at,
});

export function createCloudResetStore(db: Database): CloudResetStore {
  const q = {
    open: db.prepare<[number], ChallengeRow>(
      'SELECT * FROM cloud_offline_challenges WHERE closed_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 1',
    ),
    prune: db.prepare('DELETE FROM cloud_offline_challenges WHERE expires_at < ?'),
    insert: db.prepare('INSERT INTO cloud_offline_challenges (nonce, created_at, expires_at) VALUES (?, ?, ?)'),
    wrong: db.prepare<[number, number, number, string, number]>(
      `UPDATE cloud_offline_challenges SET failures = failures + 1,
         closed_at = CASE WHEN failures + 1 >= ? THEN ? END,
         closed_reason = CASE WHEN failures + 1 >= ? THEN 'too_many_failures' END
       WHERE nonce = ? AND closed_at IS NULL AND expires_at > ? RETURNING failures`,
    ),
    used: db.prepare(
      "UPDATE cloud_offline_challenges SET closed_at = ?, closed_reason = 'used' WHERE nonce = ? AND closed_at IS NULL AND expires_at > ?",
    ),
    insertPending: db.prepare(
      `INSERT INTO cloud_pending_resets (token_hash, user_id, via, requested_at, effective_at)
       VALUES (@tokenHash, @userId, @via, @requestedAt, @effectiveAt)`,
    ),
    listPending: db.prepare<[], PendingRow>(
      'SELECT * FROM cloud_pending_resets WHERE cancelled_at IS NULL AND claimed_at IS NULL ORDER BY requested_at',
    ),
    claim: db.prepare<[number, string, number], PendingRow>(
      `UPDATE cloud_pending_resets SET claimed_at = ?
       WHERE token_hash = ? AND cancelled_at IS NULL AND claimed_at IS NULL AND effective_at <= ? RETURNING *`,
    ),
    cancelAll: db.prepare('UPDATE cloud_pending_resets SET cancelled_at = ? WHERE cancelled_at IS NULL AND claimed_at IS NULL'),
    waitHours: db.prepare<[], { wait_hours: number }>('SELECT wait_hours FROM cloud_reset_settings WHERE id = 1'),
    putWaitHours: db.prepare(
      `INSERT INTO cloud_reset_settings (id, wait_hours, updated_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET wait_hours = excluded.wait_hours, updated_at = excluded.updated_at`,
    ),
  };
  return {
    openChallenge(now) {
      const r = q.open.get(now);
      return r && { nonce: r.nonce, createdAt: r.created_at, expiresAt: r.expires_at, failures: r.failures };
    },
    insertChallenge(challenge, now) {
      q.prune.run(now - KEEP_CHALLENGES_MS);
      q.insert.run(challenge.nonce, now, challenge.expiresAt);
    },
    countWrongCode(nonce, limit, now) {
      const r = q.wrong.get(limit, now, limit, nonce, now) as { failures: number } | undefined;
      return r ? r.failures : null;
    },
    closeUsed: (nonce, now) => q.used.run(now, nonce, now).changes === 1,
    insertPending(pending) {
      q.insertPending.run(pending);
    },
    listPending: () => q.listPending.all().map(pendingRecord),
    claimPending(tokenHash, now) {
      const r = q.claim.get(now, tokenHash, now);
      return r && pendingRecord(r);
    },
    cancelAllPending: (now) => q.cancelAll.run(now).changes,
    getWaitHours: () => q.waitHours.get()?.wait_hours ?? 0,
    putWaitHours(hours, now) {
      q.putWaitHours.run(hours, now);
    },
  };
}
