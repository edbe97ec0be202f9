import { availableParallelism } from 'node:os';
import type { Redis } from 'ioredis';
import { deriveCodeMacKey } from '../identity/codes/contact-code.js';
import type { ThrottlePolicy } from '../identity/lockout/attempt-throttle.js';
import { LoginLockout } from '../identity/lockout/login-lockout.js';
import { DEFAULT_LOCKOUT_POLICY } from '../identity/lockout/policy.js';
import { PasswordHasher, PRODUCTION_ARGON2, type Argon2Params } from '../identity/passwords/hash.js';
import { PasswordJudge, type JudgePassword } from '../identity/passwords/judge.js';
import { loadOrCreateKeyFile } from '../identity/sealing/secret-box.js';
import { DEFAULT_SESSION_LIFETIME } from '../identity/sessions/policy.js';
import { secondFactorMethods } from '../identity/two-factor/methods.js';
import { loadOrCreateTwoFactorKey } from '../identity/two-factor/secrets.js';
import type { Clock } from '../shared/clock.js';
import { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import type { Logger } from '../shared/logger.js';
import { systemTimers, type Timers } from '../shared/timers.js';
import { accountMessages } from './account-messages.js';
import type { CloudLoginServices } from './accounts/login.js';
import { relyingPartyOf } from './accounts/relying-party.js';
import { SIGN_UP_THROTTLE, type SignUpServices } from './accounts/sign-up.js';
import { cloudAuditLog } from './audit.js';
import type { CloudPaths } from './data-dir.js';
import { newClientNotice } from './accounts/new-client.js';
import type { PasswordChangeServices } from './accounts/password-change.js';
import type { SecurityMailServices } from './accounts/security-mail.js';
import type { CloudSessions } from './accounts/sessions.js';
import { cloudTwoFactor } from './accounts/two-factor.js';
import { accountRecoveryStore } from './db/account-recoveries.js';
import { earlierUserAgents, findAccount, findAccountName, findVerifiedByLoginName, replacePasswordHash } from './db/accounts.js';
import type { CloudDatabase } from './db/database.js';
import { identityPorts } from './db/identity/index.js';
import { storePasswordChange } from './db/password-change.js';
import { smtpMailer, type CloudMailSettings } from './mail.js';
import { redisDeviceRouting } from './shared-state/redis-device-router.js';
import { redisSourceAttemptStore } from './shared-state/redis-source-attempts.js';
import { smsGatewaySender, type CloudSmsSettings } from './sms.js';
import type { AccountRouteServices } from './http/account-routes.js';
import type { TwoFactorRouteServices } from './http/two-factor-routes.js';
import { DEFAULT_RECOVERY_WAIT_SECONDS } from './recovery/account-recovery-policy.js';
import { startAccountRecoverySchedule } from './recovery/account-recovery-schedule.js';
import { cancelAccountRecoveryOnLogin, runAccountRecoveryPass, type AccountRecoveryServices } from './recovery/account-recovery.js';
import { FORGOT_DESTINATION_BUDGET, FORGOT_SOURCE_BUDGET, type ForgotPasswordServices } from './recovery/forgot-password.js';
import { storedSourceThrottle } from './source-throttle.js';
import type { OfflineResetCodeServices } from './devices/offline-reset-code.js';
import type { DeviceServices } from './devices/binding.js';
import { ConnectionTable, localDeviceRouter } from './devices/device-router.js';
import { loadOrCreateSigningKey } from './signing-key.js';

/** Failed logins per source address across accounts, counted where every instance sees them (Redis or the database). */
export const LOGIN_SOURCE_THROTTLE: ThrottlePolicy = { maxAttempts: 10, windowSeconds: 15 * 60, baseBlockSeconds: 60, maxBlockSeconds: 3600 };

export interface ServiceOptions {
  /** Without it nobody can sign up: the codes go by mail. */
  mail?: CloudMailSettings;
  /** Cheaper hashing for tests; production's parameters otherwise. */
  argon2?: Argon2Params;
  judgePassword?: JudgePassword;
  /** Without it nobody can sign up by phone, and no security notice is texted. */
  sms?: CloudSmsSettings;
  /** Where people reach the cloud (--external-url): its name is the passkeys' relying party. */
  externalUrl?: string;
  /** How long an account recovery waits before it removes the second factors; a week by default. */
  accountRecoveryWaitSeconds?: number;
  /** When the account-recovery schedule wakes, and the device gateway's waits: manual timers in tests. */
  timers?: Timers;
}

export interface CloudServices {
  signUp: SignUpServices;
  login: CloudLoginServices;
  account: AccountRouteServices;
  password: PasswordChangeServices;
  twoFactor: TwoFactorRouteServices;
  forgotPassword: ForgotPasswordServices;
  accountRecovery: AccountRecoveryServices;
  offlineReset: OfflineResetCodeServices;
  devices: DeviceServices;
  /** The device connections this instance holds (the gateway fills it). */
  deviceConnections: ConnectionTable;
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
  // Only a judge made here is closed with the cloud (its thread starts on first use).
  const judge = options.judgePassword ? undefined : new PasswordJudge();
  const judgePassword = options.judgePassword ?? judge!.judge;
  const sourceThrottle = storedSourceThrottle(sourceAttempts, LOGIN_SOURCE_THROTTLE, clock, audit);
  const lockout = new LoginLockout(DEFAULT_LOCKOUT_POLICY, ports.loginAttempts, { findById: (id) => findAccountName(db, id) }, clock);
  const mailer = options.mail && smtpMailer(options.mail);
  const codeMacKey = deriveCodeMacKey(loadOrCreateKeyFile(paths.codesKey, 'the codes sent by mail'));
  const texts = options.sms && smsGatewaySender(options.sms, clock.now());
  const messages = accountMessages({ mailer, texts }, logger);
  const securityMail: SecurityMailServices = { mailer, texts, externalUrl: options.externalUrl, logger, clock };
  const signUp: SignUpServices = {
    db,
    sentCodes: ports.sentCodes,
    methodLocks: ports.methodLocks,
    hasher,
    judgePassword,
    sourceThrottle: storedSourceThrottle(sourceAttempts, SIGN_UP_THROTTLE, clock, audit),
    codeMacKey,
    mailer,
    texts,
    audit,
    logger,
    clock,
  };
  const sessions: CloudSessions = {
    sessions: ports.sessions,
    sessionLifetime: DEFAULT_SESSION_LIFETIME,
    findAccount: (id) => findAccount(db, id),
    audit,
    // Other services add what every login must do (see LoginHook).
    onLoginSucceeded: [newClientNotice({ earlierUserAgents: (id, except) => earlierUserAgents(db, id, except), findAccount: (id) => findAccount(db, id), securityMail })],
    logger,
    clock,
  };
  const twoFactor = cloudTwoFactor({
    twoFactor: ports.twoFactorFactors,
    twoFactorChallenges: ports.secondFactorChallenges,
    twoFactorKey: loadOrCreateTwoFactorKey(paths.twoFactorKey),
    findAccount: (id) => findAccount(db, id),
    hasher,
    lockout,
    sourceThrottle,
    audit,
    logger,
    clock,
    rp: relyingPartyOf(options.externalUrl),
  });
  const login: CloudLoginServices = {
    accounts: { findByUsername: (email) => findVerifiedByLoginName(db, email), replacePasswordHash: (id, hash) => replacePasswordHash(db, id, hash) },
    lockout,
    sourceThrottle,
    // Half the cores (at least one) for unknown clients' hashes, as the recorder does.
    unknownClientHashing: new ConcurrencyLimit(Math.max(1, Math.floor(availableParallelism() / 2))),
    hasher,
    secondFactorsOf: (account) => secondFactorMethods(twoFactor, account.id),
    events: audit,
    logger,
    clock,
    sessions,
    twoFactor,
  };
  const account: AccountRouteServices = { sessions, twoFactor: ports.twoFactorFactors, twoFactorPolicy: ports.twoFactorPolicy };
  const password: PasswordChangeServices = {
    hasher,
    judgePassword,
    sourceThrottle,
    audit,
    securityMail,
    clock,
    store: ({ account, passwordHash, keepSessionId, sourceIp, now }) =>
      storePasswordChange(db, auditKey, { accountId: account.id, passwordHash, keepSessionId, now }, [
        { type: 'password.changed', outcome: 'success', actor: { id: account.id, username: account.username }, sourceIp, target: `user:${account.id}` },
      ]),
  };
  const deviceSecretsKey = loadOrCreateKeyFile(paths.deviceSecretsKey, 'the per-device secrets');
  const offlineReset: OfflineResetCodeServices = {
    db,
    deviceSecretsKey,
    audit,
    clock,
  };
  // With Redis a device connected to another instance is reached through it.
  const sharedRouting = redis && redisDeviceRouting(redis, logger);
  const deviceConnections = sharedRouting ? sharedRouting.connections : new ConnectionTable();
  const devices: DeviceServices = {
    db,
    router: sharedRouting ? sharedRouting.router : localDeviceRouter(deviceConnections),
    methodLocks: ports.methodLocks,
    signingKey: loadOrCreateSigningKey(paths.signingKey),
    secretsKey: deviceSecretsKey,
    audit,
    logger,
    clock,
  };
  const forgotPassword: ForgotPasswordServices = {
    db,
    codes: { codes: ports.sentCodes, methodLocks: ports.methodLocks, sourceThrottle, clock },
    resets: { grants: ports.resetGrants, resets: ports.resetCompletion, hasher },
    requestBudgets: {
      source: storedSourceThrottle(sourceAttempts, FORGOT_SOURCE_BUDGET, clock, audit),
      destination: storedSourceThrottle(sourceAttempts, FORGOT_DESTINATION_BUDGET, clock, audit),
    },
    judgePassword,
    codeMacKey,
    messages,
    audit,
  };
  const accountRecovery: AccountRecoveryServices = {
    forgot: forgotPassword,
    store: accountRecoveryStore(db, auditKey),
    secondFactorsOf: (accountId) => secondFactorMethods(twoFactor, accountId),
    waitSeconds: options.accountRecoveryWaitSeconds ?? DEFAULT_RECOVERY_WAIT_SECONDS,
    externalUrl: options.externalUrl,
  };
  sessions.onLoginSucceeded.push(({ accountId, sourceIp }) => cancelAccountRecoveryOnLogin(accountRecovery, accountId, sourceIp));
  const recoverySchedule = startAccountRecoverySchedule(() => runAccountRecoveryPass(accountRecovery), { timers: options.timers ?? systemTimers, logger });
  return {
    signUp,
    login,
    account,
    password,
    twoFactor: { twoFactor, securityMail },
    offlineReset,
    forgotPassword,
    accountRecovery,
    devices,
    deviceConnections,
    async close() {
      await recoverySchedule.stop();
      await sharedRouting?.close();
      await messages.settled();
      await judge?.close();
    },
  };
}
