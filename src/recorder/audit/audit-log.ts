import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock.js';
import type { AuditSink } from '../../identity/audit/audit-sink.js';
import { linkEntry, verifyChain, type AuditOutcome, type ChainedEntry, type ChainHead, type ChainProblem } from '../../identity/audit/chain.js';
import { auditFields, type SecurityEvent } from '../../identity/audit/security-event.js';
import type { AuditEventType } from './events.js';

export type AuditEvent = SecurityEvent<AuditEventType>;

export type AuditEntry = ChainedEntry;

/** Told about each committed entry; may be async. What it does can never undo or fail the append. */
export type AuditListener = (entry: AuditEntry) => void | Promise<void>;

export interface AuditFilter {
  from?: number;
  to?: number;
  type?: string;
  username?: string;
  outcome?: AuditOutcome;
  /** Page backwards from this sequence number (exclusive). */
  beforeSeq?: number;
  limit?: number;
}

/** The append-only, hash-chained log of security events. Entries are never updated or deleted. */
export interface AuditLog {
  append(event: AuditEvent): AuditEntry;
  /** Newest first. */
  query(filter: AuditFilter): AuditEntry[];
  /** Oldest first, every matching entry, without loading them all at once. */
  iterate(filter: Omit<AuditFilter, 'limit' | 'beforeSeq'>): IterableIterator<AuditEntry>;
  verify(): { checked: number; problems: ChainProblem[] };
  /**
   * Calls `listener` with every entry once it is committed, off the appending request's path (on a
   * later turn of the event loop); an entry whose transaction rolled back is never announced.
   * Returns the function that unsubscribes.
   */
  subscribe(listener: AuditListener): () => void;
  /** Resolves when every listener call scheduled so far has finished: tests wait on this, never on a timer. */
  settled(): Promise<void>;
}

export interface AuditLogOptions {
  /** A listener threw or rejected: reported here, and the log and the request carry on. */
  onListenerError?: (error: unknown, entry: AuditEntry) => void;
}

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

const toEntry = (r: Row): AuditEntry => ({
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

function whereClause(filter: AuditFilter): { sql: string; params: Record<string, string | number> } {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.from !== undefined) (conditions.push('at >= @from'), (params.from = filter.from));
  if (filter.to !== undefined) (conditions.push('at < @to'), (params.to = filter.to));
  if (filter.type !== undefined) (conditions.push('type = @type'), (params.type = filter.type));
  if (filter.username !== undefined) (conditions.push('actor_username = @username COLLATE NOCASE'), (params.username = filter.username));
  if (filter.outcome !== undefined) (conditions.push('outcome = @outcome'), (params.outcome = filter.outcome));
  if (filter.beforeSeq !== undefined) (conditions.push('seq < @beforeSeq'), (params.beforeSeq = filter.beforeSeq));
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** The audit tables: entries and the chain's head, nothing else. */
export interface AuditChainStore {
  /** Reads the head, stores the entry `link` makes of it and moves the head, in one transaction (nested in the caller's, if any). */
  append(link: (head: ChainHead | undefined) => AuditEntry): AuditEntry;
  head(): ChainHead | undefined;
  readAfter(afterSeq: number, limit: number): AuditEntry[];
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
  const after = db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');

  // Reading the head and writing the entry in one transaction keeps the chain linear even when
  // the caller's own transaction is what we are nested in.
  const append = db.transaction((link: (head: ChainHead | undefined) => AuditEntry): AuditEntry => {
    const entry = link(head.get());
    insert.run(entry);
    moveHead.run({ seq: entry.seq, hash: entry.hash });
    return entry;
  });

  return {
    append: (link) => append(link),
    head: () => head.get(),
    readAfter: (afterSeq, limit) => after.all(afterSeq, limit).map(toEntry),
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

export function createAuditLog(db: Database, key: Buffer, clock: Clock, options: AuditLogOptions = {}): AuditLog {
  const chain = createAuditChainStore(db);
  // What is returned and announced is exactly what is stored and hashed (linkEntry stores text as the database keeps it).
  const append = (event: AuditEvent): AuditEntry =>
    chain.append((head) =>
      linkEntry(key, head, auditFields(event, clock.now())),
    );

  const listeners = new Set<AuditListener>();
  const pending = new Set<Promise<void>>();
  const committedHash = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');

  async function announce(entry: AuditEntry): Promise<void> {
    // Runs after the appending transaction has ended, one way or the other.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (committedHash.get(entry.seq)?.hash !== entry.hash) return;
    await Promise.all(
      [...listeners].map((listener) =>
        Promise.resolve()
          .then(() => listener(entry))
          .catch((error: unknown) => options.onListenerError?.(error, entry)),
      ),
    );
  }

  return {
    append(event) {
      const entry = append(event);
      if (listeners.size > 0) {
        const delivery = announce(entry)
          .catch((error: unknown) => options.onListenerError?.(error, entry)) // e.g. the database closed meanwhile
          .finally(() => pending.delete(delivery));
        pending.add(delivery);
      }
      return entry;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    query(filter) {
      const { sql, params } = whereClause(filter);
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      return db
        .prepare<Record<string, string | number>, Row>(`SELECT * FROM audit_log ${sql} ORDER BY seq DESC LIMIT ${limit}`)
        .all(params)
        .map(toEntry);
    },
    *iterate(filter) {
      const { sql, params } = whereClause(filter);
      for (const row of db.prepare<Record<string, string | number>, Row>(`SELECT * FROM audit_log ${sql} ORDER BY seq`).iterate(params)) {
        yield toEntry(row);
      }
    },
    verify() {
      const rows = db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY seq').iterate();
      return verifyChain(key, (function* () {
        for (const row of rows) yield toEntry(row);
      })(), chain.head());
    },
  };
}
