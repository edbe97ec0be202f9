import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../shared/clock.js';
import { isLoopbackHost, urlFor, type ListenAddress } from '../shared/listen-address.js';
import { serveWebUi } from '../shared/http/web-ui.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { packageRoot } from '../shared/package-info.js';
import { PidLockBusyError, takePidLock, type PidLock } from '../shared/pid-lock.js';
import { prepareDataDir } from './data-dir.js';
import type { CloudDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { describeDatabase, openCloudDatabase, type DatabaseSource } from './db/open.js';
import { buildCloudApp } from './http/app.js';
import { describeRedis, openRedis } from './shared-state/redis.js';
import { cloudServices, type CloudServices, type ServiceOptions } from './services.js';
import { loadOrMakeTls } from './tls.js';
import { attachDeviceGateway } from './devices/device-gateway.js';
import { systemTimers } from '../shared/timers.js';

export interface CloudOptions extends ServiceOptions {
  dataDir: string;
  listen: ListenAddress;
  /** A PostgreSQL server (postgres://...); without it, the embedded one in the data directory. */
  databaseUrl?: string;
  /** A Redis server (redis://...) that instances sharing the database share too; see shared-state/. */
  redisUrl?: string;
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client: nginx in front of several instances. */
  trustedProxies?: string[];
  tls?: { certFile: string; keyFile: string };
  /** Serve the web UI from this folder (default: the built UI in dist/web-cloud). */
  webRoot?: string;
  logger?: Logger;
  clock?: Clock;
}

export interface RunningCloud {
  url: string;
  https: boolean;
  /** Where the data is, without any password: for the startup line. */
  database: string;
  /** Where the shared state is (Redis, without any password), when there is one. */
  sharedState?: string;
  schemaVersion: number;
  app: FastifyInstance;
  db: CloudDatabase;
  close(): Promise<void>;
}

/** The database cannot be reached or opened: the reason, without any password. */
export class CloudDatabaseUnavailableError extends Error {
  constructor(where: string, cause: Error) {
    super(`The database (${where}) cannot be opened: ${cause.message}`);
    this.name = 'CloudDatabaseUnavailableError';
  }
}

/** Redis was named but does not answer: the reason, without any password. */
export class CloudRedisUnavailableError extends Error {
  constructor(where: string, cause: Error) {
    super(`${where} does not answer: ${cause.message}`);
    this.name = 'CloudRedisUnavailableError';
  }
}

export class CloudDataDirBusyError extends Error {
  constructor(dataDir: string, pid: number, lockFile: string) {
    super(`A cloud is running on ${dataDir} (pid ${pid}): stop it first. If no cloud runs there, remove ${lockFile}.`);
    this.name = 'CloudDataDirBusyError';
  }
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
  let services: CloudServices | undefined;
  let redis: Redis | undefined;
  const redisUrl = options.redisUrl;
  try {
    const tls = https ? await loadOrMakeTls(paths, options.tls, clock.now()) : undefined;
    // Redis first: it answers at once, opening the embedded database takes seconds.
    if (redisUrl) {
      redis = await openRedis(redisUrl).catch((error: Error) => {
        throw new CloudRedisUnavailableError(describeRedis(redisUrl), error);
      });
    }
    db = await openCloudDatabase(source).catch((error: Error) => {
      throw new CloudDatabaseUnavailableError(describeDatabase(source), error);
    });
    const { version } = await migrate(db, undefined, clock.now());
    services = cloudServices(db, paths, options, logger, clock, redis);
    const app = buildCloudApp({
      db,
      redis,
      logger,
      tls,
      trustedProxies: options.trustedProxies,
      signUp: services.signUp,
      login: services.login,
      account: services.account,
      password: services.password,
      twoFactor: services.twoFactor,
      offlineReset: services.offlineReset,
      forgotPassword: services.forgotPassword,
      accountRecovery: services.accountRecovery,
      devices: services.devices,
    });
    const gateway = attachDeviceGateway(app.server, {
      db,
      connections: services.deviceConnections,
      audit: services.devices.audit,
      logger,
      timers: options.timers ?? systemTimers,
    });
    // A source checkout before `npm run build` has no UI to serve: the API alone then.
    const webRoot = options.webRoot ?? join(packageRoot(), 'dist', 'web-cloud');
    if (existsSync(webRoot)) await serveWebUi(app, webRoot);
    await app.listen({ host: options.listen.host, port: options.listen.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.listen.port;
    const opened = db;
    const running = services;
    const shared = redis;
    return {
      url: urlFor({ host: options.listen.host, port }, https),
      https,
      database: describeDatabase(source),
      sharedState: redisUrl ? describeRedis(redisUrl) : undefined,
      schemaVersion: version,
      app,
      db: opened,
      async close() {
        await gateway.close();
        await app.close();
        await running.close();
        await shared?.quit();
        await opened.close();
        lock?.release();
      },
    };
  } catch (error) {
    await services?.close();
    redis?.disconnect();
    await db?.close();
    lock?.release();
    throw error;
  }
}
