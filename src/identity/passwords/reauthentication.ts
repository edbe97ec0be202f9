import type { SecurityEvent, SecurityEventLog } from '../audit/security-event.js';
import type { SourceThrottle } from '../lockout/source-throttle.js';
import type { PasswordHasher } from './hash.js';

/** The account whose password is asked again, as the core needs to know it. */
export interface ReauthenticatingAccount {
  id: number;
  username: string;
  passwordHash: string;
}

export type ReauthFailure = { ok: false; reason: 'invalid_current_password' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** What re-authentication uses: the hasher, the source throttle, the part's audit log. */
export interface Reauthenticating {
  hasher: Pick<PasswordHasher, 'verify'>;
  sourceThrottle: Pick<SourceThrottle, 'check' | 'countFailure'>;
  audit: SecurityEventLog;
}

/**
 * A change that matters (an account's second factors, where its security mail goes, its recovery
 * evidence) needs its password in the same request: a session left open on a shared screen must
 * not be enough. A wrong password counts against the source, so a stolen session is no password
 * oracle. With `attempted`, it is also audited as a failure of that change; without, the caller
 * audits it as its change needs (or, like a recovery path's own check, not at all).
 */
export async function reauthenticate(
  ctx: Reauthenticating,
  account: ReauthenticatingAccount,
  input: { currentPassword: string; sourceIp: string },
  attempted?: Pick<SecurityEvent, 'type' | 'details'>,
): Promise<ReauthFailure | undefined> {
  const throttle = await ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  if ((await ctx.hasher.verify(account.passwordHash, input.currentPassword)).valid) return undefined;
  if (attempted) {
    ctx.audit.append({
      ...attempted,
      outcome: 'failure',
      actor: { id: account.id, username: account.username },
      sourceIp: input.sourceIp,
      target: `user:${account.id}`,
      details: { ...attempted.details, reason: 'invalid_current_password' },
    });
  }
  await ctx.sourceThrottle.countFailure(input.sourceIp);
  return { ok: false, reason: 'invalid_current_password' };
}
