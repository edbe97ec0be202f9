// A cloud for the recovery tests: real HTTP, a real database, mail to a real SMTP server, and time
// (the clock and the account-recovery schedule's timers) moved by the test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markVerified, signUpAddress } from '../../../src/cloud/db/accounts.js';
import { identityPorts } from '../../../src/cloud/db/identity/index.js';
import type { CloudSmsSettings } from '../../../src/cloud/sms.js';
import { startCloud, type RunningCloud } from '../../../src/cloud/daemon.js';
import { cloudPaths } from '../../../src/cloud/data-dir.js';
import { PasswordHasher, TEST_ARGON2 } from '../../../src/identity/passwords/hash.js';
import { PasswordJudge, type JudgePassword } from '../../../src/identity/passwords/judge.js';
import { issueRecoveryCodes } from '../../../src/identity/two-factor/enrolment.js';
import { loadOrCreateTwoFactorKey, sealSecret } from '../../../src/identity/two-factor/secrets.js';
import { timeStep } from '../../../src/identity/two-factor/totp.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { createLogger } from '../../../src/shared/logger.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { appCodeAt, CloudClient, type Answer } from '../../helpers/cloud-client.js';
import { ManualTimers } from '../../helpers/manual-timers.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { STRONG_PASSWORD } from '../../helpers/recorder.js';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../helpers/smtp.js';
import { until } from '../../helpers/until.js';

const hasher = new PasswordHasher(TEST_ARGON2);

export async function startRecoveryCloud(options: { databaseUrl: string; smtp: TestSmtpServer; judgePassword: JudgePassword; externalUrl?: string; smsGateway?: CloudSmsSettings }) {
  const root = mkdtempSync(join(tmpdir(), 'vigil-cloud-recovery-'));
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 9));
  const timers = new ManualTimers(clock);
  const { smtp } = options;
  smtp.mails.length = 0;
  const start = (timers: ManualTimers) => startCloud({
    dataDir: root,
    listen: { host: '127.0.0.1', port: 0 },
    databaseUrl: options.databaseUrl,
    mail: { server: { host: '127.0.0.1', port: smtp.port, security: 'none', username: smtp.username, password: smtp.password }, from: 'cloud@example.net' },
    argon2: TEST_ARGON2,
    judgePassword: options.judgePassword,
    externalUrl: options.externalUrl,
    sms: options.smsGateway,
    logger: createLogger({ level: 'silent' }),
    clock,
    timers,
  });
  const cloud: RunningCloud = await start(timers);
  /** Other instances on the same database and keys, each with its own schedule. */
  const others: { cloud: RunningCloud; timers: ManualTimers }[] = [];
  let stopped = false;
  /** Every instance's account-recovery schedule has ended its pass and set its next timer. */
  const scheduleAsleep = () =>
    until(() => [timers, ...others.map((o) => o.timers)].every((t) => t.pending > 0), 'the account-recovery schedules to end their pass', 10_000, { everyMs: 5 });
  await scheduleAsleep();

  const f = {
    cloud,
    clock,
    db: cloud.db,
    /** A request from a browser with no session. */
    post: (path: string, body: unknown): Promise<Answer> => new CloudClient(cloud).post(path, body),
    mailsTo: (to: string): ReceivedMail[] => smtp.mails.filter((m) => m.rcptTo.includes(to)),
    /** The `n`th mail (from 1) to `to`, once it arrived. */
    mail: (to: string, n: number) => until(() => f.mailsTo(to)[n - 1], `mail ${n} to ${to}`),
    /** The 8-digit code in the `n`th mail to `to`. */
    async code(to: string, n: number): Promise<string> {
      return /\b(\d{8})\b/.exec((await f.mail(to, n)).text)![1]!;
    },
    /** The secrets of the authenticator apps `account` set up, by address. */
    appSecrets: new Map<string, Buffer>(),
    /** A verified account with STRONG_PASSWORD; `totp` gives it a confirmed authenticator app and recovery codes, as enrolment does. */
    async account(email: string, options: { verified?: boolean; totp?: boolean } = {}): Promise<number> {
      const { id } = await signUpAddress(cloud.db, 'email', email, await hasher.hash(STRONG_PASSWORD), clock.now());
      if (options.verified !== false) await markVerified(cloud.db, id, clock.now());
      if (options.totp) {
        const key = loadOrCreateTwoFactorKey(cloudPaths(root).twoFactorKey);
        const factors = identityPorts(cloud.db, randomBytes(32)).twoFactorFactors;
        const secret = randomBytes(20);
        const sealed = sealSecret(key, id, secret);
        await factors.startTotp(id, sealed, clock.now() - 3_600_000);
        await factors.confirmTotp(id, sealed, timeStep(clock.now() - 3_600_000), clock.now() - 3_600_000);
        await issueRecoveryCodes({ twoFactor: factors, twoFactorKey: key }, id);
        f.appSecrets.set(email, secret);
      }
      return id;
    },
    login: (email: string, password: string) => f.post('/api/v1/login', { email, password }),
    /** A complete login: the password, then the authenticator app's code of now. */
    async loginWithApp(email: string, password: string): Promise<Answer> {
      const first = await f.login(email, password);
      return f.post('/api/v1/login/second-factor', { challenge: first.body.challenge, totp: appCodeAt(f.appSecrets.get(email)!, clock.now()) });
    },
    /** Forgot password up to the grant: the code mailed (the `n`th mail to the address) and sent back. */
    async grantFor(email: string, n = 1): Promise<string> {
      const asked = await f.post('/api/v1/password/forgot', { email });
      const verified = await f.post('/api/v1/password/forgot/verify', { requestId: asked.body.requestId, code: await f.code(email, n) });
      return verified.body.grant as string;
    },
    /** Starts another instance on the same database and data directory (a shared --database runs several). */
    async anotherInstance() {
      const other = new ManualTimers(clock);
      others.push({ cloud: await start(other), timers: other });
      await scheduleAsleep();
    },
    /** A day passes: the clock moves on and every instance's overdue pass runs at the new time, all at once. */
    async days(n: number) {
      for (let i = 0; i < n; i++) {
        clock.advance(86_400);
        await Promise.all([timers, ...others.map((o) => o.timers)].map((t) => t.advance(0)));
        await scheduleAsleep();
      }
    },
    /** Stops the cloud once every message under way has gone out. */
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([cloud, ...others.map((o) => o.cloud)].map((c) => c.close()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return f;
}

export type RecoveryCloud = Awaited<ReturnType<typeof startRecoveryCloud>>;
export type { Answer };

/**
 * The peers of a test file (PostgreSQL, an SMTP server, one password judge whose thread loads the
 * dictionaries once) and a fresh cloud on an empty schema for each test: `cloud()` is the test's.
 */
export function useRecoveryCloud(options: { externalUrl?: string; smsGateway?: () => CloudSmsSettings } = {}) {
  let server: TestPostgres;
  let smtp: TestSmtpServer;
  let current: RecoveryCloud;
  const judge = new PasswordJudge();
  beforeAll(async () => {
    [server, smtp] = await Promise.all([startPostgres(), startTestSmtpServer()]);
  });
  afterAll(async () => {
    await judge.close();
    await smtp?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    current = await startRecoveryCloud({
      databaseUrl: await server.freshSchemaUrl(),
      smtp,
      judgePassword: judge.judge,
      externalUrl: options.externalUrl,
      smsGateway: options.smsGateway?.(),
    });
  });
  afterEach(() => current.stop());
  return { cloud: () => current, smtp: () => smtp };
}
