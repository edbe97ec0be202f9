import type { SecurityEvent, SecurityEventLog } from '../audit/security-event.js';
import type { ThrottleDecision } from '../lockout/attempt-throttle.js';
import type { PasswordHasher } from '../passwords/hash.js';
import { actorOf } from './change-audit.js';
import type { ReauthFailure } from './outcomes.js';

/** The account a two-factor service acts for, as the core needs to know it. */
export interface TwoFactorAccount {
  id: number;
  username: string;
  passwordHash: string;
}

/**
 * The part's throttle of failures per source address, as two-factor services use it: asked before
 * anything is hashed or checked, told of every failure (the part audits the block it starts).
 */
export interface SourceFailures {
  check(sourceIp: string): Promise<ThrottleDecision>;
  count(sourceIp: string): Promise<void>;
}

/** What re-authentication uses: the hasher, the source throttle, the part's audit log. */
export interface Reauthenticating {
  hasher: Pick<PasswordHasher, 'verify'>;
  sourceFailures: SourceFailures;
  audit: SecurityEventLog;
}

/**
 * Every change to an account's second factors needs its password in the same request: a session
 * left open on a shared screen must not be enough to turn 2FA off or take over its codes. A wrong
 * password is audited as a failure of what was `attempted`, and counted against the source.
 */
export async function reauthenticate(
  ctx: Reauthenticating,
  account: TwoFactorAccount,
  input: { currentPassword: string; sourceIp: string },
  attempted: Pick<SecurityEvent, 'type' | 'details'>,
): Promise<ReauthFailure | undefined> {
  const throttle = await ctx.sourceFailures.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  if ((await ctx.hasher.verify(account.passwordHash, input.currentPassword)).valid) return undefined;
  ctx.audit.append({
    ...attempted,
    outcome: 'failure',
    actor: actorOf(account),
    sourceIp: input.sourceIp,
    target: `user:${account.id}`,
    details: { ...attempted.details, reason: 'invalid_current_password' },
  });
  await ctx.sourceFailures.count(input.sourceIp);
  return { ok: false, reason: 'invalid_current_password' };
}
