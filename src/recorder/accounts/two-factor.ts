import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { randomToken, sha256Hex } from '../../shared/secrets.js';
import type { AuditEvent } from '../audit/audit-log.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import type { TwoFactorStore } from '../db/two-factor-store.js';
import { loginClientOf } from './device-cookie.js';
import { countFailedAttempt, type FailureCounting } from './failed-attempts.js';
import { loginAccount, startedLockDetails, type LoginLockout } from '../../identity/lockout/login-lockout.js';
import { passkeyLoginOptions, passkeyRegistrationOptions, verifyPasskeyAssertion, verifyPasskeyRegistration, type PasskeyKeeping, type RelyingParty } from './passkeys.js';
import { generateRecoveryCodes, normalizeRecoveryCode } from '../../identity/two-factor/recovery-codes.js';
import type { Authenticated } from './sessions.js';
import { matchTotpStep, otpauthUri } from '../../identity/two-factor/totp.js';
import { openSecret, recoveryCodeHash, sealSecret } from '../../identity/two-factor/secrets.js';

/** The second factors a login can finish with. */
export type SecondFactorMethod = 'totp' | 'webauthn' | 'recovery_code';

/** How long the step between password and second factor may take, and how many wrong codes burn it. */
export const CHALLENGE_LIFETIME_SECONDS = 5 * 60;
export const MAX_CHALLENGE_FAILURES = 5;
const TOTP_SECRET_BYTES = 20;
const ISSUER = 'Vigil';

type Failure<R extends string> = { ok: false; reason: R };
export type ReauthFailure = Failure<'invalid_current_password'> | { ok: false; reason: 'throttled'; retryAfterSeconds: number };
/** Every way a two-factor operation can be refused. */
export type TwoFactorRefusal =
  | ReauthFailure
  | Failure<
      | 'already_enabled'
      | 'no_pending_enrolment'
      | 'not_enabled'
      | 'own_two_factor_missing'
      | 'invalid_code'
      | 'invalid_challenge'
      | 'invalid_second_factor'
      | 'invalid_passkey'
      | 'passkey_not_found'
    >;

/** What a second-factor check reads and spends: the factors, and the key their secrets are sealed and hashed under. */
export interface FactorChecking {
  twoFactor: Pick<TwoFactorStore, 'getTotp' | 'listPasskeys' | 'advanceTotpStep' | 'useRecoveryCode'>;
  twoFactorKey: Buffer;
}

/** What enrolling, removing and using second factors go through. */
export interface TwoFactorServices extends FailureCounting, PasskeyKeeping {
  store: Pick<RecorderStore, 'transaction' | 'getDevice' | 'getUser'>;
  twoFactor: TwoFactorStore;
  hasher: Pick<PasswordHasher, 'verify'>;
  lockout: Pick<LoginLockout, 'gate' | 'reserve' | 'succeeded' | 'policy'>;
  logger: Logger;
  clock: Clock;
}

export function secondFactorMethods(ctx: { twoFactor: Pick<TwoFactorStore, 'getTotp' | 'listPasskeys'> }, userId: number): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (ctx.twoFactor.getTotp(userId)?.confirmedAt) methods.push('totp');
  if (ctx.twoFactor.listPasskeys(userId).length > 0) methods.push('webauthn');
  // Recovery codes stand in for a lost factor; with no factor they mean nothing.
  return methods.length > 0 ? [...methods, 'recovery_code'] : [];
}

/** The admin policy is on and this user has no second factor yet: their session may only enrol one. */
export function mustEnrolTwoFactor(ctx: { twoFactor: Pick<TwoFactorStore, 'isTwoFactorRequired' | 'getTotp' | 'listPasskeys'> }, userId: number): boolean {
  return ctx.twoFactor.isTwoFactorRequired() && secondFactorMethods(ctx, userId).length === 0;
}

