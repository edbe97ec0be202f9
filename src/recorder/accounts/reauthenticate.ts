import type { SecurityEvent } from '../../identity/audit/security-event.js';
import { reauthenticate as reauthenticateAccount, type ReauthFailure } from '../../identity/passwords/reauthentication.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { sourceThrottleOf, type FailureCounting } from './failed-attempts.js';
import type { Authenticated } from './sessions.js';

export type ReauthOutcome = { ok: true } | ReauthFailure;

/**
 * The core's re-authentication (identity/passwords/reauthentication.ts) for a logged-in user of the
 * recorder, before a change that matters (its password, where security mail goes, the recovery
 * evidence). A wrong password is audited as a failure of what was `attempted`, when named.
 */
export async function reauthenticate(
  ctx: FailureCounting & { hasher: PasswordHasher },
  auth: Authenticated,
  password: string,
  sourceIp: string,
  attempted?: Pick<SecurityEvent, 'type' | 'details'>,
): Promise<ReauthOutcome> {
  const deps = { hasher: ctx.hasher, sourceThrottle: sourceThrottleOf(ctx), audit: ctx.audit };
  return (await reauthenticateAccount(deps, auth.user, { currentPassword: password, sourceIp }, attempted)) ?? { ok: true };
}
