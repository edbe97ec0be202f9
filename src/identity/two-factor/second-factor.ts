import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { randomToken, sha256Hex } from '../../shared/secrets.js';
import type { SecurityEventLog } from '../audit/security-event.js';
import type { SecondFactorChallengeStore } from './challenge-store.js';
import { checkRecoveryCode, checkTotp, type FactorChecking, type Verdict } from './factor-checks.js';
import type { TwoFactorFactorStore } from './factor-store.js';
import type { SecondFactorMethod } from './methods.js';
import type { Failure, Throttled } from './outcomes.js';
import { passkeyLoginOptions, verifyPasskeyAssertion, type RelyingParty } from './passkeys.js';
import { actorOf } from './change-audit.js';
import type { SourceFailures, TwoFactorAccount } from './reauthentication.js';

/** How long the step between password and second factor may take, and how many wrong codes burn it. */
export const CHALLENGE_LIFETIME_SECONDS = 5 * 60;
export const MAX_CHALLENGE_FAILURES = 5;

/**
 * One client's attempt on an account, in the part's login lockout: wrong second factors count
 * there like wrong passwords. The part knows what a client is (an address, a device cookie).
 */
export interface SecondStepAttempt {
  /** `locked`: refused before any check. `closed`: the account is closed to this client, so no proof is checked (answered as a wrong one). */
  gate: { verdict: 'open' } | { verdict: 'closed' } | { verdict: 'locked'; retryAfterSeconds: number };
  succeeded(): Promise<void>;
  /** Counts a failure (against the account's budget for unknown clients only when a proof was checked) and records the locks it starts. */
  failed(checkedProof: boolean): Promise<void>;
}

export interface SecondStepLockout<A> {
  attempt(account: A, client: { sourceIp: string; deviceCookie?: string }): Promise<SecondStepAttempt>;
}

/** What the second step of a login goes through. */
export interface SecondStep<A extends TwoFactorAccount> extends FactorChecking {
  twoFactorChallenges: Pick<SecondFactorChallengeStore, 'createChallenge' | 'findChallenge' | 'countChallengeFailure' | 'endChallenge'>;
  accounts: { findAccount(accountId: number): Promise<A | undefined> };
  secondStepLockout: SecondStepLockout<A>;
  sourceFailures: SourceFailures;
  twoFactor: FactorChecking['twoFactor'] & Pick<TwoFactorFactorStore, 'recordPasskeyUse' | 'remainingRecoveryCodes'>;
  audit: SecurityEventLog;
  logger: Pick<Logger, 'warn'>;
  clock: Clock;
}

export interface StartedSecondStep {
  challenge: string;
  methods: SecondFactorMethod[];
  expiresAt: number;
  /** For navigator.credentials.get, when the account has passkeys and the service was reached by name. */
  webauthn?: PublicKeyCredentialRequestOptionsJSON;
}

/**
 * After the right password, for an account with 2FA: an opaque, single-use token for the second
 * step. Passkeys are offered only with a relying party (the service reached by a DNS name).
 */
export async function startSecondFactor<A extends TwoFactorAccount>(
  ctx: Pick<SecondStep<A>, 'twoFactor' | 'twoFactorChallenges' | 'clock'>,
  account: A,
  methods: SecondFactorMethod[],
  rp: RelyingParty | undefined,
): Promise<StartedSecondStep> {
  const webauthn = rp && methods.includes('webauthn') ? await passkeyLoginOptions(ctx, account.id, rp) : undefined;
  const challenge = randomToken(32);
  const now = ctx.clock.now();
  const expiresAt = now + CHALLENGE_LIFETIME_SECONDS * 1000;
  await ctx.twoFactorChallenges.createChallenge({
    tokenHash: sha256Hex(challenge),
    accountId: account.id,
    createdAt: now,
    expiresAt,
    failures: 0,
    endedAt: null,
    webauthnChallenge: webauthn?.challenge ?? null,
  });
  return { challenge, methods: webauthn ? methods : methods.filter((m) => m !== 'webauthn'), expiresAt, webauthn };
}

export type SecondFactorProof = { totp: string } | { recoveryCode: string } | { webauthn: AuthenticationResponseJSON };

export type SecondFactorOutcome<A> =
  | { ok: true; user: A; method: SecondFactorMethod }
  | Throttled
  | Failure<'invalid_challenge' | 'invalid_second_factor'>;

async function liveChallenge<A extends TwoFactorAccount>(ctx: SecondStep<A>, tokenHash: string, now: number) {
  const challenge = await ctx.twoFactorChallenges.findChallenge(tokenHash);
  if (!challenge || challenge.endedAt !== null || challenge.expiresAt <= now) return undefined;
  const account = await ctx.accounts.findAccount(challenge.accountId);
  return account && { challenge, account };
}

