import type { TotpFactor, TwoFactorFactorStore } from './factor-store.js';
import type { TwoFactorPolicyStore } from './policy-store.js';

/** The second factors a login can finish with. */
export type SecondFactorMethod = 'totp' | 'webauthn' | 'recovery_code';

type FactorReading = { twoFactor: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys'> };

/** Pure: the second factors of an account with this TOTP factor and this many passkeys. */
function methodsOf(totp: TotpFactor | undefined, passkeys: number): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (totp?.confirmedAt) methods.push('totp');
  if (passkeys > 0) methods.push('webauthn');
  // Recovery codes stand in for a lost factor; with no factor they mean nothing.
  return methods.length > 0 ? [...methods, 'recovery_code'] : [];
}

/** The second factors the account has; empty when it uses no two-factor authentication. */
export async function secondFactorMethods(ctx: FactorReading, accountId: number): Promise<SecondFactorMethod[]> {
  const [totp, passkeys] = await Promise.all([ctx.twoFactor.getTotp(accountId), ctx.twoFactor.listPasskeys(accountId)]);
  return methodsOf(totp, passkeys.length);
}

type PolicyReading = FactorReading & { twoFactorPolicy: Pick<TwoFactorPolicyStore, 'isTwoFactorRequired'> };

/** The admin policy is on and this account has no second factor yet: its session may only enrol one. */
export async function mustEnrolTwoFactor(ctx: PolicyReading, accountId: number): Promise<boolean> {
  return (await ctx.twoFactorPolicy.isTwoFactorRequired()) && (await secondFactorMethods(ctx, accountId)).length === 0;
}

export interface TwoFactorStatus {
  enabled: boolean;
  totp: 'off' | 'pending' | 'on';
  passkeys: number;
  recoveryCodesRemaining: number;
  /** The admin policy: everyone must use 2FA. */
  requiredForEveryone: boolean;
  enrolmentRequired: boolean;
}

export async function twoFactorStatus(
  ctx: PolicyReading & { twoFactor: Pick<TwoFactorFactorStore, 'remainingRecoveryCodes'> },
  accountId: number,
): Promise<TwoFactorStatus> {
  const [totp, passkeys, recoveryCodesRemaining, requiredForEveryone] = await Promise.all([
    ctx.twoFactor.getTotp(accountId),
    ctx.twoFactor.listPasskeys(accountId),
    ctx.twoFactor.remainingRecoveryCodes(accountId),
    ctx.twoFactorPolicy.isTwoFactorRequired(),
  ]);
  const methods = methodsOf(totp, passkeys.length);
  return {
    enabled: methods.length > 0,
    totp: !totp ? 'off' : totp.confirmedAt === null ? 'pending' : 'on',
    passkeys: passkeys.length,
    recoveryCodesRemaining,
    requiredForEveryone,
    enrolmentRequired: requiredForEveryone && methods.length === 0,
  };
}
