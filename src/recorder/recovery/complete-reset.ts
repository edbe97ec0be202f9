import { grantIsLive, grantTokenHash } from '../../identity/grants/reset-grant.js';
import type { PasswordReason } from '../../identity/passwords/policy.js';
import { countFailedAttempt, type PasswordWork } from '../accounts/failed-attempts.js';
import type { LoginLockout } from '../../identity/lockout/login-lockout.js';
import type { RecoveryStore } from '../db/recovery-store.js';
import type { RecorderStore } from '../db/store.js';
import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import { secondFactorMethods } from '../../identity/two-factor/methods.js';
import { isRecoveryMethod, isWeakMethod } from '../api/recovery-methods.js';

export type RecoveryResetOutcome =
  | { ok: true; username: string; revokedSessions: number; twoFactorCleared: boolean }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_reset_token' }
  | { ok: false; reason: 'password_rejected'; reasons: PasswordReason[] }
  /** The password the account has now: a recovery that keeps it would leave in place what may have leaked. */
  | { ok: false; reason: 'password_unchanged' };

/** What a reset with a grant goes through: the grant, the account, its sessions, lockouts and factors. */
export interface RecoveryResetting extends PasswordWork {
  store: Pick<RecorderStore, 'transaction' | 'getUser' | 'getDevice' | 'setRecoveredPassword'>;
  recovery: Pick<RecoveryStore, 'findGrant' | 'spendGrant' | 'revokeGrants'>;
  lockout: Pick<LoginLockout, 'list' | 'unlock'>;
  twoFactor: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys' | 'removeAllFactors'>;
}

/**
 * The last step of every recovery path: the holder of a grant chooses a new password under the
 * normal policy. In one transaction the grant is spent, every session of the account ends, its other
 * grants and lockouts go, and the audit log names the method. Nobody is logged in by it.
 */
export async function completeRecoveryReset(
  ctx: RecoveryResetting,
  input: { token: string; newPassword: string; clearTwoFactor: boolean; sourceIp: string },
): Promise<RecoveryResetOutcome> {
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };

  const tokenHash = grantTokenHash(input.token);
  const liveGrant = () => {
    const grant = ctx.recovery.findGrant(tokenHash);
    const user = grant && ctx.store.getUser(grant.userId);
    const live = grant && user && user.role === 'admin' && grantIsLive(grant, ctx.clock.now());
    return live && isRecoveryMethod(grant.method) ? { grant, user, method: grant.method } : undefined;
  };
  const found = liveGrant();
  if (!found) {
    countFailedAttempt(ctx, input.sourceIp);
    return { ok: false, reason: 'invalid_reset_token' };
  }

  const device = ctx.store.getDevice();
  const verdict = await ctx.judgePassword(input.newPassword, { username: found.user.username, serial: device?.serial, model: device?.model });
  // A rejected password leaves the grant as it was: the person tries another one.
  if (!verdict.accepted) return { ok: false, reason: 'password_rejected', reasons: verdict.reasons };
  // Compared only once the policy accepts it: any other acceptable password spends the grant, so a
  // grant's holder gets one comparison with the old password, not an oracle to test guesses on.
  if ((await ctx.hasher.verify(found.user.passwordHash, input.newPassword)).valid) return { ok: false, reason: 'password_unchanged' };
  const passwordHash = await ctx.hasher.hash(input.newPassword);
  const hasSecondFactor = (await secondFactorMethods(ctx, found.user.id)).length > 0;

  let resetUserId: number | undefined;
  const outcome = ctx.store.transaction((): RecoveryResetOutcome => {
    const now = ctx.clock.now();
    // Checked again: a concurrent request with the same token may have spent it while we hashed.
    const still = liveGrant();
    if (!still || !ctx.recovery.spendGrant(tokenHash, now)) return { ok: false, reason: 'invalid_reset_token' };
    const { user, method } = still;
    const revokedSessions = ctx.store.setRecoveredPassword(user.id, passwordHash, now);
    ctx.recovery.revokeGrants(user.id, now);
    resetUserId = user.id;

    const twoFactorCleared = input.clearTwoFactor && !isWeakMethod(method) && hasSecondFactor;
    const audited = { sourceIp: input.sourceIp, target: `user:${user.id}` };
    if (twoFactorCleared) {
      ctx.audit.append({ ...audited, type: 'twofactor.disabled', outcome: 'success', details: { method: 'all', by: `recovery:${method}` } });
    }
    ctx.audit.append({ ...audited, type: 'recovery.password_reset', outcome: 'success', details: { method, revokedSessions, twoFactorCleared } });
    ctx.logger.info({ event: 'recovery_password_reset', userId: user.id, method, revokedSessions }, 'admin password reset through recovery');
    return { ok: true, username: user.username, revokedSessions, twoFactorCleared };
  });
  // The lockout and the factors are behind async ports, so they change right after the transaction,
  // and only once the grant is spent: a request that lost the race for it changes nothing.
  if (resetUserId !== undefined) for (const lock of await ctx.lockout.list()) if (lock.userId === resetUserId) await ctx.lockout.unlock(lock.id);
  if (outcome.ok && outcome.twoFactorCleared) await ctx.twoFactor.removeAllFactors(found.user.id);
  return outcome;
}
