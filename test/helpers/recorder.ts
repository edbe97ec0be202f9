import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { PasswordHasher, TEST_ARGON2, type Argon2Params } from '../../src/identity/passwords/hash.js';
import { PasswordJudge } from '../../src/identity/passwords/judge.js';
import type { SessionLifetime } from '../../src/identity/sessions/policy.js';
import { startRecorder, type RunningRecorder } from '../../src/recorder/daemon.js';
import { manufacture } from '../../src/recorder/device/manufacture.js';
import type { CameraConnect } from '../../src/recorder/media/cameras/connect.js';
import type { SegmentFileSystem } from '../../src/recorder/media/recording/segment-fs.js';
import type { RetentionSettings } from '../../src/recorder/media/recording/retention-schedule.js';
import type { DiskSpace } from '../../src/recorder/media/recording/retention-settings.js';
import type { Timers } from '../../src/shared/timers.js';
import type { SubscriptionPolicy } from '../../src/recorder/media/events/subscription-policy.js';
import type { MotionRecordingPolicy } from '../../src/recorder/media/recording/motion-window.js';

export const STRONG_PASSWORD = 'Tangerine orbit 93 lampshade';
export const OTHER_STRONG_PASSWORD = 'Quiet harbour 47 velvet anchor';

/**
 * Lifts every account lockout through the admin's own unlock, for tests whose wrong passwords must
 * keep reaching the password check (each call clears what the failures so far have locked).
 */
export async function liftAllLockouts(rec: TestRecorder): Promise<void> {
  const lockout = rec.running.ctx.lockout;
  for (const lock of await lockout.list()) await lockout.unlock(lock.id);
}

/**
 * One password judge for every recorder a test process starts: its worker thread loads zxcvbn's
 * dictionaries once (a third of a second of CPU and 25 MB) instead of once per recorder. It ends by
 * itself after its idle time.
 */
const sharedJudge = new PasswordJudge();

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
  /** Stops the recorder and starts it again on the same data directory and clock (the URL's port changes). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A real recorder on 127.0.0.1 and a random port, in a fresh data directory, with a manual clock. */
export async function startTestRecorder(
  options: {
    serveWeb?: boolean;
    sessionLifetime?: SessionLifetime;
    argon2?: Argon2Params;
    externalUrl?: string;
    /** Installed at init, as `vigil recorder init --vendor-key` does: vendor support recovery is then set up. */
    vendorPublicKey?: KeyObject;
    /** Opens camera streams instead of the RTSP client: an in-process camera (test/helpers/in-process-camera.ts). */
    cameraConnect?: CameraConnect;
    /** Where the segment writers write instead of the disk: a slow or stalled one. */
    footageFs?: SegmentFileSystem;
    /** Retention's limits, and a disk of a made-up size instead of statfs of the data directory. */
    retention?: RetentionSettings;
    diskSpace?: () => Promise<DiskSpace>;
    /** `--cloud`: the recorder keeps a connection to this cloud. */
    cloudUrl?: string;
    /** Waits (the cloud connection's backoff): manual ones in tests that step through them. */
    timers?: Timers;
    /** The recorder's clock, when the test's manual timers need the same one. */
    clock?: ManualClock;
    random?: () => number;
    /** Motion events' subscription and motion-only recording, with shorter waits and rolls. */
    motionSubscription?: SubscriptionPolicy;
    motionRecording?: MotionRecordingPolicy;
    /** Answer (and scan for) Vigil discovery on this UDP port instead of the protocol's, or not at all. */
    discovery?: { port?: number } | false;
  } = {},
): Promise<TestRecorder> {
  const root = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const dataDir = join(root, 'data');
  const clock = options.clock ?? new ManualClock(Date.now());
  const argon2 = options.argon2 ?? TEST_ARGON2;
  const made = await manufacture(dataDir, { clock, hasher: new PasswordHasher(argon2), vendorPublicKey: options.vendorPublicKey });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const start = () =>
    startRecorder({
      dataDir,
      listen: { host: '127.0.0.1', port: 0 },
      clock,
      argon2,
      sessionLifetime: options.sessionLifetime,
      logger: createLogger({ level: 'debug', destination }),
      webRoot: options.serveWeb ? undefined : join(root, 'no-web'),
      externalUrl: options.externalUrl,
      cameraConnect: options.cameraConnect,
      footageFs: options.footageFs,
      retention: options.retention,
      diskSpace: options.diskSpace,
      judgePassword: sharedJudge.judge,
      cloudUrl: options.cloudUrl,
      timers: options.timers,
      random: options.random,
      motionSubscription: options.motionSubscription,
      motionRecording: options.motionRecording,
      discovery: options.discovery,
    });
  const running = await start();
  const rec: TestRecorder = {
    url: running.url,
    labelCode: made.labelCode,
    serial: made.serial,
    model: made.model,
    clock,
    dataDir,
    running,
    logs,
    async restart() {
      await rec.running.close();
      rec.running = await start();
      rec.url = rec.running.url;
    },
    async close() {
      await rec.running.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return rec;
}
