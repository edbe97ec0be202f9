import type { Database } from 'better-sqlite3';

export interface SupportRequestRecord {
  /** SHA-256 of the request's nonce. */
  nonceHash: string;
  /** SHA-256 of the request's canonical bytes: the response must name this one. */
  requestHash: string;
  username: string;
  createdAt: number;
  usedAt: number | null;
}

/** The reset requests this recorder exported for vendor support, and which of them were used. */
export interface VendorSupportStore {
  insertRequest(request: SupportRequestRecord): void;
  findRequest(nonceHash: string): SupportRequestRecord | undefined;
  /** Marks an unused request used; false if it was used already (one conditional UPDATE decides races). */
  markRequestUsed(nonceHash: string, now: number): boolean;
}

interface RequestRow {
  nonce_hash: string;
  request_hash: string;
  username: string;
  created_at: number;
  used_at: number | null;
}

/** Requests this old are refused as expired anyway; their rows can go. */
const KEEP_REQUESTS_MS = 7 * 86_400_000;

export function createVendorSupportStore(db: Database): VendorSupportStore {
  const q = {
    insert: db.prepare('INSERT INTO support_reset_requests (nonce_hash, request_hash, username, created_at, used_at) VALUES (?, ?, ?, ?, NULL)'),
    find: db.prepare<[string], RequestRow>('SELECT * FROM support_reset_requests WHERE nonce_hash = ?'),
    markUsed: db.prepare('UPDATE support_reset_requests SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL'),
    prune: db.prepare('DELETE FROM support_reset_requests WHERE created_at < ?'),
  };
  return {
    insertRequest(request) {
      q.prune.run(request.createdAt - KEEP_REQUESTS_MS);
      q.insert.run(request.nonceHash, request.requestHash, request.username, request.createdAt);
    },
    findRequest(nonceHash) {
      const r = q.find.get(nonceHash);
      return r && { nonceHash: r.nonce_hash, requestHash: r.request_hash, username: r.username, createdAt: r.created_at, usedAt: r.used_at };
    },
    markRequestUsed: (nonceHash, now) => q.markUsed.run(now, nonceHash).changes === 1,
  };
}
