import type { RecorderContext } from '../context.js';

/**
 * Counts a failed password or label-code check against the source address, and audits the moment
 * the address gets blocked (once per block, not once per refused request).
 */
export function countFailedAttempt(ctx: RecorderContext, sourceIp: string): void {
  ctx.sourceThrottle.record(sourceIp);
  auditIfSourceBlocked(ctx, sourceIp);
}

/** For a failure already recorded: audits the block it started, if it started one. */
export function auditIfSourceBlocked(ctx: RecorderContext, sourceIp: string): void {
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
