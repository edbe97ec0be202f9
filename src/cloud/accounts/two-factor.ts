import type { LoginLockout } from '../../identity/lockout/login-lockout.js';
import type { SourceThrottle } from '../../identity/lockout/source-throttle.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { SecondFactorChallengeStore } from '../../identity/two-factor/challenge-store.js';
import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import type { PasskeyEnrolment } from '../../identity/two-factor/passkey-enrolment.js';
import type { RelyingParty } from '../../identity/two-factor/passkeys.js';
import type { SecondStep } from '../../identity/two-factor/second-factor.js';
import { secondStepLockoutOf } from '../../identity/two-factor/second-step-lockout.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { CloudAuditLog } from '../audit.js';
import type { CloudAccount } from '../db/accounts.js';

/**
 * The cloud's side of two-factor authentication: the core's services (src/identity/two-factor/)
 * on the cloud's PostgreSQL adapters, its per-source throttle and login lockout (a client is its
 * address: the cloud has no device cookie) and its audit log.
 */
export interface CloudTwoFactorParts {
  twoFactor: TwoFactorFactorStore;
  twoFactorChallenges: SecondFactorChallengeStore;
  twoFactorKey: Buffer;
  findAccount(accountId: number): Promise<CloudAccount | undefined>;
  hasher: Pick<PasswordHasher, 'verify'>;
  lockout: Pick<LoginLockout, 'gate' | 'reserve' | 'succeeded' | 'policy'>;
  sourceThrottle: SourceThrottle;
  audit: Pick<CloudAuditLog, 'append'>;
  logger: Logger;
  clock: Clock;
  /** From --external-url; without it (or with an IP address there) no passkeys. */
  rp: RelyingParty | undefined;
}

export type CloudTwoFactor = PasskeyEnrolment & SecondStep<CloudAccount> & { rp: RelyingParty | undefined };

export function cloudTwoFactor(parts: CloudTwoFactorParts): CloudTwoFactor {
  return {
    twoFactor: parts.twoFactor,
    twoFactorChallenges: parts.twoFactorChallenges,
    twoFactorKey: parts.twoFactorKey,
    hasher: parts.hasher,
    audit: parts.audit,
    logger: parts.logger,
    clock: parts.clock,
    sourceThrottle: parts.sourceThrottle,
    rp: parts.rp,
    accounts: { findAccount: parts.findAccount },
    secondStepLockout: secondStepLockoutOf<CloudAccount>(parts.lockout, parts.audit, (_account, { sourceIp }) => ({ kind: 'address', id: sourceIp })),
    // An authenticator app lists it as "Vigil (owner@example.com)".
    totpLabel: (account) => account.username,
  };
}
