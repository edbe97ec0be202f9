import { availableParallelism } from 'node:os';
import { deriveCodeMacKey } from '../identity/codes/contact-code.js';
import { AttemptThrottle, type ThrottlePolicy } from '../identity/lockout/attempt-throttle.js';
import { LoginLockout } from '../identity/lockout/login-lockout.js';
import { DEFAULT_LOCKOUT_POLICY } from '../identity/lockout/policy.js';
import { PasswordHasher, PRODUCTION_ARGON2, type Argon2Params } from '../identity/passwords/hash.js';
import { PasswordJudge, type JudgePassword } from '../identity/passwords/judge.js';
import { loadOrCreateKeyFile } from '../identity/sealing/secret-box.js';
import type { Clock } from '../shared/clock.js';
import { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import type { Logger } from '../shared/logger.js';
import { systemTimers, type Timers } from '../shared/timers.js';
import { accountMessages } from './account-messages.js';
import { secondFactorsOf, type CloudLoginServices } from './accounts/login.js';
import { SIGN_UP_THROTTLE, type SignUpServices } from './accounts/sign-up.js';
import { cloudAuditLog } from './audit.js';
import type { CloudPaths } from './data-dir.js';
import { accountRecoveryStore } from './db/account-recoveries.js';
import { findAccountName, findVerifiedByEmail, replacePasswordHash } from './db/accounts.js';
import type { CloudDatabase } from './db/database.js';
import { identityPorts } from './db/identity/index.js';
import { smtpMailer, type CloudMailSettings } from './mail.js';
import { DEFAULT_RECOVERY_WAIT_SECONDS } from './recovery/account-recovery-policy.js';
import { startAccountRecoverySchedule } from './recovery/account-recovery-schedule.js';
import { cancelAccountRecoveryOnLogin, runAccountRecoveryPass, type AccountRecoveryServices } from './recovery/account-recovery.js';
import { FORGOT_DESTINATION_BUDGET, FORGOT_SOURCE_BUDGET, type ForgotPasswordServices } from './recovery/forgot-password.js';
import { storedSourceThrottle } from './source-throttle.js';

/** Failed logins per source address across accounts, in the database: every instance counts them. */
export const LOGIN_SOURCE_THROTTLE: ThrottlePolicy = { maxAttempts: 10, windowSeconds: 15 * 60, baseBlockSeconds: 60, maxBlockSeconds: 3600 };

export interface ServiceOptions {
  /** Without it nobody can sign up: the codes go by mail. */
  mail?: CloudMailSettings;
  /** Cheaper hashing for tests; production's parameters otherwise. */
  argon2?: Argon2Params;
  judgePassword?: JudgePassword;
  /** The address people reach the cloud at, for links in its mails (never a request's Host header). */
  externalUrl?: string;
  /** How long an account recovery waits before it removes the second factors; a week by default. */
  accountRecoveryWaitSeconds?: number;
  /** When the account-recovery schedule wakes: manual timers in tests. */
  timers?: Timers;
}

export interface CloudServices {
  signUp?: SignUpServices;
  login: CloudLoginServices;
  forgotPassword: ForgotPasswordServices;
  accountRecovery: AccountRecoveryServices;
  close(): Promise<void>;
}

/** The cloud's account services over its database and the keys in its data directory. */
export function cloudServices(db: CloudDatabase, paths: CloudPaths, options: ServiceOptions, logger: Logger, clock: Clock): CloudServices {
  const auditKey = loadOrCreateKeyFile(paths.auditKey, 'the audit log');
  const ports = identityPorts(db, auditKey);
  const hasher = new PasswordHasher(options.argon2 ?? PRODUCTION_ARGON2);
  const audit = cloudAuditLog(ports.auditSink, auditKey, clock);
  // Only a judge made here is closed with the cloud; it starts (a thread) when first asked.
  let judge: PasswordJudge | undefined;
  const judgePassword: JudgePassword = options.judgePassword ?? ((password, context) => (judge ??= new PasswordJudge()).judge(password, context));
  const codeMacKey = deriveCodeMacKey(loadOrCreateKeyFile(paths.codesKey, 'the codes sent by mail'));
  const sourceThrottle = storedSourceThrottle(ports.sourceAttempts, LOGIN_SOURCE_THROTTLE, clock);
  const messages = accountMessages({ mailer: options.mail && smtpMailer(options.mail) }, logger);
  const signUp: SignUpServices | undefined = options.mail && {
    db,
    sentCodes: ports.sentCodes,
    methodLocks: ports.methodLocks,
    hasher,
    judgePassword,
    // Per instance for now: shared across instances once they share Redis.
    sourceThrottle: new AttemptThrottle(SIGN_UP_THROTTLE, clock),
    codeMacKey,
    mailer: smtpMailer(options.mail),
    audit,
    logger,
    clock,
  };
  const login: CloudLoginServices = {
    accounts: { findByUsername: (email) => findVerifiedByEmail(db, email), replacePasswordHash: (id, hash) => replacePasswordHash(db, id, hash) },
    lockout: new LoginLockout(DEFAULT_LOCKOUT_POLICY, ports.loginAttempts, { findById: (id) => findAccountName(db, id) }, clock),
    sourceThrottle,
    // Half the cores (at least one) for unknown clients' hashes, as the recorder does.
    unknownClientHashing: new ConcurrencyLimit(Math.max(1, Math.floor(availableParallelism() / 2))),
    hasher,
    secondFactorsOf: (account) => secondFactorsOf(ports.twoFactorFactors, account.id),
    events: audit,
    logger,
    clock,
    sessions: ports.sessions,
  };
  const forgotPassword: ForgotPasswordServices = {
    db,
    codes: { codes: ports.sentCodes, methodLocks: ports.methodLocks, sourceThrottle, clock },
    resets: { grants: ports.resetGrants, resets: ports.resetCompletion, hasher },
    requestBudgets: {
      source: storedSourceThrottle(ports.sourceAttempts, FORGOT_SOURCE_BUDGET, clock),
      destination: storedSourceThrottle(ports.sourceAttempts, FORGOT_DESTINATION_BUDGET, clock),
    },
    judgePassword,
    codeMacKey,
    messages,
    audit,
  };
  const accountRecovery: AccountRecoveryServices = {
    forgot: forgotPassword,
    store: accountRecoveryStore(db, auditKey),
    secondFactorsOf: (accountId) => secondFactorsOf(ports.twoFactorFactors, accountId),
    waitSeconds: options.accountRecoveryWaitSeconds ?? DEFAULT_RECOVERY_WAIT_SECONDS,
    externalUrl: options.externalUrl,
    logger,
  };
  login.afterLogin = (accountId, sourceIp) => cancelAccountRecoveryOnLogin(accountRecovery, accountId, sourceIp);
  const recoverySchedule = startAccountRecoverySchedule(() => runAccountRecoveryPass(accountRecovery), { timers: options.timers ?? systemTimers, logger });
  return {
    signUp,
    login,
    forgotPassword,
    accountRecovery,
    async close() {
      await recoverySchedule.stop();
      await messages.settled();
      await judge?.close();
    },
  };
}
