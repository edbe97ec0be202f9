import type { Queryable } from './database.js';

/** One entry of an account's security events, as the owner reads it. */
export interface AccountAuditRow {
  seq: number;
  at: number;
  type: string;
  outcome: string;
  sourceIp: string | null;
  details: string;
}

/**
 * The account's own security events, newest first, before `beforeSeq` (the page after the last one
 * read): those it did, and those done to it (the core names it `user:<id>`, sign-up `account:<id>`).
 * Events that concern a source address only (`source:<ip>`) are nobody's account's.
 */
export async function accountAuditPage(db: Queryable, accountId: number, beforeSeq: number, limit: number): Promise<AccountAuditRow[]> {
  const { rows } = await db.query<AccountAuditRow>(
    `SELECT seq, at, type, outcome, source_ip AS "sourceIp", details FROM audit_log
     WHERE (actor_user_id = $1 OR target = ANY($2::text[])) AND seq < $3
     ORDER BY seq DESC LIMIT $4`,
    [accountId, [`user:${accountId}`, `account:${accountId}`], beforeSeq, limit],
  );
  return rows;
}
