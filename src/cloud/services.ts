import { availableParallelism } from 'node:os';
import type { Redis } from 'ioredis';
import { deriveCodeMacKey } from '../identity/codes/contact-code.js';
import type { ThrottlePolicy } from '../identity/lockout/attempt-throttle.js';
import { LoginLockout } from '../identity/lockout/login-lockout.js';
import { DEFAULT_LOCKOUT_POLICY } from '../identity/lockout/policy.js';
import { PasswordHasher, PRODUCTION_ARGON2, type Argon2Params } from '../identity/passwords/hash.js';
import { PasswordJudge, type JudgePassword } from '../identity/passwords/judge.js';
import { loadOrCreateKeyFile } from '../identity/sealing/secret-box.js';
import type { Clock } from '../shared/clock.js';
import { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import type { Logger } from '../shared/logger.js';
import { secondFactorsOf, type CloudLoginServices } from './accounts/login.js';
import { SIGN_UP_THROTTLE, type SignUpServices } from './accounts/sign-up.js';
import { cloudAuditLog } from './audit.js';
import type { CloudPaths } from './data-dir.js';
import { findAccountName, findVerifiedByEmail, replacePasswordHash } from './db/accounts.js';
import type { CloudDatabase } from './db/database.js';
import { identityPorts } from './db/identity/index.js';
import { smtpMailer, type CloudMailSettings } from './mail.js';
import { redisSourceAttemptStore } from './shared-state/redis-source-attempts.js';
import { storedSourceThrottle } from './source-throttle.js';

/** Failed logins per source address across accounts, counted where every instance sees them (Redis or the database). */
export const LOGIN_SOURCE_THROTTLE: ThrottlePolicy = { maxAttempts: 10, windowSeconds: 15 * 60, baseBlockSeconds: 60, maxBlockSeconds: 3600 };

export interface ServiceOptions {
  /** Without it nobody can sign up: the codes go by mail. */
  mail?: CloudMailSettings;
  /** Cheaper hashing for tests; production's parameters otherwise. */
  argon2?: Argon2Params;
  judgePassword?: JudgePassword;
}

export interface CloudServices {
  signUp?: SignUpServices;
  login: CloudLoginServices;
  close(): Promise<void>;
}

/**
 * The cloud's account services over its database and the keys in its data directory. With `redis`
 * the per-source throttles count there: instances share it, and a flood costs the database nothing.
 */
export function cloudServices(db: CloudDatabase, paths: CloudPaths, options: ServiceOptions, logger: Logger, clock: Clock, redis?: Redis): CloudServices {
  const auditKey = loadOrCreateKeyFile(paths.auditKey, 'the audit log');
  const ports = identityPorts(db, auditKey);
  const sourceAttempts = redis ? redisSourceAttemptStore(redis) : ports.sourceAttempts;
  const hasher = new PasswordHasher(options.argon2 ?? PRODUCTION_ARGON2);
  const audit = cloudAuditLog(ports.auditSink, auditKey, clock);
  // Only a judge made here is closed with the cloud.
  let judge: PasswordJudge | undefined;
  const signUp: SignUpServices | undefined = options.mail && {
    db,
    sentCodes: ports.sentCodes,
    methodLocks: ports.methodLocks,
    hasher,
    judgePassword: options.judgePassword ?? (judge = new PasswordJudge()).judge,
    sourceThrottle: storedSourceThrottle(sourceAttempts, SIGN_UP_THROTTLE, clock),
    codeMacKey: deriveCodeMacKey(loadOrCreateKeyFile(paths.codesKey, 'the codes sent by mail')),
    mailer: smtpMailer(options.mail),
    audit,
    logger,
    clock,
  };
  const login: CloudLoginServices = {
    accounts: { findByUsername: (email) => findVerifiedByEmail(db, email), replacePasswordHash: (id, hash) => replacePasswordHash(db, id, hash) },
    lockout: new LoginLockout(DEFAULT_LOCKOUT_POLICY, ports.loginAttempts, { findById: (id) => findAccountName(db, id) }, clock),
    sourceThrottle: storedSourceThrottle(sourceAttempts, LOGIN_SOURCE_THROTTLE, clock),
    // Half the cores (at least one) for unknown clients' hashes, as the recorder does.
    unknownClientHashing: new ConcurrencyLimit(Math.max(1, Math.floor(availableParallelism() / 2))),
    hasher,
    secondFactorsOf: (account) => secondFactorsOf(ports.twoFactorFactors, account.id),
    events: audit,
    logger,
    clock,
    sessions: ports.sessions,
  };
  return { signUp, login, close: async () => judge?.close() };
}
