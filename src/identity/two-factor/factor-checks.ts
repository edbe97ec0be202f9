import type { TwoFactorFactorStore } from './factor-store.js';
import { normalizeRecoveryCode } from './recovery-codes.js';
import { openSecret, recoveryCodeHash } from './secrets.js';
import { matchTotpStep } from './totp.js';

/** What a second-factor check reads and spends: the factors, and the key their secrets are sealed and hashed under. */
export interface FactorChecking {
  twoFactor: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys' | 'acceptTotpStep' | 'spendRecoveryCode'>;
  twoFactorKey: Buffer;
}

export type Verdict = 'accepted' | 'wrong' | 'replayed';

/** A TOTP code of the account's confirmed factor, accepted once: a right code seen before is a replay. */
export async function checkTotp(ctx: FactorChecking, accountId: number, code: string, now: number): Promise<Verdict> {
  const factor = await ctx.twoFactor.getTotp(accountId);
  if (!factor?.confirmedAt) return 'wrong';
  const step = matchTotpStep(openSecret(ctx.twoFactorKey, accountId, factor.secretSealed), code, now);
  if (step === undefined) return 'wrong';
  // The store's one atomic step decides: of concurrent requests with one code, exactly one is accepted.
  return (await ctx.twoFactor.acceptTotpStep(accountId, step)) ? 'accepted' : 'replayed';
}

/** One of the account's recovery codes, spent by this check if it is right and unused. */
export async function checkRecoveryCode(ctx: FactorChecking, accountId: number, typed: string, now: number): Promise<Verdict> {
  const code = normalizeRecoveryCode(typed);
  if (code === undefined) return 'wrong';
  return (await ctx.twoFactor.spendRecoveryCode(accountId, recoveryCodeHash(ctx.twoFactorKey, accountId, code), now)) ? 'accepted' : 'wrong';
}
