import type { Clock } from '../../shared/clock.js';
import type { TwoFactorFactorStore } from './factor-store.js';
import { secondFactorMethods } from './methods.js';
import type { Failure, ReauthFailure } from './outcomes.js';
import type { TwoFactorPolicyStore } from './policy-store.js';
import { auditChange } from './change-audit.js';
import { reauthenticate, type Reauthenticating, type TwoFactorAccount } from './reauthentication.js';

export interface RequiredSetting extends Reauthenticating {
  twoFactor: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys'>;
  twoFactorPolicy: TwoFactorPolicyStore;
  clock: Clock;
}

export type PolicyOutcome = { ok: true } | ReauthFailure | Failure<'own_two_factor_missing'>;

/** "Everyone must use 2FA": an admin turns it on only once they use 2FA themselves, so it cannot shut them into enrolment by surprise. */
export async function setTwoFactorRequired(
  ctx: RequiredSetting,
  admin: TwoFactorAccount,
  input: { required: boolean; currentPassword: string; sourceIp: string },
): Promise<PolicyOutcome> {
  const attempted = { type: 'settings.changed', details: { setting: 'two_factor_required', value: input.required } } as const;
  const failed = await reauthenticate(ctx, admin, input, attempted);
  if (failed) return failed;
  if (input.required && (await secondFactorMethods(ctx, admin.id)).length === 0) return { ok: false, reason: 'own_two_factor_missing' };
  await ctx.twoFactorPolicy.setTwoFactorRequired(input.required, ctx.clock.now());
  auditChange(ctx, admin, input.sourceIp, attempted, 'settings:two-factor');
  return { ok: true };
}
