import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../shared/clock.js';
import { isLoopbackHost, urlFor, type ListenAddress } from '../shared/listen-address.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { PidLockBusyError, takePidLock, type PidLock } from '../shared/pid-lock.js';
import { deriveCodeMacKey } from '../identity/codes/contact-code.js';
import { AttemptThrottle } from '../identity/lockout/attempt-throttle.js';
import { PasswordHasher, PRODUCTION_ARGON2, type Argon2Params } from '../identity/passwords/hash.js';
import { PasswordJudge, type JudgePassword } from '../identity/passwords/judge.js';
import { loadOrCreateKeyFile } from '../identity/sealing/secret-box.js';
import { SIGN_UP_THROTTLE, type SignUpServices } from './accounts/sign-up.js';
import { cloudAuditLog } from './audit.js';
import { prepareDataDir, type CloudPaths } from './data-dir.js';
import { identityPorts } from './db/identity/index.js';
import { smtpMailer, type CloudMailSettings } from './mail.js';
import type { CloudDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { describeDatabase, openCloudDatabase, type DatabaseSource } from './db/open.js';
import { buildCloudApp } from './http/app.js';
import { loadOrMakeTls } from './tls.js';

export interface CloudOptions {
  dataDir: string;
  listen: ListenAddress;
  /** A PostgreSQL server (postgres://...); without it, the embedded one in the data directory. */
  databaseUrl?: string;
  tls?: { certFile: string; keyFile: string };
  /** Without it nobody can sign up: the codes go by mail. */
  mail?: CloudMailSettings;
  logger?: Logger;
  clock?: Clock;
  /** Cheaper hashing for tests; production's parameters otherwise. */
  argon2?: Argon2Params;
  judgePassword?: JudgePassword;
}

export interface RunningCloud {
  url: string;
  https: boolean;
  /** Where the data is, without any password: for the startup line. */
  database: string;
  schemaVersion: number;
  app: FastifyInstance;
  db: CloudDatabase;
  close(): Promise<void>;
}

export class CloudDataDirBusyError extends Error {
  constructor(dataDir: string, pid: number, lockFile: string) {
    super(`A cloud is running on ${dataDir} (pid ${pid}): stop it first. If no cloud runs there, remove ${lockFile}.`);
    this.name = 'CloudDataDirBusyError';
  }
}

function signUpServices(
  db: CloudDatabase,
  paths: CloudPaths,
  options: CloudOptions & { mail: CloudMailSettings },
  judgePassword: JudgePassword,
  logger: Logger,
  clock: Clock,
): SignUpServices {
  const ports = identityPorts(db);
  return {
    db,
    sentCodes: ports.sentCodes,
    methodLocks: ports.methodLocks,
    hasher: new PasswordHasher(options.argon2 ?? PRODUCTION_ARGON2),
    judgePassword,
    // Per instance for now: shared across instances once they share Redis.
    sourceThrottle: new AttemptThrottle(SIGN_UP_THROTTLE, clock),
    codeMacKey: deriveCodeMacKey(loadOrCreateKeyFile(paths.codesKey, 'the codes sent by mail')),
    mailer: smtpMailer(options.mail),
    audit: cloudAuditLog(ports.auditSink, loadOrCreateKeyFile(paths.auditKey, 'the audit log'), clock),
    logger,
    clock,
  };
}

/** Opens the database, brings its schema up to date and serves the API; plain HTTP on loopback only. */
export async function startCloud(options: CloudOptions): Promise<RunningCloud> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const https = !isLoopbackHost(options.listen.host);
  const paths = prepareDataDir(options.dataDir);
  const source: DatabaseSource = options.databaseUrl ? { url: options.databaseUrl } : { dir: paths.database };
  // The embedded database's files take one process; a server takes any number of instances.
  let lock: PidLock | undefined;
  if ('dir' in source) {
    try {
      lock = takePidLock(paths.lock);
    } catch (error) {
      if (error instanceof PidLockBusyError) throw new CloudDataDirBusyError(options.dataDir, error.pid, paths.lock);
      throw error;
    }
  }
  let db: CloudDatabase | undefined;
  // Only a judge made here is closed with the cloud.
  let judge: PasswordJudge | undefined;
  try {
    const tls = https ? await loadOrMakeTls(paths, options.tls, clock.now()) : undefined;
    db = await openCloudDatabase(source);
    const { version } = await migrate(db, undefined, clock.now());
    const signUp = options.mail
      ? signUpServices(db, paths, { ...options, mail: options.mail }, options.judgePassword ?? (judge = new PasswordJudge()).judge, logger, clock)
      : undefined;
    const app = buildCloudApp({ db, logger, tls, signUp });
    await app.listen({ host: options.listen.host, port: options.listen.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.listen.port;
    const opened = db;
    return {
      url: urlFor({ host: options.listen.host, port }, https),
      https,
      database: describeDatabase(source),
      schemaVersion: version,
      app,
      db: opened,
      async close() {
        await app.close();
        await judge?.close();
        await opened.close();
        lock?.release();
      },
    };
  } catch (error) {
    await judge?.close();
    await db?.close();
    lock?.release();
    throw error;
  }
}
