import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { issueRecoveryCodes, type TwoFactorEnrolment } from './enrolment.js';
import { secondFactorMethods } from './methods.js';
import type { Failure, ReauthFailure } from './outcomes.js';
import { passkeyRegistrationOptions, verifyPasskeyRegistration, type PasskeyKeeping, type RelyingParty } from './passkeys.js';
import { auditChange } from './change-audit.js';
import { reauthenticate, type TwoFactorAccount } from './reauthentication.js';

/** What adding and removing passkeys go through. */
export type PasskeyEnrolment = TwoFactorEnrolment & PasskeyKeeping;

export type PasskeyStartOutcome = { ok: true; options: PublicKeyCredentialCreationOptionsJSON } | ReauthFailure;

/** Adding a passkey, step 1 (needs the password): what the browser passes to navigator.credentials.create. */
export async function startPasskeyRegistration(
  ctx: PasskeyEnrolment,
  account: TwoFactorAccount,
  input: { currentPassword: string; sourceIp: string; rp: RelyingParty },
): Promise<PasskeyStartOutcome> {
  const failed = await reauthenticate(ctx, account, input, { type: 'twofactor.enabled', details: { method: 'webauthn' } });
  if (failed) return failed;
  return { ok: true, options: await passkeyRegistrationOptions(ctx, account, input.rp) };
}

export type PasskeyFinishOutcome = { ok: true; recoveryCodes: string[] | null } | Failure<'invalid_passkey'>;

/**
 * Step 2: the authenticator's answer to the registration started (with the password) in the last
 * 5 minutes. The first factor of an account also brings its recovery codes, shown this once.
 */
export async function finishPasskeyRegistration(
  ctx: PasskeyEnrolment,
  account: TwoFactorAccount,
  input: { name: string; response: RegistrationResponseJSON; sourceIp: string; rp: RelyingParty },
): Promise<PasskeyFinishOutcome> {
  const verified = await verifyPasskeyRegistration(ctx, account.id, input.response, input.rp);
  if (!verified) return { ok: false, reason: 'invalid_passkey' };
  const firstFactor = (await secondFactorMethods(ctx, account.id)).length === 0;
  // A credential registered already, by this account or another, is refused by the store.
  if (!(await ctx.twoFactor.addPasskey({ ...verified, accountId: account.id, name: input.name, createdAt: ctx.clock.now() }))) {
    return { ok: false, reason: 'invalid_passkey' };
  }
  const recoveryCodes = firstFactor ? await issueRecoveryCodes(ctx, account.id) : null;
  auditChange(ctx, account, input.sourceIp, { type: 'twofactor.enabled', details: { method: 'webauthn', name: input.name } });
  return { ok: true, recoveryCodes };
}

export type PasskeyRemoveOutcome = { ok: true } | ReauthFailure | Failure<'passkey_not_found'>;

/** Removes one passkey (needs the password). Removing the last factor turns two-factor off altogether. */
export async function removePasskey(
  ctx: PasskeyEnrolment,
  account: TwoFactorAccount,
  input: { passkeyId: number; currentPassword: string; sourceIp: string },
): Promise<PasskeyRemoveOutcome> {
  const attempted = { type: 'twofactor.disabled', details: { method: 'webauthn' } } as const;
  const failed = await reauthenticate(ctx, account, input, attempted);
  if (failed) return failed;
  if (!(await ctx.twoFactor.removePasskey(account.id, input.passkeyId))) return { ok: false, reason: 'passkey_not_found' };
  if ((await secondFactorMethods(ctx, account.id)).length === 0) await ctx.twoFactor.removeAllFactors(account.id);
  auditChange(ctx, account, input.sourceIp, attempted);
  return { ok: true };
}