/** What a session that must enrol 2FA may still call: who am I, the enrolment itself, and logout. */
export const ALLOWED_WHILE_ENROLMENT_REQUIRED: ReadonlySet<string> = new Set([
  'GET /api/v1/me',
  'DELETE /api/v1/sessions/current',
  'GET /api/v1/me/2fa',
  'POST /api/v1/me/2fa/totp',
  'POST /api/v1/me/2fa/totp/confirm',
  'GET /api/v1/me/2fa/passkeys',
  'POST /api/v1/me/2fa/passkeys/registration',
  'POST /api/v1/me/2fa/passkeys',
]);

export interface TwoFactorStatus {
  enabled: boolean;
  totp: 'off' | 'pending' | 'on';
  passkeys: number;
  recoveryCodesRemaining: number;
  /** The admin policy: everyone must use 2FA. */
  requiredForEveryone: boolean;
  enrolmentRequired: boolean;
}

export function twoFactorStatus(ctx: TwoFactorServices, userId: number): TwoFactorStatus {
  const totp = ctx.twoFactor.getTotp(userId);
  const enabled = secondFactorMethods(ctx, userId).length > 0;
  return {
    enabled,
    totp: !totp ? 'off' : totp.confirmedAt === null ? 'pending' : 'on',
    passkeys: ctx.twoFactor.listPasskeys(userId).length,
    recoveryCodesRemaining: ctx.twoFactor.remainingRecoveryCodes(userId),
    requiredForEveryone: ctx.twoFactor.isTwoFactorRequired(),
    enrolmentRequired: mustEnrolTwoFactor(ctx, userId),
  };
}

/**
 * Every change to a user's second factors needs their password in the same request: a session
 * left open on a shared screen must not be enough to turn 2FA off or take over its codes.
 */
async function reauthenticate(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { currentPassword: string; sourceIp: string },
  attempted: Pick<AuditEvent, 'type' | 'details'>,
): Promise<ReauthFailure | undefined> {
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  if ((await ctx.hasher.verify(auth.user.passwordHash, input.currentPassword)).valid) return undefined;
  ctx.audit.append({
    ...attempted,
    outcome: 'failure',
    actor: actorOf(auth.user),
    sourceIp: input.sourceIp,
    target: `user:${auth.user.id}`,
    details: { ...attempted.details, reason: 'invalid_current_password' },
  });
  countFailedAttempt(ctx, input.sourceIp);
  return { ok: false, reason: 'invalid_current_password' };
}

const actorOf = (user: UserRecord) => ({ id: user.id, username: user.username });

function issueRecoveryCodes(ctx: TwoFactorServices, userId: number): string[] {
  const codes = generateRecoveryCodes();
  ctx.twoFactor.replaceRecoveryCodes(
    userId,
    codes.map((code) => recoveryCodeHash(ctx.twoFactorKey, userId, normalizeRecoveryCode(code)!)),
  );
  return codes;
}

export type TotpStartOutcome = { ok: true; secret: Buffer; otpauthUri: string } | ReauthFailure | Failure<'already_enabled'>;

/** Step 1 of enrolment: a new secret, kept unconfirmed until a code from the app proves it was scanned. */
export async function startTotpEnrolment(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { currentPassword: string; sourceIp: string },
): Promise<TotpStartOutcome> {
  const failed = await reauthenticate(ctx, auth, input, { type: 'twofactor.enabled', details: { method: 'totp' } });
  if (failed) return failed;
  const secret = randomBytes(TOTP_SECRET_BYTES);
  if (!ctx.twoFactor.startTotp(auth.user.id, sealSecret(ctx.twoFactorKey, auth.user.id, secret), ctx.clock.now())) {
    return { ok: false, reason: 'already_enabled' };
  }
  const account = `${auth.user.username}@${ctx.store.getDevice()!.serial}`;
  return { ok: true, secret, otpauthUri: otpauthUri(secret, ISSUER, account) };
}

export type TotpConfirmOutcome =
  | { ok: true; recoveryCodes: string[] }
  | ReauthFailure
  | Failure<'no_pending_enrolment' | 'invalid_code'>;

