import { completeReset, type ResetPath } from '../../identity/grants/complete-reset.js';
import type { SecurityEvent } from '../../identity/audit/security-event.js';
import type { ResetGrantStore } from '../../identity/grants/grant-store.js';
import type { ResetCompletionStore } from '../../identity/grants/reset-completion-store.js';
import type { PasswordReason } from '../../identity/passwords/policy.js';
import { sourceThrottleOf, type PasswordWork } from '../accounts/failed-attempts.js';
import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import { secondFactorMethods } from '../../identity/two-factor/methods.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import { isRecoveryMethod, isWeakMethod, type RecoveryMethod } from '../api/recovery-methods.js';

const SAME_AS_CURRENT: PasswordReason = {
  code: 'same_as_current',
  message: 'This is the password the account has now: choose a new one, the old one may be what was lost or seen',
};

export type RecoveryResetOutcome =
  | { ok: true; username: string; revokedSessions: number; twoFactorCleared: boolean }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_reset_token' }
  | { ok: false; reason: 'password_rejected'; reasons: PasswordReason[] };

/** What a reset with a grant goes through: the grants, the atomic completion, the accounts and their factors. */
export interface RecoveryResetting extends PasswordWork {
  store: Pick<RecorderStore, 'getUser' | 'getDevice'>;
  resetGrants: Pick<ResetGrantStore, 'find'>;
  resetCompletion: ResetCompletionStore;
  twoFactor: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys'>;
}

interface Holder {
  user: UserRecord;
  method: RecoveryMethod;
}

/** The recorder's side of a reset: only admins are recovered, and only strong evidence may clear 2FA. */
function recorderResetPath(ctx: RecoveryResetting, clearTwoFactor: boolean, sourceIp: string): ResetPath<Holder> {
  return {
    holder: (grant) => {
      const user = ctx.store.getUser(grant.accountId);
      return user?.role === 'admin' && isRecoveryMethod(grant.method) ? { user, method: grant.method } : undefined;
    },
    judge: async (password, { user }) => {
      const device = ctx.store.getDevice();
      const verdict = await ctx.judgePassword(password, { username: user.username, serial: device?.serial, model: device?.model });
      // The password the account has now is refused: a recovery that keeps it leaves in place what
      // may have been lost or seen. Compared only once the policy accepts it: any other acceptable
      // password spends the grant, so its holder gets one comparison, not an oracle for guesses.
      if (!verdict.accepted || !(await ctx.hasher.verify(user.passwordHash, password)).valid) return verdict;
      return { ...verdict, accepted: false, reasons: [SAME_AS_CURRENT] };
    },
    removeSecondFactors: async (_grant, { user, method }) =>
      clearTwoFactor && !isWeakMethod(method) && (await secondFactorMethods(ctx, user.id)).length > 0,
    events: ({ revokedSessions, secondFactorsRemoved }, _grant, { user, method }) => {
      const audited = { sourceIp, target: `user:${user.id}` };
      const reset: SecurityEvent = {
        ...audited,
        type: 'recovery.password_reset',
        outcome: 'success',
        details: { method, revokedSessions, twoFactorCleared: secondFactorsRemoved },
      };
      if (!secondFactorsRemoved) return [reset];
      return [{ ...audited, type: 'twofactor.disabled', outcome: 'success', details: { method: 'all', by: `recovery:${method}` } }, reset];
    },
  };
}

/**
 * The last step of every recovery path (identity/grants/complete-reset.ts): the holder of a grant
 * chooses a new password; every session of the admin ends, its other grants and lockouts go, and
 * the audit log names the method.
 */
export async function completeRecoveryReset(
  ctx: RecoveryResetting,
  input: { token: string; newPassword: string; clearTwoFactor: boolean; sourceIp: string },
): Promise<RecoveryResetOutcome> {
  const outcome = await completeReset(
    {
      grants: ctx.resetGrants,
      resets: ctx.resetCompletion,
      hasher: ctx.hasher,
      clock: ctx.clock,
      sourceThrottle: sourceThrottleOf(ctx),
    },
    recorderResetPath(ctx, input.clearTwoFactor, input.sourceIp),
    input,
  );
  if (!outcome.ok) return outcome;
  const { holder, revokedSessions, secondFactorsRemoved } = outcome;
  ctx.logger.info(
    { event: 'recovery_password_reset', userId: holder.user.id, method: holder.method, revokedSessions },
    'admin password reset through recovery',
  );
  return { ok: true, username: holder.user.username, revokedSessions, twoFactorCleared: secondFactorsRemoved };
}
