import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import type { TwoFactorFactorStore } from './factor-store.js';
import { secondFactorMethods } from './methods.js';
import type { Failure, ReauthFailure } from './outcomes.js';
import { auditChange } from './change-audit.js';
import { reauthenticate, type Reauthenticating, type TwoFactorAccount } from './reauthentication.js';
import { generateRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.js';
import { openSecret, recoveryCodeHash, sealSecret } from './secrets.js';
import { matchTotpStep, otpauthUri } from './totp.js';

const TOTP_SECRET_BYTES = 20;
const ISSUER = 'Vigil';

/** What setting up, renewing and turning off second factors go through. */
export interface TwoFactorEnrolment extends Reauthenticating {
  twoFactor: TwoFactorFactorStore;
  twoFactorKey: Buffer;
  clock: Clock;
  /** How an authenticator app names the account beside the issuer, e.g. `admin@<serial>` for a recorder. */
  totpLabel(account: TwoFactorAccount): string;
}

/** New recovery codes for the account; the old ones stop working. Answered in clear this once, stored as keyed hashes. */
export async function issueRecoveryCodes(ctx: Pick<TwoFactorEnrolment, 'twoFactor' | 'twoFactorKey'>, accountId: number): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await ctx.twoFactor.replaceRecoveryCodes(
    accountId,
    codes.map((code) => recoveryCodeHash(ctx.twoFactorKey, accountId, normalizeRecoveryCode(code)!)),
  );
  return codes;
}

export type TotpStartOutcome = { ok: true; secret: Buffer; otpauthUri: string } | ReauthFailure | Failure<'already_enabled'>;

/** Step 1 of enrolment: a new secret, kept unconfirmed until a code from the app proves it was scanned. */
export async function startTotpEnrolment(
  ctx: TwoFactorEnrolment,
  account: TwoFactorAccount,
  input: { currentPassword: string; sourceIp: string },
): Promise<TotpStartOutcome> {
  const failed = await reauthenticate(ctx, account, input, { type: 'twofactor.enabled', details: { method: 'totp' } });
  if (failed) return failed;
  const secret = randomBytes(TOTP_SECRET_BYTES);
  if (!(await ctx.twoFactor.startTotp(account.id, sealSecret(ctx.twoFactorKey, account.id, secret), ctx.clock.now()))) {
    return { ok: false, reason: 'already_enabled' };
  }
  return { ok: true, secret, otpauthUri: otpauthUri(secret, ISSUER, ctx.totpLabel(account)) };
}

export type TotpConfirmOutcome = { ok: true; recoveryCodes: string[] } | ReauthFailure | Failure<'no_pending_enrolment' | 'invalid_code'>;

/** Step 2: the first code turns TOTP on, and the recovery codes are made and shown this once. */
export async function confirmTotpEnrolment(
  ctx: TwoFactorEnrolment,
  account: TwoFactorAccount,
  input: { currentPassword: string; code: string; sourceIp: string },
): Promise<TotpConfirmOutcome> {
  const failed = await reauthenticate(ctx, account, input, { type: 'twofactor.enabled', details: { method: 'totp' } });
  if (failed) return failed;
  const pending = await ctx.twoFactor.getTotp(account.id);
  if (!pending || pending.confirmedAt !== null) return { ok: false, reason: 'no_pending_enrolment' };
  const now = ctx.clock.now();
  const step = matchTotpStep(openSecret(ctx.twoFactorKey, account.id, pending.secretSealed), input.code, now);
  // Confirmed only if the secret the code was checked against is still the pending one (a second
  // start may have replaced it meanwhile). The confirming code's step counts as used, so it cannot
  // log anyone in afterwards; of concurrent confirmations, one wins.
  if (step === undefined || !(await ctx.twoFactor.confirmTotp(account.id, pending.secretSealed, step, now))) {
    return { ok: false, reason: 'invalid_code' };
  }
  const recoveryCodes = await issueRecoveryCodes(ctx, account.id);
  auditChange(ctx, account, input.sourceIp, { type: 'twofactor.enabled', details: { method: 'totp', recoveryCodes: recoveryCodes.length } });
  return { ok: true, recoveryCodes };
}

export type RegenerateOutcome = { ok: true; recoveryCodes: string[] } | ReauthFailure | Failure<'not_enabled'>;

/** New recovery codes; the old ones stop working at once. */
export async function regenerateRecoveryCodes(
  ctx: TwoFactorEnrolment,
  account: TwoFactorAccount,
  input: { currentPassword: string; sourceIp: string },
): Promise<RegenerateOutcome> {
  const attempted = { type: 'twofactor.enabled', details: { method: 'recovery_code', regenerated: true } } as const;
  const failed = await reauthenticate(ctx, account, input, attempted);
  if (failed) return failed;
  if ((await secondFactorMethods(ctx, account.id)).length === 0) return { ok: false, reason: 'not_enabled' };
  const recoveryCodes = await issueRecoveryCodes(ctx, account.id);
  auditChange(ctx, account, input.sourceIp, attempted);
  return { ok: true, recoveryCodes };
}

export type DisableOutcome = { ok: true } | ReauthFailure | Failure<'not_enabled'>;

/** Turns two-factor off: the authenticator app's secret, every passkey and every recovery code are forgotten. */
export async function disableTwoFactor(
  ctx: TwoFactorEnrolment,
  account: TwoFactorAccount,
  input: { currentPassword: string; sourceIp: string },
): Promise<DisableOutcome> {
  const attempted = { type: 'twofactor.disabled', details: { method: 'all' } } as const;
  const failed = await reauthenticate(ctx, account, input, attempted);
  if (failed) return failed;
  const [totp, passkeys] = await Promise.all([ctx.twoFactor.getTotp(account.id), ctx.twoFactor.listPasskeys(account.id)]);
  if (!totp && passkeys.length === 0) return { ok: false, reason: 'not_enabled' };
  await ctx.twoFactor.removeAllFactors(account.id);
  auditChange(ctx, account, input.sourceIp, attempted);
  return { ok: true };
}
