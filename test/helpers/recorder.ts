import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { PasswordHasher, TEST_ARGON2, type Argon2Params } from '../../src/recorder/accounts/password-hash.js';
import type { SessionLifetime } from '../../src/recorder/accounts/session-policy.js';
import { startRecorder, type RunningRecorder } from '../../src/recorder/daemon.js';
import { manufacture } from '../../src/recorder/device/manufacture.js';

export const STRONG_PASSWORD = 'Tangerine orbit 93 lampshade';
export const OTHER_STRONG_PASSWORD = 'Quiet harbour 47 velvet anchor';

export interface TestRecorder {
  url: string;
  labelCode: string;
  serial: string;
  model: string;
  clock: ManualClock;
  dataDir: string;
  running: RunningRecorder;
  /** Every log line the recorder wrote, for checks that no secret is ever logged. */
  logs: string[];
  close(): Promise<void>;
}

/** A real recorder on 127.0.0.1 and a random port, in a fresh data directory, with a manual clock. */
export async function startTestRecorder(
  options: { serveWeb?: boolean; sessionLifetime?: SessionLifetime; argon2?: Argon2Params; externalUrl?: string } = {},
): Promise<TestRecorder> {
  const root = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const dataDir = join(root, 'data');
  const clock = new ManualClock(Date.now());
  const argon2 = options.argon2 ?? TEST_ARGON2;
  const made = await manufacture(dataDir, { clock, hasher: new PasswordHasher(argon2) });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const running = await startRecorder({
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    clock,
    argon2,
    sessionLifetime: options.sessionLifetime,
    logger: createLogger({ level: 'debug', destination }),
    webRoot: options.serveWeb ? undefined : join(root, 'no-web'),
    externalUrl: options.externalUrl,
  });
  return {
    url: running.url,
    labelCode: made.labelCode,
    serial: made.serial,
    model: made.model,
    clock,
    dataDir,
    running,
    logs,
    async close() {
      await running.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
