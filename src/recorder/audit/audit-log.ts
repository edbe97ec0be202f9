import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock.js';
import { linkEntry, verifyChain, type AuditOutcome, type ChainedEntry, type ChainProblem } from '../../identity/audit/chain.js';
import { auditFields, type SecurityEvent } from '../../identity/audit/security-event.js';
import { createAuditChainStore, entryFromRow, type AuditRow } from '../../sqlite/audit-tables.js';
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
        .prepare<Record<string, string | number>, AuditRow>(`SELECT * FROM audit_log ${sql} ORDER BY seq DESC LIMIT ${limit}`)
        .all(params)
        .map(entryFromRow);
    },
    *iterate(filter) {
      const { sql, params } = whereClause(filter);
      for (const row of db.prepare<Record<string, string | number>, AuditRow>(`SELECT * FROM audit_log ${sql} ORDER BY seq`).iterate(params)) {
        yield entryFromRow(row);
      }
    },
    verify() {
      const rows = db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate();
      return verifyChain(key, (function* () {
        for (const row of rows) yield entryFromRow(row);
      })(), chain.head());
    },
  };
}
