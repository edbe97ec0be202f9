import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { SecondFactorChallengeStore } from '../../identity/two-factor/challenge-store.js';
import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import type { PasskeyEnrolment } from '../../identity/two-factor/passkey-enrolment.js';
import type { TwoFactorPolicyStore } from '../../identity/two-factor/policy-store.js';
import type { RequiredSetting } from '../../identity/two-factor/required-setting.js';
import type { SecondStep } from '../../identity/two-factor/second-factor.js';
import { secondStepLockoutOf } from '../../identity/two-factor/second-step-lockout.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import { loginClientOf } from './device-cookie.js';
import { sourceThrottleOf, type FailureCounting } from './failed-attempts.js';
import type { LoginLockout } from '../../identity/lockout/login-lockout.js';

/**
 * The recorder's side of two-factor authentication: the core's services (src/identity/two-factor/)
 * wired to the recorder's SQLite adapters, its per-source throttle, its login lockout (where a
 * client is an address or a device cookie) and its audit log.
 */

/** What a session that must enrol 2FA may still call: who am I, the enrolment itself, and logout. */
export const ALLOWED_WHILE_ENROLMENT_REQUIRED: ReadonlySet<string> = new Set([
  'GET /api/v1/me',
  'DELETE /api/v1/sessions/current',
  'GET /api/v1/me/2fa',
  'POST /api/v1/me/2fa/totp',
  'POST /api/v1/me/2fa/totp/confirm',
  'GET /api/v1/me/2fa/passkeys',
  'POST /api/v1/me/2fa/passkeys/registration',
  'POST /api/v1/me/2fa/passkeys',
]);

/** What the recorder's two-factor services are made of. */
export interface RecorderTwoFactorParts extends FailureCounting {
  store: Pick<RecorderStore, 'getDevice' | 'getUser'>;
  twoFactor: TwoFactorFactorStore;
  twoFactorChallenges: SecondFactorChallengeStore;
  twoFactorPolicy: TwoFactorPolicyStore;
  twoFactorKey: Buffer;
  hasher: Pick<PasswordHasher, 'verify'>;
  lockout: Pick<LoginLockout, 'gate' | 'reserve' | 'succeeded' | 'policy'>;
  logger: Logger;
  clock: Clock;
}

export type RecorderTwoFactor = PasskeyEnrolment & RequiredSetting & SecondStep<UserRecord>;

/** The core's two-factor services on the recorder's parts. */
export function recorderTwoFactor(ctx: RecorderTwoFactorParts): RecorderTwoFactor {
  return {
    twoFactor: ctx.twoFactor,
    twoFactorChallenges: ctx.twoFactorChallenges,
    twoFactorPolicy: ctx.twoFactorPolicy,
    twoFactorKey: ctx.twoFactorKey,
    hasher: ctx.hasher,
    audit: ctx.audit,
    logger: ctx.logger,
    clock: ctx.clock,
    sourceThrottle: sourceThrottleOf(ctx),
    accounts: { findAccount: async (id) => ctx.store.getUser(id) },
    // The client is the browser's device cookie for the account, or its address.
    secondStepLockout: secondStepLockoutOf<UserRecord>(ctx.lockout, ctx.audit, (user, { sourceIp, deviceCookie }) =>
      loginClientOf(ctx.store.getDevice()!.serverSecret, deviceCookie, user, sourceIp, ctx.clock.now()),
    ),
    // The recorder's serial tells the owner's recorders apart in the authenticator app.
    totpLabel: (account) => `${account.username}@${ctx.store.getDevice()!.serial}`,
  };
}
