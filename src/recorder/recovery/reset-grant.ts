import { isoTime, type Clock } from '../../shared/clock.js';
import { newGrantToken } from '../../identity/grants/reset-grant.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { RecoveryStore } from '../db/recovery-store.js';
import type { UserRecord } from '../db/store.js';
import { isWeakMethod, type RecoveryMethod, type ResetGrant } from '../api/recovery-methods.js';

export type { ResetGrant };

/** What issuing a grant writes: the grant and its audit entry. */
export interface GrantIssuing {
  clock: Clock;
  recovery: Pick<RecoveryStore, 'insertGrant'>;
  audit: Pick<AuditLog, 'append'>;
}

/**
 * Issues a grant for right evidence. Call it inside the transaction that consumes the evidence, so
 * evidence is spent exactly when a grant exists for it.
 */
export function issueResetGrant(
  ctx: GrantIssuing,
  input: {
    user: UserRecord;
    method: RecoveryMethod;
    sourceIp: string;
    /** What identifies the evidence in the audit log, never the evidence itself (e.g. the support case). */
    evidence?: Record<string, string>;
  },
): ResetGrant {
  const now = ctx.clock.now();
  const { token, tokenHash, expiresAt } = newGrantToken(now);
  ctx.recovery.insertGrant({ tokenHash, userId: input.user.id, method: input.method, createdAt: now, expiresAt, usedAt: null });
  ctx.audit.append({
    type: 'recovery.evidence_accepted',
    outcome: 'success',
    sourceIp: input.sourceIp,
    target: `user:${input.user.id}`,
    details: { ...input.evidence, method: input.method },
  });
  return grantAnswer(input.user, { token, expiresAt, method: input.method });
}

/** What the holder of a new grant is told: the token, once, and what it may do. */
export function grantAnswer(user: UserRecord, grant: { token: string; expiresAt: number; method: RecoveryMethod }): ResetGrant {
  return {
    token: grant.token,
    expiresAt: isoTime(grant.expiresAt),
    username: user.username,
    method: grant.method,
    mayClearTwoFactor: !isWeakMethod(grant.method),
  };
}
