import type { Clock } from '../../shared/clock.js';
import type { ConcurrencyLimit } from '../../shared/concurrency-limit.js';
import type { Logger } from '../../shared/logger.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { LoginLockout } from '../../identity/lockout/login-lockout.js';
import { passwordLogin, type PasswordAccountStore } from '../../identity/login/password-login.js';
import type { SecuritySettingsStore } from '../db/security-settings-store.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import { decodeDeviceCookie, knownDeviceOf } from './device-cookie.js';
import { countFailedAttempt, type FailureCounting } from './failed-attempts.js';
import { isAllowed } from './login-allow-list.js';
import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import { secondFactorMethods, type SecondFactorMethod } from '../../identity/two-factor/methods.js';

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

/** The recorder's users as the core's accounts port. */
export function passwordAccountsOf(store: Pick<RecorderStore, 'findUserByUsername' | 'replacePasswordHash'>): PasswordAccountStore<UserRecord> {
  return {
    findByUsername: async (username) => store.findUserByUsername(username),
    replacePasswordHash: async (userId, passwordHash) => store.replacePasswordHash(userId, passwordHash),
  };
}

/**
 * Checks a login: first the login allow-list, when an admin set one (loopback, the local console, is
 * always allowed); then the core's password login (identity/login/password-login.ts), with the
 * browser known to the account when it carries a device cookie we signed for it.
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

  const now = ctx.clock.now();
  const token = input.deviceCookie === undefined ? undefined : decodeDeviceCookie(ctx.store.getDevice()!.serverSecret, input.deviceCookie, now);
  const outcome = await passwordLogin(
    {
      accounts: passwordAccountsOf(ctx.store),
      lockout: ctx.lockout,
      sourceThrottle: ctx.sourceThrottle,
      unknownClientHashing: ctx.unknownClientHashing,
      hasher: ctx.hasher,
      secondFactorsOf: (user) => secondFactorMethods(ctx, user.id),
      events: ctx.audit,
      logger: ctx.logger,
      clock: ctx.clock,
    },
    { username: input.username, password: input.password, sourceIp: input.sourceIp, knownDeviceOf: (user) => knownDeviceOf(token, user) },
  );
  return outcome.ok ? { ok: true, user: outcome.account, secondFactorMethods: outcome.secondFactorMethods } : outcome;
}
