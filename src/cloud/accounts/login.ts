import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import { passwordLogin, type PasswordLoginServices } from '../../identity/login/password-login.js';
import type { SessionStore } from '../../identity/sessions/session-store.js';
import { newSessionToken } from '../../identity/sessions/tokens.js';
import type { LoginAccountRow } from '../db/accounts.js';

/** The second factors a cloud account can have. */
export type CloudSecondFactor = 'totp' | 'passkey';

export interface CloudLoginServices extends PasswordLoginServices<LoginAccountRow, CloudSecondFactor> {
  sessions: SessionStore;
  /** What a complete login of the owner also does (it cancels a waiting account recovery). */
  afterLogin?: (accountId: number, sourceIp: string) => Promise<void>;
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
  const now = s.clock.now();
  const { token, tokenHash, id } = newSessionToken();
  // The session and its audit entry are stored in one step: both or neither.
  await s.sessions.create(
    {
      id,
      tokenHash,
      accountId: outcome.account.id,
      createdAt: now,
      createdIp: input.sourceIp,
      userAgent: input.userAgent.slice(0, 256),
      lastSeenAt: now,
      lastSeenIp: input.sourceIp,
      revokedAt: null,
      revokedReason: null,
    },
    [{ type: 'auth.login', outcome: 'success', actor: { id: outcome.account.id, username: outcome.account.username }, sourceIp: input.sourceIp, target: `session:${id}` }],
  );
  await s.afterLogin?.(outcome.account.id, input.sourceIp);
  return { ok: true, token, accountId: outcome.account.id };
}