/** Step 2: the first code turns TOTP on, and the recovery codes are made and shown this once. */
export async function confirmTotpEnrolment(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { currentPassword: string; code: string; sourceIp: string },
): Promise<TotpConfirmOutcome> {
  const failed = await reauthenticate(ctx, auth, input, { type: 'twofactor.enabled', details: { method: 'totp' } });
  if (failed) return failed;
  const userId = auth.user.id;
  return ctx.store.transaction((): TotpConfirmOutcome => {
    const pending = ctx.twoFactor.getTotp(userId);
    if (!pending || pending.confirmedAt !== null) return { ok: false, reason: 'no_pending_enrolment' };
    const now = ctx.clock.now();
    const step = matchTotpStep(openSecret(ctx.twoFactorKey, userId, pending.secretSealed), input.code, now);
    // The confirming code's step counts as used, so it cannot log anyone in afterwards.
    if (step === undefined || !ctx.twoFactor.confirmTotp(userId, step, now)) return { ok: false, reason: 'invalid_code' };
    const recoveryCodes = issueRecoveryCodes(ctx, userId);
    ctx.audit.append({
      type: 'twofactor.enabled',
      outcome: 'success',
      actor: actorOf(auth.user),
      sourceIp: input.sourceIp,
      target: `user:${userId}`,
      details: { method: 'totp', recoveryCodes: recoveryCodes.length },
    });
    return { ok: true, recoveryCodes };
  });
}

export type RegenerateOutcome = { ok: true; recoveryCodes: string[] } | ReauthFailure | Failure<'not_enabled'>;

/** New recovery codes; the old ones stop working at once. */
export async function regenerateRecoveryCodes(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { currentPassword: string; sourceIp: string },
): Promise<RegenerateOutcome> {
  const attempted = { type: 'twofactor.enabled', details: { method: 'recovery_code', regenerated: true } } as const;
  const failed = await reauthenticate(ctx, auth, input, attempted);
  if (failed) return failed;
  return ctx.store.transaction((): RegenerateOutcome => {
    if (secondFactorMethods(ctx, auth.user.id).length === 0) return { ok: false, reason: 'not_enabled' };
    const recoveryCodes = issueRecoveryCodes(ctx, auth.user.id);
    ctx.audit.append({
      ...attempted,
      outcome: 'success',
      actor: actorOf(auth.user),
      sourceIp: input.sourceIp,
      target: `user:${auth.user.id}`,
    });
    return { ok: true, recoveryCodes };
  });
}

export type DisableOutcome = { ok: true } | ReauthFailure | Failure<'not_enabled'>;

/** Turns two-factor off: the authenticator app's secret, every passkey and every recovery code are forgotten. */
export async function disableTwoFactor(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { currentPassword: string; sourceIp: string },
): Promise<DisableOutcome> {
  const attempted = { type: 'twofactor.disabled', details: { method: 'all' } } as const;
  const failed = await reauthenticate(ctx, auth, input, attempted);
  if (failed) return failed;
  return ctx.store.transaction((): DisableOutcome => {
    if (!ctx.twoFactor.getTotp(auth.user.id) && ctx.twoFactor.listPasskeys(auth.user.id).length === 0) {
      return { ok: false, reason: 'not_enabled' };
    }
    ctx.twoFactor.removeAllFactors(auth.user.id);
    ctx.audit.append({ ...attempted, outcome: 'success', actor: actorOf(auth.user), sourceIp: input.sourceIp, target: `user:${auth.user.id}` });
    return { ok: true };
  });
}

export type PasskeyStartOutcome = { ok: true; options: PublicKeyCredentialCreationOptionsJSON } | ReauthFailure;

/** Adding a passkey, step 1 (needs the password): what the browser passes to navigator.credentials.create. */
export async function startPasskeyRegistration(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { currentPassword: string; sourceIp: string; rp: RelyingParty },
): Promise<PasskeyStartOutcome> {
  const failed = await reauthenticate(ctx, auth, input, { type: 'twofactor.enabled', details: { method: 'webauthn' } });
  if (failed) return failed;
  return { ok: true, options: await passkeyRegistrationOptions(ctx, auth.user, input.rp) };
}

