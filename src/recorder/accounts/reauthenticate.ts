import { reauthenticate as reauthenticateAccount, type ReauthFailure } from '../../identity/passwords/reauthentication.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { sourceThrottleOf, type FailureCounting } from './failed-attempts.js';
import type { Authenticated } from './sessions.js';

export type ReauthOutcome = { ok: true } | ReauthFailure;

/**
 * The core's re-authentication (identity/passwords/reauthentication.ts) for a logged-in user of the
 * recorder, before a change that matters (where security mail goes, the recovery evidence). Not
 * audited here: each caller audits its change as it needs.
 */
export async function reauthenticate(ctx: FailureCounting & { hasher: PasswordHasher }, auth: Authenticated, password: string, sourceIp: string): Promise<ReauthOutcome> {
  const deps = { hasher: ctx.hasher, sourceThrottle: sourceThrottleOf(ctx), audit: ctx.audit };
  return (await reauthenticateAccount(deps, auth.user, { currentPassword: password, sourceIp })) ?? { ok: true };
}
