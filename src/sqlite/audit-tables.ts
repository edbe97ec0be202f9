import type { Database } from 'better-sqlite3';
import type { AuditSink } from '../identity/audit/audit-sink.js';
import type { AuditOutcome, ChainedEntry, ChainHead } from '../identity/audit/chain.js';

/**
 * The audit log's two SQLite tables (`audit_log` and the chain's `audit_head`), as every part
 * that keeps its data in SQLite lays them out: the recorder and the camera.
 */

/** A row of `audit_log`. */
export interface AuditRow {
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

export const entryFromRow = (r: AuditRow): ChainedEntry => ({
  seq: r.seq,
  at: r.at,
  type: r.type,
  outcome: r.outcome,
  actorUserId: r.actor_user_id,
  actorUsername: r.actor_username,
  sourceIp: r.source_ip,
  target: r.target,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The audit tables: entries and the chain's head, nothing else. */
export interface AuditChainStore {
  /** Reads the head, stores the entry `link` makes of it and moves the head, in one transaction (nested in the caller's, if any). */
  append(link: (head: ChainHead | undefined) => ChainedEntry): ChainedEntry;
  head(): ChainHead | undefined;
  readAfter(afterSeq: number, limit: number): ChainedEntry[];
}

export function createAuditChainStore(db: Database): AuditChainStore {
  const head = db.prepare<[], ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1');
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at, type, outcome, actor_user_id, actor_username, source_ip, target, details, prev_hash, hash)
     VALUES (@seq, @at, @type, @outcome, @actorUserId, @actorUsername, @sourceIp, @target, @details, @prevHash, @hash)`,
  );
  const moveHead = db.prepare(
    'INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash) ON CONFLICT (id) DO UPDATE SET seq = @seq, hash = @hash',
  );
  const after = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');

  // Reading the head and writing the entry in one transaction keeps the chain linear even when
  // the caller's own transaction is what we are nested in.
  const append = db.transaction((link: (head: ChainHead | undefined) => ChainedEntry): ChainedEntry => {
    const entry = link(head.get());
    insert.run(entry);
    moveHead.run({ seq: entry.seq, hash: entry.hash });
    return entry;
  });

  return {
    append: (link) => append(link),
    head: () => head.get(),
    readAfter: (afterSeq, limit) => after.all(afterSeq, limit).map(entryFromRow),
  };
}

/** The audit tables as the security core's port; each method is one statement or one transaction. */
export function auditSinkPort(chain: AuditChainStore): AuditSink {
  return {
    append: async (link) => chain.append(link),
    readAfter: async (afterSeq, limit) => chain.readAfter(afterSeq, limit),
    head: async () => chain.head(),
  };
}
