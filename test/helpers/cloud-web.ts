// For browser tests of the cloud's web UI: a real cloud (in this process, over real HTTP, on a
// manual clock) on a PostgreSQL server, mailing its codes to a real SMTP server and texting them
// to a stand-in SMS gateway, serving the built UI (dist/web-cloud,
// so `npm run build` first); and one Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startCloud, type RunningCloud } from '../../src/cloud/daemon.js';
import { TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { PasswordJudge } from '../../src/identity/passwords/judge.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { launchBrowser } from './chromium.js';
import { startPostgres, type TestPostgres } from './postgres.js';
import { startTestSmsGateway, type TestSmsGateway } from './sms-gateway.js';
import { startTestSmtpServer, type TestSmtpServer } from './smtp.js';
import { until } from './until.js';

export interface CloudWebSuite {
  cloud: RunningCloud;
  /** The cloud's data directory (its keys). */
  dataDir: string;
  /** The cloud's time: codes of an authenticator app are computed at it, and it moves on only when told. */
  clock: ManualClock;
  smtp: TestSmtpServer;
  sms: TestSmsGateway;
  browser: Browser;
}

/** For a whole test file: started before its first test, stopped after its last. */
export function cloudWebSuite(): CloudWebSuite {
  const suite = {} as CloudWebSuite; // filled in by beforeAll, before any test reads it
  let postgres: TestPostgres | undefined;
  let root: string | undefined;
  const judge = new PasswordJudge();
  suite.clock = new ManualClock(Date.now());
  beforeAll(async () => {
    [postgres, suite.smtp, suite.sms, suite.browser] = await Promise.all([startPostgres(), startTestSmtpServer(), startTestSmsGateway(), launchBrowser()]);
    root = suite.dataDir = mkdtempSync(join(tmpdir(), 'vigil-cloud-web-'));
    suite.cloud = await startCloud({
      dataDir: root,
      listen: { host: '127.0.0.1', port: 0 },
      databaseUrl: await postgres.freshSchemaUrl(),
      mail: {
        server: { host: '127.0.0.1', port: suite.smtp.port, security: 'none', username: suite.smtp.username, password: suite.smtp.password },
        from: 'cloud@example.net',
      },
      sms: { url: suite.sms.url },
      argon2: TEST_ARGON2,
      judgePassword: judge.judge,
      logger: createLogger({ level: 'silent' }),
      clock: suite.clock,
    });
  }, 60_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.cloud?.close();
    await judge.close();
    await suite.smtp?.close();
    await suite.sms?.close();
    await postgres?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });
  return suite;
}

/** A fresh context (own cookies) and page on the cloud, `width` px wide; close the context after the test. */
export async function cloudPage(suite: CloudWebSuite, width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await suite.browser.newContext({ baseURL: suite.cloud.url, viewport: { width, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

/** The 8-digit code in the latest mail to `to`. */
export async function mailedCode(smtp: TestSmtpServer, to: string): Promise<string> {
  const mail = await until(() => smtp.mails.findLast((m) => m.rcptTo.includes(to)), `a mail to ${to}`);
  return /\b(\d{8})\b/.exec(mail.text)![1]!;
}

/** The 8-digit code in the latest text to `to`. */
export async function textedCode(sms: TestSmsGateway, to: string): Promise<string> {
  const text = await until(() => sms.texts.findLast((t) => t.body.to === to), `a text to ${to}`);
  return /\b(\d{8})\b/.exec(String(text.body.text))![1]!;
}
