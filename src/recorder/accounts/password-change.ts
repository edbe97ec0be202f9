import { safeEqual } from '../../shared/secrets.js';
import type { PasswordReason } from '../../identity/passwords/policy.js';
import type { RecorderStore } from '../db/store.js';
import type { PasswordWork } from './failed-attempts.js';
import { reauthenticate } from './reauthenticate.js';
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
  const proof = await reauthenticate(ctx, auth, input.currentPassword, input.sourceIp, { type: 'password.changed' });
  if (!proof.ok) return proof;
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
