import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { countFailedAttempt, type FailureCounting } from './failed-attempts.js';
import type { Authenticated } from './sessions.js';

export type ReauthOutcome =
  | { ok: true }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_current_password' };

/**
 * A logged-in user proves their password again before a change that matters (where security mail
 * goes). Wrong passwords count as failed logins, so a stolen session is no password oracle.
 */
export async function reauthenticate(ctx: FailureCounting & { hasher: PasswordHasher }, auth: Authenticated, password: string, sourceIp: string): Promise<ReauthOutcome> {
  const throttle = ctx.sourceThrottle.check(sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  if ((await ctx.hasher.verify(auth.user.passwordHash, password)).valid) return { ok: true };
  countFailedAttempt(ctx, sourceIp);
  return { ok: false, reason: 'invalid_current_password' };
}
