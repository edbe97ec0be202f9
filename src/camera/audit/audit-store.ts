import type { AuditSink } from '../../identity/audit/audit-sink.js';
import type { AuditOutcome, ChainedEntry, ChainHead } from '../../identity/audit/chain.js';
import type { CameraDatabase } from '../device/camera-db.js';

interface Row {
  seq: number;
  at: number;
  type: string;
  outcome: AuditOutcome;
  actor_user_id: number | null;
  actor_username: string | null;
  source_ip: string | null;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const fromRow = (row: Row): ChainedEntry => ({
  seq: row.seq,
  at: row.at,
  type: row.type,
  outcome: row.outcome,
  actorUserId: row.actor_user_id,
  actorUsername: row.actor_username,
  sourceIp: row.source_ip,
  target: row.target,
  details: row.details,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** The camera's audit log as the security core's port: "link to the head, store, move the head" in one transaction. */
export function auditSinkPort(db: CameraDatabase): AuditSink {
  const q = {
    head: db.prepare<[], ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1'),
    insert: db.prepare(
      `INSERT INTO audit_log (seq, at, type, outcome, actor_user_id, actor_username, source_ip, target, details, prev_hash, hash)
       VALUES (@seq, @at, @type, @outcome, @actorUserId, @actorUsername, @sourceIp, @target, @details, @prevHash, @hash)`,
    ),
    moveHead: db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = @seq, hash = @hash'),
    after: db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?'),
  };
  const append = db.transaction((link: (head: ChainHead | undefined) => ChainedEntry) => {
    const entry = link(q.head.get());
    q.insert.run(entry);
    q.moveHead.run({ seq: entry.seq, hash: entry.hash });
    return entry;
  });
  return {
    append: async (link) => append(link),
    readAfter: async (afterSeq, limit) => q.after.all(afterSeq, limit).map(fromRow),
    head: async () => q.head.get(),
  };
}
