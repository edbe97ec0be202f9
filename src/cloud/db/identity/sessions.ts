import type { SessionStore, StoredSession } from '../../../identity/sessions/session-store.js';
import type { SecurityEvent } from '../../../identity/audit/security-event.js';
import type { CloudDatabase, Queryable } from '../database.js';
import { appendEvents } from './audit-sink.js';

// Columns named as the core names the fields, so a row is a session as it is.
const SESSION = `id, token_hash AS "tokenHash", account_id AS "accountId", created_at AS "createdAt", created_ip AS "createdIp",
  user_agent AS "userAgent", last_seen_at AS "lastSeenAt", last_seen_ip AS "lastSeenIp", revoked_at AS "revokedAt",
  revoked_reason AS "revokedReason"`;

async function insertSession(db: Queryable, s: StoredSession): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, token_hash, account_id, created_at, created_ip, user_agent, last_seen_at, last_seen_ip, revoked_at, revoked_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [s.id, s.tokenHash, s.accountId, s.createdAt, s.createdIp, s.userAgent, s.lastSeenAt, s.lastSeenIp, s.revokedAt, s.revokedReason],
  );
}

/** Login sessions in PostgreSQL. Ending one is a conditional UPDATE: of concurrent ones, one ends it and its reason stays. */
export function sessionStore(db: CloudDatabase, auditKey: Buffer): SessionStore {
  return {
    create: (s, audit: readonly SecurityEvent[] = []) =>
      db.transaction(async (tx) => {
        await insertSession(tx, s);
        await appendEvents(tx, auditKey, audit, s.createdAt);
      }),
    async findByTokenHash(tokenHash) {
      const { rows } = await db.query<StoredSession>(`SELECT ${SESSION} FROM sessions WHERE token_hash = $1`, [tokenHash]);
      return rows[0];
    },
    async touch(id, now, ip) {
      await db.query('UPDATE sessions SET last_seen_at = $2, last_seen_ip = $3 WHERE id = $1', [id, now, ip]);
    },
    revoke: (id, reason, now, audit: readonly SecurityEvent[] = []) =>
      db.transaction(async (tx) => {
        const { rowCount } = await tx.query('UPDATE sessions SET revoked_at = $3, revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL', [
          id,
          reason,
          now,
        ]);
        // Only the call that ended it audits: the others found it ended already.
        if (rowCount === 1) await appendEvents(tx, auditKey, audit, now);
        return rowCount === 1;
      }),
    async revokeAllOfAccount(accountId, reason, now, exceptId) {
      const { rowCount } = await db.query(
        `UPDATE sessions SET revoked_at = $3, revoked_reason = $2
         WHERE account_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $4`,
        [accountId, reason, now, exceptId],
      );
      return rowCount;
    },
    async listLive(accountId) {
      const { rows } = await db.query<StoredSession>(
        `SELECT ${SESSION} FROM sessions WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id`,
        [accountId],
      );
      return rows;
    },
  };
}
