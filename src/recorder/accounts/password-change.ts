import { evaluatePassword, type PasswordReason } from '../../shared/password-policy.js';
import type { RecorderContext } from '../context.js';
import type { Authenticated } from './sessions.js';

export type PasswordChangeOutcome =
  | { ok: true; revokedSessions: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_current_password' }
  | { ok: false; reason: 'password_rejected'; reasons: PasswordReason[] };

/** A user changes their own password: proves the current one, and every other session ends with it. */
export async function changeOwnPassword(
  ctx: RecorderContext,
  auth: Authenticated,
  input: { currentPassword: string; newPassword: string; sourceIp: string },
): Promise<PasswordChangeOutcome> {
  // A stolen session must not become a password oracle: wrong current passwords count as failed logins.
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  if (!(await ctx.hasher.verify(auth.user.passwordHash, input.currentPassword)).valid) {
    ctx.sourceThrottle.record(input.sourceIp);
    return { ok: false, reason: 'invalid_current_password' };
  }
  const device = ctx.store.getDevice();
  const verdict = await evaluatePassword(input.newPassword, {
    username: auth.user.username,
    serial: device?.serial,
    model: device?.model,
  });
  if (!verdict.accepted) return { ok: false, reason: 'password_rejected', reasons: verdict.reasons };

  const revokedSessions = ctx.store.changePassword(
    auth.user.id,
    await ctx.hasher.hash(input.newPassword),
    ctx.clock.now(),
    auth.session.id,
  );
  ctx.logger.info({ event: 'password_changed', userId: auth.user.id, revokedSessions }, 'password changed');
  return { ok: true, revokedSessions };
}
