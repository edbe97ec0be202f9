import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { AttemptThrottle } from '../../identity/lockout/attempt-throttle.js';
import { sourceBlockEvent } from '../../identity/lockout/source-block-event.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { JudgePassword } from '../../identity/passwords/judge.js';
import type { SourceGate } from '../../identity/lockout/source-gate.js';
import type { AuditLog } from '../audit/audit-log.js';

/** What counting a failure uses: the per-source throttle and the audit log. */
export interface FailureCounting {
  sourceThrottle: AttemptThrottle;
  audit: Pick<AuditLog, 'append'>;
}

/** What a service that checks or sets a password uses besides counting failures. */
export interface PasswordWork extends FailureCounting {
  clock: Clock;
  hasher: PasswordHasher;
  judgePassword: JudgePassword;
  logger: Logger;
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
  const blocked = sourceBlockEvent(sourceIp, ctx.sourceThrottle.check(sourceIp));
  if (blocked) ctx.audit.append(blocked);
}

/** The per-source throttle as a core service asks it (identity/lockout/source-gate.ts). */
export function sourceGate(ctx: FailureCounting): SourceGate {
  return { check: (ip) => ctx.sourceThrottle.check(ip), countFailure: (ip) => countFailedAttempt(ctx, ip) };
}