const methodOf = (proof: SecondFactorProof): SecondFactorMethod => ('totp' in proof ? 'totp' : 'recoveryCode' in proof ? 'recovery_code' : 'webauthn');

/**
 * A passkey's assertion, if it signs this login's challenge with one of the account's passkeys; the
 * use is recorded only if the signature counter moved forward, so one assertion works once.
 */
async function checkPasskey<A extends TwoFactorAccount>(
  ctx: SecondStep<A>,
  live: NonNullable<Awaited<ReturnType<typeof liveChallenge<A>>>>,
  response: AuthenticationResponseJSON,
  rp: RelyingParty | undefined,
): Promise<(now: number) => Promise<Verdict>> {
  const expected = live.challenge.webauthnChallenge;
  const verified = rp && expected ? await verifyPasskeyAssertion(ctx, live.account.id, expected, response, rp) : undefined;
  return async (now) => (!verified ? 'wrong' : (await ctx.twoFactor.recordPasskeyUse(verified.passkey.id, verified.newCounter, now)) ? 'accepted' : 'replayed');
}

/**
 * The second step of a login. On success the challenge is spent; a few wrong codes burn it too.
 * Every store call is atomic on its own and other requests run between them, so a proof is checked
 * only by the request that ended the challenge for it: one check at a time per challenge, never
 * more wrong ones than the limit, and of concurrent submissions exactly one logs in.
 */
export async function completeSecondFactor<A extends TwoFactorAccount>(
  ctx: SecondStep<A>,
  input: { challenge: string; proof: SecondFactorProof; sourceIp: string; deviceCookie?: string; rp: RelyingParty | undefined },
): Promise<SecondFactorOutcome<A>> {
  const throttle = await ctx.sourceFailures.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  const tokenHash = sha256Hex(input.challenge);
  const before = await liveChallenge(ctx, tokenHash, ctx.clock.now());
  if (!before) return { ok: false, reason: 'invalid_challenge' };
  // Wrong codes count in the same per-(account, client) lockout as wrong passwords.
  const attempt = await ctx.secondStepLockout.attempt(before.account, input);
  if (attempt.gate.verdict === 'locked') return { ok: false, reason: 'throttled', retryAfterSeconds: attempt.gate.retryAfterSeconds };
  // An account closed to unknown clients checks none of their secrets, codes no more than passwords:
  // someone who has the password and many addresses would otherwise have no limit per account.
  const checksProof = attempt.gate.verdict === 'open';
  const { proof } = input;
  const method = methodOf(proof);
  const passkey = checksProof && 'webauthn' in proof ? await checkPasskey(ctx, before, proof.webauthn, input.rp) : undefined;

  const now = ctx.clock.now();
  // Taken for this check: concurrent requests find it ended (another request may also have used
  // or burnt it while this one waited). A wrong proof gives it back, below the limit.
  if (!(await ctx.twoFactorChallenges.endChallenge(tokenHash, now))) return { ok: false, reason: 'invalid_challenge' };
  const { account } = before;
  const verdict: Verdict = !checksProof
    ? 'wrong'
    : 'totp' in proof
      ? await checkTotp(ctx, account.id, proof.totp, now)
      : 'recoveryCode' in proof
        ? await checkRecoveryCode(ctx, account.id, proof.recoveryCode, now)
        : await passkey!(now);
  const audited = { actor: actorOf(account), sourceIp: input.sourceIp, target: `user:${account.id}` };

  if (verdict === 'accepted') {
    await attempt.succeeded();
    if (method === 'recovery_code') {
      ctx.audit.append({
        ...audited,
        type: 'twofactor.recovery_code_used',
        outcome: 'success',
        details: { remaining: await ctx.twoFactor.remainingRecoveryCodes(account.id) },
      });
    }
    return { ok: true, user: account, method };
  }

  if (verdict === 'replayed') {
    ctx.audit.append({ ...audited, type: 'twofactor.replay_rejected', outcome: 'failure', details: { method } });
  }
  ctx.audit.append({
    ...audited,
    type: 'auth.login_failed',
    outcome: 'failure',
    details: { secondFactor: method, reason: verdict === 'replayed' ? 'replayed_code' : 'wrong_code' },
  });
  await ctx.twoFactorChallenges.countChallengeFailure(tokenHash, MAX_CHALLENGE_FAILURES, now);
  // Against the account from this client, against the account's budget for unknown clients (a
  // checked code is a guess like a password), and against the source address.
  await attempt.failed(checksProof);
  await ctx.sourceFailures.count(input.sourceIp);
  ctx.logger.warn({ event: 'second_factor_failed', sourceIp: input.sourceIp, method }, 'wrong second factor');
  return { ok: false, reason: 'invalid_second_factor' };
}
