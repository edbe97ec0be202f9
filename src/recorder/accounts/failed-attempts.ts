import type { AttemptThrottle } from '../../identity/lockout/attempt-throttle.js';
import type { AuditLog } from '../audit/audit-log.js';

/** What counting a failure uses: the per-source throttle and the audit log. */
export interface FailureCounting {
  sourceThrottle: AttemptThrottle;
  audit: Pick<AuditLog, 'append'>;
}

/**
 * Counts a failed password or label-code check against the source address, and audits the moment
 * the address gets blocked (once per block, not once per refused request).
 */
export function countFailedAttempt(ctx: FailureCounting, sourceIp: string): void {
  ctx.sourceThrottle.record(sourceIp);
  auditIfSourceBlocked(ctx, sourceIp);
}

/** For a failure already recorded: audits the block it started, if it started one. */
export function auditIfSourceBlocked(ctx: FailureCounting, sourceIp: string): void {
  const after = ctx.sourceThrottle.check(sourceIp);
  if (!after.allowed) {
    ctx.audit.append({
      type: 'auth.lockout',
      outcome: 'info',
      sourceIp,
      target: `source:${sourceIp}`,
      details: { retryAfterSeconds: after.retryAfterSeconds },
    });
  }
}
