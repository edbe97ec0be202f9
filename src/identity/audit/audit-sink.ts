import { chainVerifier, linkEntry, type ChainedEntry, type ChainHead, type ChainProblem, type UnlinkedFields } from './chain.js';

/**
 * Where a part keeps its audit log (a port: the recorder's adapter is SQLite, the cloud's will be
 * PostgreSQL). The core computes every hash; the store only keeps entries and the chain's head,
 * and makes "read the head, store the entry linked to it, move the head" one atomic operation.
 */
export interface AuditSink {
  /**
   * Calls `link` with the current head and stores the entry it returns as the new head, in one
   * atomic step: of any number of concurrent appends each links to a different head, so the chain
   * stays one line. `link` is pure and synchronous.
   */
  append(link: (head: ChainHead | undefined) => ChainedEntry): Promise<ChainedEntry>;
  /** Entries numbered above `afterSeq`, oldest first, at most `limit` of them. */
  readAfter(afterSeq: number, limit: number): Promise<ChainedEntry[]>;
  head(): Promise<ChainHead | undefined>;
}

/** Appends an event's fields to the chain kept in `sink`, hashed under `key`. */
export function appendToChain(sink: AuditSink, key: Buffer, fields: UnlinkedFields): Promise<ChainedEntry> {
  return sink.append((head) => linkEntry(key, head, fields));
}

/**
 * Verifies the chain kept in `sink`, page by page. It reads the head first: an entry appended
 * while it runs shows as a head mismatch, so run it on a quiet log (or again).
 */
export async function verifyAuditSink(key: Buffer, sink: AuditSink, pageSize = 500): Promise<{ checked: number; problems: ChainProblem[] }> {
  const head = await sink.head();
  const verifier = chainVerifier(key);
  for (let afterSeq = 0; ; ) {
    const page = await sink.readAfter(afterSeq, pageSize);
    if (page.length === 0) break;
    for (const entry of page) verifier.add(entry);
    afterSeq = page[page.length - 1]!.seq;
  }
  return verifier.result(head);
}
