import type { AuditSink } from '../../../identity/audit/audit-sink.js';
import { linkEntry, type ChainedEntry, type ChainHead } from '../../../identity/audit/chain.js';
import { auditFields, type SecurityEvent } from '../../../identity/audit/security-event.js';
import type { CloudDatabase, Queryable } from '../database.js';
import { lockKeyUntilCommit } from '../key-lock.js';

// Columns named as the core names the fields, so a row is an entry as it is.
const ENTRY = `seq, at, type, outcome, actor_user_id AS "actorUserId", actor_username AS "actorUsername", source_ip AS "sourceIp",
  target, details, prev_hash AS "prevHash", hash`;

async function head(db: Queryable): Promise<ChainHead | undefined> {
  const { rows } = await db.query<ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1');
  return rows[0];
}

/**
 * Links an entry to the chain's head and stores it as the new head, inside the caller's transaction:
 * one appender at a time, across instances (an empty log has no head row to lock).
 */
async function appendLinked(tx: Queryable, link: (head: ChainHead | undefined) => ChainedEntry): Promise<ChainedEntry> {
  await lockKeyUntilCommit(tx, 'audit_head');
  const e = link(await head(tx));
  await tx.query(
    `INSERT INTO audit_log (seq, at, type, outcome, actor_user_id, actor_username, source_ip, target, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [e.seq, e.at, e.type, e.outcome, e.actorUserId, e.actorUsername, e.sourceIp, e.target, e.details, e.prevHash, e.hash],
  );
  await tx.query('INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash', [
    e.seq,
    e.hash,
  ]);
  return e;
}

/**
 * Appends security events, each linked into the chain under `key`, inside the caller's transaction:
 * a port operation that audits what it does commits both or neither.
 */
export async function appendEvents(tx: Queryable, key: Buffer, events: readonly SecurityEvent<string>[], at: number): Promise<void> {
  for (const event of events) await appendLinked(tx, (current) => linkEntry(key, current, auditFields(event, at)));
}

/** The audit log in PostgreSQL: one hash chain for the whole cloud, whichever instance appends. */
export function auditSinkStore(db: CloudDatabase): AuditSink {
  return {
    append: (link) => db.transaction((tx) => appendLinked(tx, link)),
    async readAfter(afterSeq, limit) {
      const { rows } = await db.query<ChainedEntry>(`SELECT ${ENTRY} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
      return rows;
    },
    head: () => head(db),
  };
}
