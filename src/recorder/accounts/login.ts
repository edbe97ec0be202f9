import type { Clock } from '../../shared/clock.js';
import type { ConcurrencyLimit } from '../../shared/concurrency-limit.js';
import type { Logger } from '../../shared/logger.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { SecuritySettingsStore } from '../db/security-settings-store.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import { loginClientOf } from './device-cookie.js';
import { auditIfSourceBlocked, countFailedAttempt, type FailureCounting } from './failed-attempts.js';
import { loginAccount, startedLockDetails, type LoginAccount, type LoginClient, type LoginLockout, type StartedLocks } from './lockout.js';
import { isAllowed } from './login-allow-list.js';
import { secondFactorMethods, type SecondFactorMethod } from '../../identity/two-factor/methods.js';
import { attemptEffect } from '../../identity/lockout/policy.js';
import { oneTimePasswordExpired } from '../../identity/passwords/one-time-password.js';

/** What a password login goes through: the accounts, the allow-list, the throttle and lockout, the hashing queue. */
export interface PasswordLogin extends FailureCounting {
  store: Pick<RecorderStore, 'findUserByUsername' | 'getDevice' | 'replacePasswordHash'>;
  securitySettings: Pick<SecuritySettingsStore, 'getLoginRules'>;
  lockout: Pick<LoginLockout, 'gate' | 'policy' | 'reserve' | 'succeeded' | 'withdraw'>;
  unknownClientHashing: ConcurrencyLimit;
  hasher: PasswordHasher;
  twoFactor: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys'>;
  logger: Logger;
  clock: Clock;
}

export type LoginOutcome =
  /** The password is right; the login is complete only when `secondFactorMethods` is empty. */
  | { ok: true; user: UserRecord; secondFactorMethods: SecondFactorMethod[] }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** Outside the login allow-list: refused before any password is hashed. */
  | { ok: false; reason: 'address_not_allowed' }
  /** Unknown user, wrong password and an account closed to unknown clients are one outcome: nothing downstream can tell them apart. */
  | { ok: false; reason: 'invalid_credentials' }
  /** The right one-time password, too late. Only someone who knew it learns this. */
  | { ok: false; reason: 'one_time_password_expired' };

/**
 * Checks a login, cheapest refusals first, and never hashes before they pass:
 * 0. the login allow-list, when an admin set one (loopback, the local console, is always allowed);
 * 1. the source address's throttle across accounts (not for a browser with a device cookie for the account);
 * 2. this client's lockout on this account (429, Retry-After);
 * 3. for unknown clients, the account's hourly budget: when spent, the answer is a wrong password's;
 * 4. the password.
 */
export async function checkCredentials(
  ctx: PasswordLogin,
  input: { username: string; password: string; sourceIp: string; deviceCookie?: string },
): Promise<LoginOutcome> {
  const rules = ctx.securitySettings.getLoginRules();
  if (rules.allowListEnabled && !isAllowed(input.sourceIp, rules.allowList)) {
    const throttle = ctx.sourceThrottle.check(input.sourceIp);
    if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
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

  const username = input.username.normalize('NFC');
  const user = ctx.store.findUserByUsername(username);
  const client = loginClientOf(ctx.store.getDevice()!.serverSecret, input.deviceCookie, user, input.sourceIp, ctx.clock.now());

  if (client.kind === 'address') {
    const throttle = ctx.sourceThrottle.check(input.sourceIp);
    if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }
  const account = loginAccount(user, username);
  const gate = ctx.lockout.gate(account, client);
  if (gate.verdict === 'client_locked') return { ok: false, reason: 'throttled', retryAfterSeconds: gate.retryAfterSeconds };
  const checksPassword = gate.verdict === 'open' && user !== undefined;

  // Counted as failed before the hash runs, so concurrent guesses cannot all pass the checks above.
  const reservation = ctx.lockout.reserve(account, client, gate.verdict === 'open');
  const sourceFailureAt = client.kind === 'address' ? ctx.sourceThrottle.record(input.sourceIp) : undefined;
  // An unknown name costs a dummy hash, so its answer takes as long as a wrong password's. An
  // account closed to unknown clients costs none: bounding the hashing a flood of addresses can
  // cause is the point of the budget. Its quicker answer tells only that the budget is spent, which
  // unknown names show alike, so it does not reveal whether the account exists.
  const hash = <T>(task: () => Promise<T>) => (client.kind === 'device' ? task() : ctx.unknownClientHashing.run(task));
  const result = checksPassword ? await hash(() => ctx.hasher.verify(user.passwordHash, input.password)) : undefined;
  if (!user && gate.verdict === 'open') await hash(() => ctx.hasher.verifyDummy(input.password));

  if (!user || !result?.valid) {
    recordFailure(ctx, account, client, input, reservation);
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (oneTimePasswordExpired(user, ctx.clock.now())) {
    // Still counted as a failure: an expired credential must not become a free oracle.
    recordFailure(ctx, account, client, input, reservation, 'one_time_password_expired');
    return { ok: false, reason: 'one_time_password_expired' };
  }
  const methods = await secondFactorMethods(ctx, user.id);
  if (attemptEffect({ step: 'password', right: true, secondFactorRequired: methods.length > 0 }) === 'reset') {
    ctx.lockout.succeeded(account, client);
  } else {
    ctx.lockout.withdraw(account, client, reservation);
  }
  if (sourceFailureAt !== undefined) ctx.sourceThrottle.withdraw(input.sourceIp, sourceFailureAt);
  if (result.needsRehash) {
    ctx.store.replacePasswordHash(user.id, await ctx.hasher.hash(input.password));
  }
  return { ok: true, user, secondFactorMethods: methods };
}

/** Audits a failed login and the locks it started. */
function recordFailure(
  ctx: PasswordLogin,
  account: LoginAccount,
  client: LoginClient,
  input: { username: string; sourceIp: string },
  locks: StartedLocks,
  reason?: 'one_time_password_expired',
): void {
  ctx.audit.append({
    type: 'auth.login_failed',
    outcome: 'failure',
    actor: { id: account.userId, username: input.username.slice(0, 64) },
    sourceIp: input.sourceIp,
    ...(reason ? { details: { reason } } : {}),
  });
  if (client.kind === 'address') auditIfSourceBlocked(ctx, input.sourceIp);
  for (const details of startedLockDetails(client, locks, ctx.lockout.policy)) {
    ctx.audit.append({ type: 'auth.lockout', outcome: 'info', sourceIp: input.sourceIp, target: account.target, details });
  }
  ctx.logger.warn({ event: 'login_failed', sourceIp: input.sourceIp }, 'login failed');
}
