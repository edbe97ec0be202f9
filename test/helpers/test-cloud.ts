// A cloud for one test: its own data directory (removed when it closes), test hashing, no logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudMailSettings } from '../../src/cloud/mail.js';
import { startCloud, type CloudOptions, type RunningCloud } from '../../src/cloud/daemon.js';
import { TEST_ARGON2 } from '../../src/identity/passwords/hash.js';
import { createLogger } from '../../src/shared/logger.js';
import type { TestSmtpServer } from './smtp.js';

export type TestCloud = RunningCloud & { dataDir: string };

export async function startTestCloud(options: Omit<CloudOptions, 'dataDir' | 'listen'>): Promise<TestCloud> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-test-cloud-'));
  const cloud = await startCloud({ argon2: TEST_ARGON2, logger: createLogger({ level: 'silent' }), ...options, dataDir, listen: { host: '127.0.0.1', port: 0 } });
  return {
    ...cloud,
    dataDir,
    async close() {
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The cloud's --smtp settings for the test SMTP server. */
export function cloudMailVia(smtp: TestSmtpServer): CloudMailSettings {
  return { server: { host: '127.0.0.1', port: smtp.port, security: 'none', username: smtp.username, password: smtp.password }, from: 'cloud@example.net' };
}
