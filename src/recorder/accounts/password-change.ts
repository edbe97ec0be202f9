import { safeEqual } from '../../shared/secrets.js';
import type { PasswordReason } from '../../identity/passwords/policy.js';
import type { RecorderStore } from '../db/store.js';
import { countFailedAttempt, type PasswordWork } from './failed-attempts.js';
import type { Authenticated } from './sessions.js';

export type PasswordChangeOutcome =
  | { ok: true; revokedSessions: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_current_password' }
  /** Keeping an admin-issued password would let the admin know it; keeping any password is no change. */
  | { ok: false; reason: 'password_unchanged' }
  | { ok: false; reason: 'password_rejected'; reasons: PasswordReason[] };

/** A user changes their own password: proves the current one, and every other session ends with it. */
export async function changeOwnPassword(
  ctx: PasswordWork & { store: Pick<RecorderStore, 'getDevice' | 'transaction' | 'changePassword'> },
  auth: Authenticated,
  input: { currentPassword: string; newPassword: string; sourceIp: string },
): Promise<PasswordChangeOutcome> {
  // A stolen session must not become a password oracle: wrong current passwords count as failed logins.
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  if (!(await ctx.hasher.verify(auth.user.passwordHash, input.currentPassword)).valid) {
    ctx.audit.append({
      type: 'password.changed',
      outcome: 'failure',
      actor: { id: auth.user.id, username: auth.user.username },
      sourceIp: input.sourceIp,
      target: `user:${auth.user.id}`,
      details: { reason: 'invalid_current_password' },
    });
    countFailedAttempt(ctx, input.sourceIp);
    return { ok: false, reason: 'invalid_current_password' };
  }
  if (safeEqual(input.newPassword.normalize('NFC'), input.currentPassword.normalize('NFC'))) {
    return { ok: false, reason: 'password_unchanged' };
  }
  const device = ctx.store.getDevice();
  const verdict = await ctx.judgePassword(input.newPassword, {
    username: auth.user.username,
    serial: device?.serial,
    model: device?.model,
  });
  if (!verdict.accepted) return { ok: false, reason: 'password_rejected', reasons: verdict.reasons };

  const passwordHash = await ctx.hasher.hash(input.newPassword);
  const revokedSessions = ctx.store.transaction(() => {
    const revoked = ctx.store.changePassword(auth.user.id, passwordHash, ctx.clock.now(), auth.session.id);
    ctx.audit.append({
      type: 'password.changed',
      outcome: 'success',
      actor: { id: auth.user.id, username: auth.user.username },
      sourceIp: input.sourceIp,
      target: `user:${auth.user.id}`,
      details: { revokedSessions: revoked },
    });
    return revoked;
  });
  ctx.logger.info({ event: 'password_changed', userId: auth.user.id, revokedSessions }, 'password changed');
  return { ok: true, revokedSessions };
}
