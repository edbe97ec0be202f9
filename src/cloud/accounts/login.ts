import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import { passwordLogin, type PasswordLoginServices } from '../../identity/login/password-login.js';
import type { LoginAccountRow } from '../db/accounts.js';
import { openSession, type CloudSessions } from './sessions.js';

/** The second factors a cloud account can have. */
export type CloudSecondFactor = 'totp' | 'passkey';

export interface CloudLoginServices extends PasswordLoginServices<LoginAccountRow, CloudSecondFactor> {
  sessions: CloudSessions;
}

/** The second factors an account has confirmed: a login is complete only without any. */
export async function secondFactorsOf(factors: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys'>, accountId: number): Promise<CloudSecondFactor[]> {
  const [totp, passkeys] = await Promise.all([factors.getTotp(accountId), factors.listPasskeys(accountId)]);
  return [...(totp?.confirmedAt != null ? (['totp'] as const) : []), ...(passkeys.length > 0 ? (['passkey'] as const) : [])];
}

export type CloudLoginOutcome =
  | { ok: true; token: string; accountId: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Unknown address, unverified account and wrong password: one outcome. */
  | { ok: false; reason: 'invalid_credentials' }
  /** The password was right; the second factor's step does not exist in the cloud yet, so no session either. */
  | { ok: false; reason: 'second_factor_required' };

/** Logs in with an email address and a password through the core's password login; opens a session. */
export async function logIn(s: CloudLoginServices, input: { email: string; password: string; sourceIp: string; userAgent: string }): Promise<CloudLoginOutcome> {
  const outcome = await passwordLogin(s, { username: input.email.trim().toLowerCase(), password: input.password, sourceIp: input.sourceIp });
  if (!outcome.ok) return outcome.reason === 'throttled' ? outcome : { ok: false, reason: 'invalid_credentials' };
  if (outcome.secondFactorMethods.length > 0) return { ok: false, reason: 'second_factor_required' };
  const { token } = await openSession(s.sessions, outcome.account, { ip: input.sourceIp, userAgent: input.userAgent });
  return { ok: true, token, accountId: outcome.account.id };
}
