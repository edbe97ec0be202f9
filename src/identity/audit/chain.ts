import { createHmac } from 'node:crypto';
import { toWellFormedText } from '../../shared/well-formed-text.js';

/**
 * The audit log's chain, as pure functions. Each entry's hash is an HMAC, keyed with a secret kept
 * in a file outside the database, over the previous entry's hash and the entry's own fields. So an
 * edited, removed or reordered entry breaks the chain, and someone who can write the database but
 * not read the key cannot rebuild the chain after editing it.
 */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'success' | 'failure' | 'info';

export interface ChainedFields {
  seq: number;
  at: number;
  type: string;
  outcome: AuditOutcome;
  actorUserId: number | null;
  actorUsername: string | null;
  sourceIp: string | null;
  target: string | null;
  /** JSON text, hashed exactly as stored. */
  details: string;
}

export interface ChainedEntry extends ChainedFields {
  prevHash: string;
  hash: string;
}

const storedOrNull = (text: string | null) => (text === null ? null : toWellFormedText(text));

/**
 * The fields as the database keeps them. Its text is UTF-8, which cannot hold a lone surrogate
 * (JSON's "\ud800" makes one): it stores U+FFFD instead. Hashing the text as given would then
 * not match the entry read back, and `audit verify` would report tampering that never happened.
 */
export function asStored(fields: ChainedFields): ChainedFields {
  return {
    ...fields,
    type: toWellFormedText(fields.type),
    actorUsername: storedOrNull(fields.actorUsername),
    sourceIp: storedOrNull(fields.sourceIp),
    target: storedOrNull(fields.target),
    details: toWellFormedText(fields.details),
  };
}

/** The hash of an entry's fields, as stored (see asStored), linked to the entry before it. */
export function entryHash(key: Buffer, prevHash: string, given: ChainedFields): string {
  const fields = asStored(given);
  const canonical = JSON.stringify([
    prevHash,
    fields.seq,
    fields.at,
    fields.type,
    fields.outcome,
    fields.actorUserId,
    fields.actorUsername,
    fields.sourceIp,
    fields.target,
    fields.details,
  ]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

/** Where the chain ends: the last entry's number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** An entry's own fields, before it has a place in the chain. */
export type UnlinkedFields = Omit<ChainedFields, 'seq'>;

/** The entry that follows `head`: its fields as stored (see asStored), its number, its hash linked to the head. */
export function linkEntry(key: Buffer, head: ChainHead | undefined, given: UnlinkedFields): ChainedEntry {
  const fields = asStored({ ...given, seq: (head?.seq ?? 0) + 1 });
  const prevHash = head?.hash ?? GENESIS_HASH;
  return { ...fields, prevHash, hash: entryHash(key, prevHash, fields) };
}

export type ChainProblem =
  | { kind: 'gap'; seq: number; expectedSeq: number }
  | { kind: 'broken_link'; seq: number }
  | { kind: 'bad_hash'; seq: number }
  | { kind: 'head_mismatch'; headSeq: number; lastSeq: number };

/** Checks entries fed in sequence order, one at a time, then the recorded head: so a log too big to hold can be checked page by page. */
export function chainVerifier(key: Buffer): {
  add(entry: ChainedEntry): void;
  result(head: ChainHead | undefined): { checked: number; problems: ChainProblem[] };
} {
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let last: ChainedEntry | undefined;
  return {
    add(entry) {
      checked++;
      if (entry.seq !== expectedSeq) problems.push({ kind: 'gap', seq: entry.seq, expectedSeq });
      if (entry.prevHash !== prevHash) problems.push({ kind: 'broken_link', seq: entry.seq });
      if (entryHash(key, entry.prevHash, entry) !== entry.hash) problems.push({ kind: 'bad_hash', seq: entry.seq });
      expectedSeq = entry.seq + 1;
      prevHash = entry.hash;
      last = entry;
    },
    result(head) {
      const lastSeq = last?.seq ?? 0;
      const headSeq = head?.seq ?? 0;
      const ended = [...problems];
      if (headSeq !== lastSeq || (last !== undefined && head?.hash !== last.hash)) {
        ended.push({ kind: 'head_mismatch', headSeq, lastSeq });
      }
      return { checked, problems: ended };
    },
  };
}

/**
 * Checks entries in sequence order against the recorded head. Returns every problem found, so the
 * report can say where the log was tampered with, not just that it was.
 */
export function verifyChain(
  key: Buffer,
  entries: Iterable<ChainedEntry>,
  head: ChainHead | undefined,
): { checked: number; problems: ChainProblem[] } {
  const verifier = chainVerifier(key);
  for (const entry of entries) verifier.add(entry);
  return verifier.result(head);
}

export function describeProblem(problem: ChainProblem): string {
  switch (problem.kind) {
    case 'gap':
      return `entry ${problem.seq} follows entry ${problem.expectedSeq - 1}: entries are missing or reordered`;
    case 'broken_link':
      return `entry ${problem.seq} does not carry the hash of the entry before it: an entry before it was changed, removed or reordered`;
    case 'bad_hash':
      return `entry ${problem.seq} does not match its hash: it was edited`;
    case 'head_mismatch':
      return `the log should end at entry ${problem.headSeq} but ends at entry ${problem.lastSeq}: entries were removed from the end or added outside Vigil`;
  }
}