export type PasskeyFinishOutcome = { ok: true; recoveryCodes: string[] | null } | Failure<'invalid_passkey'>;

/**
 * Step 2: the authenticator's answer to the registration started (with the password) in the last
 * 5 minutes. The first factor of an account also brings its recovery codes, shown this once.
 */
export async function finishPasskeyRegistration(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { name: string; response: RegistrationResponseJSON; sourceIp: string; rp: RelyingParty },
): Promise<PasskeyFinishOutcome> {
  const verified = await verifyPasskeyRegistration(ctx, auth.user.id, input.response, input.rp);
  if (!verified) return { ok: false, reason: 'invalid_passkey' };
  return ctx.store.transaction((): PasskeyFinishOutcome => {
    if (ctx.twoFactor.passkeyExists(verified.credentialId)) return { ok: false, reason: 'invalid_passkey' };
    const firstFactor = secondFactorMethods(ctx, auth.user.id).length === 0;
    ctx.twoFactor.addPasskey({ ...verified, userId: auth.user.id, name: input.name, createdAt: ctx.clock.now() });
    const recoveryCodes = firstFactor ? issueRecoveryCodes(ctx, auth.user.id) : null;
    ctx.audit.append({
      type: 'twofactor.enabled',
      outcome: 'success',
      actor: actorOf(auth.user),
      sourceIp: input.sourceIp,
      target: `user:${auth.user.id}`,
      details: { method: 'webauthn', name: input.name },
    });
    return { ok: true, recoveryCodes };
  });
}

export type PasskeyRemoveOutcome = { ok: true } | ReauthFailure | Failure<'passkey_not_found'>;

/** Removes one passkey (needs the password). Removing the last factor turns two-factor off altogether. */
export async function removePasskey(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { passkeyId: number; currentPassword: string; sourceIp: string },
): Promise<PasskeyRemoveOutcome> {
  const attempted = { type: 'twofactor.disabled', details: { method: 'webauthn' } } as const;
  const failed = await reauthenticate(ctx, auth, input, attempted);
  if (failed) return failed;
  return ctx.store.transaction((): PasskeyRemoveOutcome => {
    if (!ctx.twoFactor.removePasskey(auth.user.id, input.passkeyId)) return { ok: false, reason: 'passkey_not_found' };
    if (secondFactorMethods(ctx, auth.user.id).length === 0) ctx.twoFactor.removeAllFactors(auth.user.id);
    ctx.audit.append({ ...attempted, outcome: 'success', actor: actorOf(auth.user), sourceIp: input.sourceIp, target: `user:${auth.user.id}` });
    return { ok: true };
  });
}

export type PolicyOutcome = { ok: true } | ReauthFailure | Failure<'own_two_factor_missing'>;

/** "Everyone must use 2FA": an admin turns it on only once they use 2FA themselves, so it cannot shut them into enrolment by surprise. */
export async function setTwoFactorRequired(
  ctx: TwoFactorServices,
  auth: Authenticated,
  input: { required: boolean; currentPassword: string; sourceIp: string },
): Promise<PolicyOutcome> {
  const attempted = { type: 'settings.changed', details: { setting: 'two_factor_required', value: input.required } } as const;
  const failed = await reauthenticate(ctx, auth, input, attempted);
  if (failed) return failed;
  if (input.required && secondFactorMethods(ctx, auth.user.id).length === 0) return { ok: false, reason: 'own_two_factor_missing' };
  ctx.store.transaction(() => {
    ctx.twoFactor.setTwoFactorRequired(input.required, ctx.clock.now());
    ctx.audit.append({ ...attempted, outcome: 'success', actor: actorOf(auth.user), sourceIp: input.sourceIp, target: 'settings:two-factor' });
  });
  return { ok: true };
}

export interface SecondFactorChallenge {
  challenge: string;
  methods: SecondFactorMethod[];
  expiresAt: number;
  /** For navigator.credentials.get, when the user has passkeys and the recorder was reached by name. */
  webauthn?: PublicKeyCredentialRequestOptionsJSON;
}

