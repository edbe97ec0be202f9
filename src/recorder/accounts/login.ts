import type { RecorderContext } from '../context.js';
import type { UserRecord } from '../db/store.js';
import { countFailedAttempt } from './failed-attempts.js';
import { oneTimePasswordExpired } from './one-time-password.js';
import { isAllowed } from './login-allow-list.js';

export type LoginOutcome =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Outside the login allow-list: refused before any password is hashed. */
  | { ok: false; reason: 'address_not_allowed' }
  /** Unknown user and wrong password are one outcome: nothing downstream can tell them apart. */
  | { ok: false; reason: 'invalid_credentials' }
  /** The right one-time password, too late. Only someone who knew it learns this. */
  | { ok: false; reason: 'one_time_password_expired' };

export async function checkCredentials(
  ctx: RecorderContext,
  input: { username: string; password: string; sourceIp: string },
): Promise<LoginOutcome> {
  const throttle = ctx.sourceThrottle.check(input.sourceIp);
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };

  const rules = ctx.securitySettings.getLoginRules();
  if (rules.allowListEnabled && !isAllowed(input.sourceIp, rules.allowList)) {
    ctx.audit.append({
      type: 'auth.login_failed',
      outcome: 'failure',
      actor: { id: null, username: input.username.slice(0, 64) },
      sourceIp: input.sourceIp,
      details: { reason: 'address_not_allowed' },
    });
    // Counted like a failure, so a flood of refused attempts gets throttled instead of filling the audit log.
    countFailedAttempt(ctx, input.sourceIp);
    return { ok: false, reason: 'address_not_allowed' };
  }

  const user = ctx.store.findUserByUsername(input.username.normalize('NFC'));
  const result = user ? await ctx.hasher.verify(user.passwordHash, input.password) : undefined;
  if (!user || !result?.valid) {
    if (!user) await ctx.hasher.verifyDummy(input.password);
    ctx.audit.append({
      type: 'auth.login_failed',
      outcome: 'failure',
      actor: { id: user?.id ?? null, username: input.username.slice(0, 64) },
      sourceIp: input.sourceIp,
    });
    countFailedAttempt(ctx, input.sourceIp);
    ctx.logger.warn({ event: 'login_failed', sourceIp: input.sourceIp }, 'login failed');
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (oneTimePasswordExpired(user, ctx.clock.now())) {
    ctx.audit.append({
      type: 'auth.login_failed',
      outcome: 'failure',
      actor: { id: user.id, username: user.username },
      sourceIp: input.sourceIp,
      details: { reason: 'one_time_password_expired' },
    });
    return { ok: false, reason: 'one_time_password_expired' };
  }
  if (result.needsRehash) {
    ctx.store.replacePasswordHash(user.id, await ctx.hasher.hash(input.password));
  }
  return { ok: true, user };
}
