import { isoTime } from '../../shared/clock.js';
import { randomToken, sha256Hex } from '../../shared/secrets.js';
import type { RecorderContext } from '../context.js';
import type { UserRecord } from '../db/store.js';
import { isWeakMethod, type RecoveryMethod, type ResetGrant } from '../api/recovery-methods.js';

export type { ResetGrant };

/** Long enough to choose a good password, short enough that a forgotten tab is no standing key. */
export const RESET_GRANT_LIFETIME_SECONDS = 15 * 60;

/**
 * Issues a grant for right evidence. Call it inside the transaction that consumes the evidence, so
 * evidence is spent exactly when a grant exists for it.
 */
export function issueResetGrant(
  ctx: RecorderContext,
  input: {
    user: UserRecord;
    method: RecoveryMethod;
    sourceIp: string;
    /** What identifies the evidence in the audit log, never the evidence itself (e.g. the support case). */
    evidence?: Record<string, string>;
  },
): ResetGrant {
  const token = randomToken(32);
  const now = ctx.clock.now();
  const expiresAt = now + RESET_GRANT_LIFETIME_SECONDS * 1000;
  ctx.recovery.insertGrant({ tokenHash: sha256Hex(token), userId: input.user.id, method: input.method, createdAt: now, expiresAt, usedAt: null });
  ctx.audit.append({
    type: 'recovery.evidence_accepted',
    outcome: 'success',
    sourceIp: input.sourceIp,
    target: `user:${input.user.id}`,
    details: { ...input.evidence, method: input.method },
  });
  return {
    token,
    expiresAt: isoTime(expiresAt),
    username: input.user.username,
    method: input.method,
    mayClearTwoFactor: !isWeakMethod(input.method),
  };
}