/**
 * After the right password, for a user with 2FA: an opaque, single-use token for the second step.
 * Passkeys are offered only with a relying party (the recorder reached by a DNS name).
 */
export async function startSecondFactor(
  ctx: TwoFactorServices,
  user: UserRecord,
  methods: SecondFactorMethod[],
  rp: RelyingParty | undefined,
): Promise<SecondFactorChallenge> {
  const webauthn = rp && methods.includes('webauthn') ? await passkeyLoginOptions(ctx, user.id, rp) : undefined;
  const challenge = randomToken(32);
  const now = ctx.clock.now();
  const expiresAt = now + CHALLENGE_LIFETIME_SECONDS * 1000;
  ctx.twoFactor.createChallenge({
    tokenHash: sha256Hex(challenge),
    userId: user.id,
    createdAt: now,
    expiresAt,
    failures: 0,
    endedAt: null,
    webauthnChallenge: webauthn?.challenge ?? null,
  });
  return { challenge, methods: webauthn ? methods : methods.filter((m) => m !== 'webauthn'), expiresAt, webauthn };
}

export type SecondFactorProof = { totp: string } | { recoveryCode: string } | { webauthn: AuthenticationResponseJSON };

export type SecondFactorOutcome =
  | { ok: true; user: UserRecord; method: SecondFactorMethod }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | Failure<'invalid_challenge' | 'invalid_second_factor'>;

export type Verdict = 'accepted' | 'wrong' | 'replayed';

export function checkTotp(ctx: FactorChecking, userId: number, code: string, now: number): Verdict {
  const factor = ctx.twoFactor.getTotp(userId);
  if (!factor?.confirmedAt) return 'wrong';
  const step = matchTotpStep(openSecret(ctx.twoFactorKey, userId, factor.secretSealed), code, now);
  if (step === undefined) return 'wrong';
  // One conditional UPDATE decides: of concurrent requests with one code, exactly one moves the step.
  return ctx.twoFactor.advanceTotpStep(userId, step) ? 'accepted' : 'replayed';
}

export function checkRecoveryCode(ctx: FactorChecking, userId: number, typed: string, now: number): Verdict {
  const code = normalizeRecoveryCode(typed);
  if (code === undefined) return 'wrong';
  return ctx.twoFactor.useRecoveryCode(userId, recoveryCodeHash(ctx.twoFactorKey, userId, code), now) ? 'accepted' : 'wrong';
}

function liveChallenge(ctx: TwoFactorServices, tokenHash: string, now: number) {
  const challenge = ctx.twoFactor.findChallenge(tokenHash);
  const user = challenge && ctx.store.getUser(challenge.userId);
  return challenge && user && challenge.endedAt === null && challenge.expiresAt > now ? { challenge, user } : undefined;
}

/**
 * A passkey's signature is checked before the transaction (it is asynchronous); inside it, the
 * counter must still move forward, so the same assertion cannot be used twice.
 */
async function passkeyCheck(
  ctx: TwoFactorServices,
  live: NonNullable<ReturnType<typeof liveChallenge>>,
  response: AuthenticationResponseJSON,
  rp: RelyingParty | undefined,
): Promise<(now: number) => Verdict> {
  const expected = live.challenge.webauthnChallenge;
  const verified = rp && expected ? await verifyPasskeyAssertion(ctx, live.user.id, expected, response, rp) : undefined;
  return (now) => (!verified ? 'wrong' : ctx.twoFactor.usePasskey(verified.passkey.id, verified.newCounter, now) ? 'accepted' : 'replayed');
}

