import { passwordLogin, type PasswordLoginServices } from '../../identity/login/password-login.js';
import type { SecondFactorMethod } from '../../identity/two-factor/methods.js';
import { completeSecondFactor, startSecondFactor, type SecondFactorProof, type StartedSecondStep } from '../../identity/two-factor/second-factor.js';
import type { LoginAccountRow } from '../db/accounts.js';
import { openSession, type CloudSessions } from './sessions.js';
import type { CloudTwoFactor } from './two-factor.js';

export interface CloudLoginServices extends PasswordLoginServices<LoginAccountRow, SecondFactorMethod> {
  sessions: CloudSessions;
  twoFactor: CloudTwoFactor;
}

export interface LoginClientInfo {
  sourceIp: string;
  userAgent: string;
}

export type CloudLoginOutcome =
  | { ok: true; token: string; accountId: number }
  /** The password was right and the account has a second factor: no session until its step is done. */
  | { ok: true; secondStep: StartedSecondStep }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Unknown address, unverified account and wrong password: one outcome. */
  | { ok: false; reason: 'invalid_credentials' };

/**
 * Logs in with an email address or a phone number (`name`) and a password through the core's
 * password login: a session for an account without a second factor, else the challenge of the
 * second step (the core's).
 */
export async function logIn(s: CloudLoginServices, input: LoginClientInfo & { name: string; password: string }): Promise<CloudLoginOutcome> {
  const outcome = await passwordLogin(s, { username: input.name.trim().toLowerCase(), password: input.password, sourceIp: input.sourceIp });
  if (!outcome.ok) return outcome.reason === 'throttled' ? outcome : { ok: false, reason: 'invalid_credentials' };
  if (outcome.secondFactorMethods.length > 0) {
    return { ok: true, secondStep: await startSecondFactor(s.twoFactor, outcome.account, outcome.secondFactorMethods, s.twoFactor.rp) };
  }
  const { token } = await openSession(s.sessions, outcome.account, { ip: input.sourceIp, userAgent: input.userAgent });
  return { ok: true, token, accountId: outcome.account.id };
}

export type SecondStepOutcome =
  | { ok: true; token: string; accountId: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Unknown, expired, used or burnt challenge. */
  | { ok: false; reason: 'invalid_challenge' }
  | { ok: false; reason: 'invalid_second_factor' };

/** The second step: a TOTP code, a recovery code or a passkey's assertion for the challenge; the session opens only now. */
export async function completeLogin(
  s: CloudLoginServices,
  input: LoginClientInfo & { challenge: string; proof: SecondFactorProof },
): Promise<SecondStepOutcome> {
  const outcome = await completeSecondFactor(s.twoFactor, { challenge: input.challenge, proof: input.proof, sourceIp: input.sourceIp, rp: s.twoFactor.rp });
  if (!outcome.ok) return outcome;
  const { token } = await openSession(s.sessions, outcome.user, { ip: input.sourceIp, userAgent: input.userAgent }, { secondFactor: outcome.method });
  return { ok: true, token, accountId: outcome.user.id };
}