/** The second step of a login. On success the challenge is spent; a few wrong codes burn it too. */
export async function completeSecondFactor(
  ctx: TwoFactorServices,
  input: { challenge: string; proof: SecondFactorProof; sourceIp: string; deviceCookie?: string; rp: RelyingParty | undefined },
): Promise<SecondFactorOutcome> {
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  const tokenHash = sha256Hex(input.challenge);
  const before = liveChallenge(ctx, tokenHash, ctx.clock.now());
  if (!before) return { ok: false, reason: 'invalid_challenge' };
  // Wrong codes count in the same per-(account, client) lockout as wrong passwords.
  const account = loginAccount(before.user, before.user.username);
  const client = loginClientOf(ctx.store.getDevice()!.serverSecret, input.deviceCookie, before.user, input.sourceIp, ctx.clock.now());
  const gate = await ctx.lockout.gate(account, client);
  if (gate.verdict === 'client_locked') return { ok: false, reason: 'throttled', retryAfterSeconds: gate.retryAfterSeconds };
  // An account closed to unknown clients checks none of their secrets, codes no more than passwords:
  // someone who has the password and many addresses would otherwise have no limit per account.
  const checksProof = gate.verdict === 'open';
  const { proof } = input;
  const checkPasskey = checksProof && 'webauthn' in proof ? await passkeyCheck(ctx, before, proof.webauthn, input.rp) : undefined;

  const now = ctx.clock.now();
  const method: SecondFactorMethod = 'totp' in proof ? 'totp' : 'recoveryCode' in proof ? 'recovery_code' : 'webauthn';
  // The lockout keeps its attempts behind an async port: what the check does to it follows the transaction.
  let lockoutEffect: 'reset' | 'failure' | undefined;
  const outcome = ctx.store.transaction((): SecondFactorOutcome => {
    // Checked again: another request may have spent the challenge while the passkey was verified.
    const user = liveChallenge(ctx, tokenHash, now)?.user;
    if (!user) return { ok: false, reason: 'invalid_challenge' };
    const verdict = !checksProof
      ? 'wrong'
      : 'totp' in proof
        ? checkTotp(ctx, user.id, proof.totp, now)
        : 'recoveryCode' in proof
          ? checkRecoveryCode(ctx, user.id, proof.recoveryCode, now)
          : checkPasskey!(now);
    const audited = { actor: actorOf(user), sourceIp: input.sourceIp, target: `user:${user.id}` };

    if (verdict === 'accepted') {
      ctx.twoFactor.endChallenge(tokenHash, now);
      lockoutEffect = 'reset';
      if (method === 'recovery_code') {
        ctx.audit.append({
          ...audited,
          type: 'twofactor.recovery_code_used',
          outcome: 'success',
          details: { remaining: ctx.twoFactor.remainingRecoveryCodes(user.id) },
        });
      }
      return { ok: true, user, method };
    }

    if (verdict === 'replayed') {
      ctx.audit.append({ ...audited, type: 'twofactor.replay_rejected', outcome: 'failure', details: { method } });
    }
    ctx.audit.append({ ...audited, type: 'auth.login_failed', outcome: 'failure', details: { secondFactor: method, reason: verdict === 'replayed' ? 'replayed_code' : 'wrong_code' } });
    if (ctx.twoFactor.countChallengeFailure(tokenHash) >= MAX_CHALLENGE_FAILURES) ctx.twoFactor.endChallenge(tokenHash, now);
    lockoutEffect = 'failure';
    return { ok: false, reason: 'invalid_second_factor' };
  });
  if (lockoutEffect === 'reset') await ctx.lockout.succeeded(account, client);
  if (lockoutEffect === 'failure') {
    // Against the account from this client, against the account's budget for unknown clients (a
    // checked code is a guess like a password), and against the source address.
    const locks = await ctx.lockout.reserve(account, client, checksProof);
    if (locks.verdict !== 'client_locked') {
      for (const details of startedLockDetails(client, locks, ctx.lockout.policy)) {
        ctx.audit.append({ type: 'auth.lockout', outcome: 'info', sourceIp: input.sourceIp, target: account.target, details });
      }
    }
    countFailedAttempt(ctx, input.sourceIp);
    ctx.logger.warn({ event: 'second_factor_failed', sourceIp: input.sourceIp, method }, 'wrong second factor');
  }
  return outcome;
}
