import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { availableParallelism } from 'node:os';
import { systemClock, type Clock } from '../shared/clock.js';
import { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import { isLoopbackHost, urlFor, type ListenAddress } from '../shared/listen-address.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { packageRoot, vigilVersion } from '../shared/package-info.js';
import { AttemptThrottle, type ThrottlePolicy } from '../identity/lockout/attempt-throttle.js';
import { LoginLockout } from '../identity/lockout/login-lockout.js';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../identity/lockout/policy.js';
import { PasswordJudge, type JudgePassword } from '../identity/passwords/judge.js';
import { PasswordHasher, PRODUCTION_ARGON2, type Argon2Params } from '../identity/passwords/hash.js';
import { DEFAULT_SESSION_LIFETIME, type SessionLifetime } from '../identity/sessions/policy.js';
import { loadOrCreateTwoFactorKey } from '../identity/two-factor/secrets.js';
import type { RecorderContext } from './context.js';
import { createAuditLog } from './audit/audit-log.js';
import { loadOrCreateAuditKey, readAuditKey } from './audit/audit-key.js';
import { loginAttemptPort } from './db/login-attempts.js';
import { createSourceAttemptsStore } from './db/source-attempts-store.js';
import { createSecuritySettingsStore } from './db/security-settings-store.js';
import { createRecorderStore, openDatabase, sessionPort } from './db/store.js';
import { secondFactorChallengePort, twoFactorFactorPort, twoFactorPolicyPort } from './db/two-factor-store.js';
import { createRecoveryStore, methodLockPort, resetGrantPort } from './db/recovery-store.js';
import { resetCompletionPort } from './db/reset-completion.js';
import { MethodLocks } from './recovery/method-lock.js';
import { createDeviceResetStore } from './db/device-reset-store.js';
import { startButtonSocket, type ButtonSocket } from './device/button-socket.js';
import { ButtonWindow } from './recovery/button-window.js';
import { pressButton } from './recovery/reset-button.js';
import { createSecurityQuestionsStore } from './db/security-questions-store.js';
import { createRecoveryKeyStore } from './db/recovery-key-store.js';
import { ReservedContacts } from './recovery/reserved-contact-state.js';
import { SmsGateway } from '../identity/senders/sms-gateway.js';
import { createReservedContactStore, sentCodePort } from './db/reserved-contact-store.js';
import { SUPPORT_REQUEST_THROTTLE } from './recovery/vendor-support.js';
import { createCloudResetStore } from './db/cloud-reset-store.js';
import { CLOUD_CHALLENGE_THROTTLE } from './recovery/cloud-offline.js';
import { loadVendorSupport } from './recovery/vendor-support-keys.js';
import { lockDataDir } from './device/data-dir-lock.js';
import { startRecorderDiscovery } from './device/discovery-responder.js';
import { lanDeviceScanner, lanInterfaceOf } from './device/lan-devices.js';
import { dataPaths } from './device/data-dir.js';
import { loadOrCreateSecretKey } from '../identity/sealing/secret-box.js';
import { isInitialised } from './device/manufacture.js';
import { buildRecorderApp } from './http/app.js';
import { HttpConnections } from '../shared/http/http-connections.js';
import { MailService } from './mail/mail-service.js';
import { startSecurityNotifier } from './mail/security-notifier.js';
import { systemTimers, type Timers } from '../shared/timers.js';
import { createCameraStore } from './db/camera-store.js';
import { connectCamera, type CameraConnect } from './media/cameras/connect.js';
import { CameraSupervisors, type SinkFactory } from './media/cameras/camera-supervisors.js';
import { measuredStreamSink } from './media/cameras/stream-probe-sink.js';
import { recoverOpenSegments } from './media/recording/check.js';
import { RecordingSinks } from './media/recording/recording-sinks.js';
import type { SegmentFileSystem } from './media/recording/segment-fs.js';
import { LiveHub } from './media/live/live-hub.js';
import { createRecordingsStore } from './db/recordings-store.js';
import { createCloudBindingStore } from './cloud/binding-store.js';
import { startCloudLink, type CloudLink } from './cloud/cloud-link.js';
import { answerCloudCommand, unbindByCloud } from './cloud/device-commands.js';
import { sourceOf } from './media/cameras/camera-secrets.js';
import { type DemoCamera, ensureDemoCamera } from './media/cameras/demo-camera.js';
import { createCameraPasswordStore } from './db/camera-password-store.js';
import { CAMERA_ONVIF_TIMEOUT_MS, type PasswordChangeDeps } from './media/cameras/password-change.js';
import { PasswordRotationJobs } from './media/cameras/password-rotation-jobs.js';
import { startPasswordUpkeep, type PasswordUpkeep } from './media/cameras/password-upkeep.js';
import { OnvifClient } from '../media/onvif/onvif-client.js';
import { createMotionEventsStore } from './db/motion-events-store.js';
import { MotionStatus } from './media/events/motion-status.js';
import { motionWatchOf } from './media/events/motion-watch.js';
import { MotionGate } from './media/recording/motion-gate.js';
import { keepsFootage, MOTION_RECORDING, type MotionRecordingPolicy } from './media/recording/motion-window.js';
import type { SubscriptionPolicy } from './media/events/subscription-policy.js';
import { CAMERA_LABEL_CODE_THROTTLE } from './media/cameras/activation-guard.js';
import { type RetentionSettings, startRetention, statfsDiskSpace } from './media/recording/retention-schedule.js';
import type { DiskSpace } from './media/recording/retention-settings.js';

/** Failed logins and activations from one address: 10 in 15 minutes, then 60 s doubling up to 1 h. */
export const SOURCE_THROTTLE: ThrottlePolicy = {
  maxAttempts: 10,
  windowSeconds: 15 * 60,
  baseBlockSeconds: 60,
  maxBlockSeconds: 3600,
};

/** Password strength checks from one address: 30 a minute, then 30 s doubling up to 5 min. */
export const STRENGTH_CHECK_THROTTLE: ThrottlePolicy = {
  maxAttempts: 30,
  windowSeconds: 60,
  baseBlockSeconds: 30,
  maxBlockSeconds: 300,
};

/** Test mails per admin: 10 in 10 minutes, then 60 s doubling up to 30 min. */
export const MAIL_TEST_THROTTLE: ThrottlePolicy = {
  maxAttempts: 10,
  windowSeconds: 10 * 60,
  baseBlockSeconds: 60,
  maxBlockSeconds: 30 * 60,
};

/** Recovery code and hint requests from one address: 10 in 15 minutes, then 15 min doubling up to 1 h. */
export const CONTACT_REQUEST_THROTTLE: ThrottlePolicy = {
  maxAttempts: 10,
  windowSeconds: 15 * 60,
  baseBlockSeconds: 15 * 60,
  maxBlockSeconds: 3600,
};

/** Camera probes per user: 30 in 10 minutes, then 60 s doubling up to 10 min. */
export const CAMERA_PROBE_THROTTLE: ThrottlePolicy = {
  maxAttempts: 30,
  windowSeconds: 10 * 60,
  baseBlockSeconds: 60,
  maxBlockSeconds: 10 * 60,
};

/** LAN scans per user: 6 a minute, then 30 s doubling up to 10 min. */
export const CAMERA_DISCOVERY_THROTTLE: ThrottlePolicy = {
  maxAttempts: 6,
  windowSeconds: 60,
  baseBlockSeconds: 30,
  maxBlockSeconds: 10 * 60,
};

/** Snapshots per user: each starts an ffmpeg process. 30 a minute, then 10 s doubling up to a minute. */
export const SNAPSHOT_THROTTLE: ThrottlePolicy = {
  maxAttempts: 30,
  windowSeconds: 60,
  baseBlockSeconds: 10,
  maxBlockSeconds: 60,
};

export interface RecorderOptions {
  dataDir: string;
  listen: ListenAddress;
  tls?: { certFile: string; keyFile: string };
  sessionLifetime?: SessionLifetime;
  clock?: Clock;
  argon2?: Argon2Params;
  lockoutPolicy?: LockoutPolicy;
  logger?: Logger;
  /** Serve the web UI from this folder (default: the built UI in dist/web). */
  webRoot?: string;
  /** The address people use to reach the recorder (e.g. https://nvr.example.net); links in mails use it. */
  externalUrl?: string;
  /** Waits of the camera supervisors and probes (default: real timers). */
  timers?: Timers;
  /** Opens a camera's stream (default: the RTSP client). */
  cameraConnect?: CameraConnect;
  /** Where each camera's frames go besides the recording (live view, tests). */
  frameSinks?: SinkFactory;
  /** A Vigil camera to activate and add at start if this recorder never had it (`--demo-camera`). */
  demoCamera?: DemoCamera;
  /**
   * Rates candidate passwords (default: a judge of the recorder's own, whose worker thread ends at
   * close). A judge passed in stays the caller's: tests share one per process.
   */
  judgePassword?: JudgePassword;
  /** Age and size limits of the footage (default: none but the disk's own, see diskBudgetBytes). */
  retention?: RetentionSettings;
  /** Free and total bytes of the footage's disk (default: statfs of the data directory). */
  diskSpace?: () => Promise<DiskSpace>;
  /** Where the segment writers write (default: the disk); a test gives a slow one. */
  footageFs?: SegmentFileSystem;
  /** Keep a connection to this cloud (`--cloud URL`): binding to an account and remote reset. */
  cloudUrl?: string;
  /** In [0, 1): the jitter of reconnection waits (default Math.random). */
  random?: () => number;
  /** Answer `vigil discover` probes (default: on, on the protocol's port); false turns it off. */
  discovery?: { port?: number } | false;
  /** Motion-only recording's pre-roll, post-roll and memory bound (default MOTION_RECORDING); tests shorten them. */
  motionRecording?: MotionRecordingPolicy;
  /** How motion event subscriptions are kept (default SUBSCRIPTION_POLICY); tests shorten the waits. */
  motionSubscription?: SubscriptionPolicy;
}

export interface RunningRecorder {
  url: string;
  https: boolean;
  app: FastifyInstance;
  ctx: RecorderContext;
  close(): Promise<void>;
}

export async function startRecorder(options: RecorderOptions): Promise<RunningRecorder> {
  if (!isInitialised(options.dataDir)) {
    throw new Error(`${options.dataDir} holds no recorder. Create one first: vigil recorder init --data ${options.dataDir}`);
  }
  const paths = dataPaths(options.dataDir);
  const https = !isLoopbackHost(options.listen.host);
  const tls = https
    ? {
        cert: readFileSync(options.tls?.certFile ?? paths.tlsCert, 'utf8'),
        key: readFileSync(options.tls?.keyFile ?? paths.tlsKey, 'utf8'),
      }
    : undefined;

  const clock = options.clock ?? systemClock;
  // Before anything opens the database: a second recorder, or `recorder check`, is refused.
  const lock = lockDataDir(options.dataDir);
  const db = openDatabase(paths.database);
  const store = createRecorderStore(db);
  const securitySettings = createSecuritySettingsStore(db);
  const logger = options.logger ?? createLogger();
  const recovery = createRecoveryStore(db);
  const settingsKey = loadOrCreateSecretKey(paths.settingsKey);
  const reservedContactStore = createReservedContactStore(db);
  const timers = options.timers ?? systemTimers;
  const cameraConnect = options.cameraConnect ?? connectCamera;
  const recordings = createRecordingsStore(db);
  const audit = createAuditLog(db, loadOrCreateAuditKey(paths.auditKey), clock, {
    onListenerError: (err, entry) => logger.warn({ err, auditSeq: entry.seq }, 'an audit listener failed (security mail)'),
  });
  const recording = new RecordingSinks({ footageDir: paths.footage, store: recordings, clock, logger, audit, fs: options.footageFs });
  const live = new LiveHub();
  const extraSinks = options.frameSinks ?? (() => []);
  // Only a judge made here is closed with the recorder.
  let passwordJudge: PasswordJudge | undefined;
  const judgePassword = options.judgePassword ?? (passwordJudge = new PasswordJudge()).judge;
  const cameraStore = createCameraStore(db);
  // Started once the supervisors run; the rotation jobs wake it when a change is left undecided.
  let passwordUpkeep: PasswordUpkeep | undefined;
  const cameraPasswords = createCameraPasswordStore(db);
  const passwordChange: PasswordChangeDeps = {
    cameras: cameraStore,
    passwords: cameraPasswords,
    settingsKey: () => ctx.settingsKey,
    onvif: (deviceUrl) => new OnvifClient(deviceUrl, { timeoutMs: CAMERA_ONVIF_TIMEOUT_MS, now: () => clock.now() }),
    clock,
    // The new password opens the stream from now on: the supervisor starts again with it.
    passwordChanged: () => void ctx.cameraSupervisors.sync(cameraStore.list()),
  };
  const motionEvents = createMotionEventsStore(db);
  const motionStatus = new MotionStatus();
  const random = options.random ?? Math.random;
  /** Motion-only recording in front of a camera's recording: its mode is read at each keyframe, so a change applies at once. */
  const recordingOf = (cameraId: number) =>
    new MotionGate(
      recording.sinkFor(cameraId),
      (now) => keepsFootage(ctx.cameras.get(cameraId)?.recordingMode ?? 'continuous', motionStatus.of(cameraId), now, options.motionRecording),
      options.motionRecording ?? MOTION_RECORDING,
    );
  const ctx: RecorderContext = {
    store,
    audit,
    clock,
    hasher: new PasswordHasher(options.argon2 ?? PRODUCTION_ARGON2),
    judgePassword,
    logger,
    sessionLifetime: options.sessionLifetime ?? DEFAULT_SESSION_LIFETIME,
    sessions: sessionPort(store, audit),
    sourceThrottle: new AttemptThrottle(SOURCE_THROTTLE, clock, createSourceAttemptsStore(db)),
    strengthCheckThrottle: new AttemptThrottle(STRENGTH_CHECK_THROTTLE, clock),
    // Half the cores (at least one) for unknown clients' hashes: the rest stay free for known browsers.
    unknownClientHashing: new ConcurrencyLimit(Math.max(1, Math.floor(availableParallelism() / 2))),
    lockout: new LoginLockout(options.lockoutPolicy ?? DEFAULT_LOCKOUT_POLICY, loginAttemptPort(db), { findById: async (id) => store.getUser(id) }, clock),
    firmwareVersion: vigilVersion(),
    securitySettings,
    mail: new MailService(securitySettings, settingsKey),
    mailTestThrottle: new AttemptThrottle(MAIL_TEST_THROTTLE, clock),
    externalUrl: options.externalUrl ?? null,
    transport: { https, listenHost: options.listen.host },
    twoFactor: twoFactorFactorPort(db),
    twoFactorChallenges: secondFactorChallengePort(db),
    twoFactorPolicy: twoFactorPolicyPort(db),
    twoFactorKey: loadOrCreateTwoFactorKey(paths.twoFactorKey),
    recovery,
    resetGrants: resetGrantPort(recovery),
    resetCompletion: resetCompletionPort(db, { store, recovery, audit }),
    methodLocks: new MethodLocks(recovery, clock),
    methodLockStore: methodLockPort(recovery),
    dataPaths: paths,
    deviceReset: createDeviceResetStore(db),
    buttonWindow: new ButtonWindow(clock),
    securityQuestions: createSecurityQuestionsStore(db),
    recoveryKeys: createRecoveryKeyStore(db),
    reservedContacts: new ReservedContacts(reservedContactStore, new SmsGateway(reservedContactStore, settingsKey), settingsKey),
    sentCodes: sentCodePort(reservedContactStore, { transaction: store.transaction, recovery, audit }),
    contactRequestThrottle: new AttemptThrottle(CONTACT_REQUEST_THROTTLE, clock),
    vendorSupport: loadVendorSupport(db, paths, logger),
    supportRequestThrottle: new AttemptThrottle(SUPPORT_REQUEST_THROTTLE, clock),
    cloudResets: createCloudResetStore(db),
    cloudChallengeThrottle: new AttemptThrottle(CLOUD_CHALLENGE_THROTTLE, clock),
    timers,
    settingsKey,
    cloudBinding: createCloudBindingStore(db, () => ctx.settingsKey, store.getDevice()!.serial),
    cloudLink: null,
    cameras: cameraStore,
    cameraConnect,
    cameraSupervisors: new CameraSupervisors(
      { connect: cameraConnect, clock, timers, random: Math.random, logger },
      (cameraId) => [recordingOf(cameraId), live.sinkFor(cameraId), measuredStreamSink(ctx, cameraId), ...extraSinks(cameraId)],
      // Read when a supervisor starts, not now: a factory reset replaces the key.
      (camera) => sourceOf(ctx.settingsKey, camera),
      motionWatchOf({ events: motionEvents, status: motionStatus, clock, timers, random, logger, policy: options.motionSubscription }, () => ctx.settingsKey),
    ),
    cameraProbeThrottle: new AttemptThrottle(CAMERA_PROBE_THROTTLE, clock),
    cameraLabelCodeThrottle: new AttemptThrottle(CAMERA_LABEL_CODE_THROTTLE, clock),
    cameraDiscoveryThrottle: new AttemptThrottle(CAMERA_DISCOVERY_THROTTLE, clock),
    recordings,
    footageLimits: { retention: options.retention ?? {}, diskSpace: options.diskSpace ?? statfsDiskSpace(options.dataDir) },
    recording,
    live,
    snapshotThrottle: new AttemptThrottle(SNAPSHOT_THROTTLE, clock),
    lanDevices: lanDeviceScanner({ port: options.discovery ? options.discovery.port : undefined, interfaceAddress: lanInterfaceOf(options.listen.host) }),
    cameraPasswords,
    cameraRotations: new PasswordRotationJobs({ ...passwordChange, audit, logger, unsettled: () => passwordUpkeep?.wake() }),
    motionEvents,
    motionStatus,
    httpConnections: new HttpConnections(timers),
  };
  const stopNotifier = startSecurityNotifier(ctx);
  const app = await buildRecorderApp(ctx, {
    https: tls,
    webRoot: options.webRoot ?? join(packageRoot(), 'dist', 'web'),
  });
  ctx.httpConnections.watch(app.server);
  let button: ButtonSocket | undefined;
  try {
    button = await startButtonSocket(paths.buttonSocket, (press) => pressButton(ctx, press), logger);
    await app.listen({ host: options.listen.host, port: options.listen.port });
  } catch (error) {
    await button?.close();
    stopNotifier();
    await passwordJudge?.close();
    store.close();
    lock.release();
    throw error;
  }
  // Segments a crash left open are closed over what reached the disk before anything records again.
  const recovered = await recoverOpenSegments(paths.footage, recordings);
  if (recovered.length > 0) logger.warn({ event: 'segments_recovered', count: recovered.length }, 'recordings left open by a crash were closed');
  const leftOpen = motionEvents.endLeftOpen();
  if (leftOpen > 0) logger.warn({ event: 'motion_events_closed', count: leftOpen }, 'motion events left open by a crash were ended at their start');
  if (options.demoCamera) {
    const demo = await ensureDemoCamera(ctx, options.demoCamera);
    if ('added' in demo) logger.info({ event: 'demo_camera_added', cameraId: demo.added.id }, 'the demo camera was activated and added');
    else if ('failed' in demo) logger.warn({ event: 'demo_camera_failed', reason: demo.failed }, 'the demo camera could not be activated');
    else if (demo.skipped === 'label_code_unknown') logger.warn({ event: 'demo_camera_orphaned' }, 'the demo camera is active but this recorder never stored its password: delete its data directory to make a new one');
  }
  const retention = startRetention(ctx.footageLimits.retention, {
    footageDir: paths.footage,
    store: recordings,
    clock,
    timers,
    logger,
    audit: ctx.audit,
    diskSpace: ctx.footageLimits.diskSpace,
  });
  void ctx.cameraSupervisors.sync(ctx.cameras.list());
  passwordUpkeep = startPasswordUpkeep({
    ...passwordChange,
    cameras: cameraStore,
    jobs: ctx.cameraRotations,
    audit,
    timers,
    logger,
    streamRefused: (cameraId) => ctx.cameraSupervisors.status(cameraId).problem === 'unauthorized',
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.listen.port;
  const discovery =
    options.discovery === false
      ? undefined
      : await startRecorderDiscovery(ctx, { listen: { host: options.listen.host, port }, tlsCertPem: tls?.cert, port: options.discovery?.port });
  // Last: the cloud can ask the recorder to do things only once everything else runs.
  if (options.cloudUrl) ctx.cloudLink = connectToCloud(ctx, options.cloudUrl, random);
  return {
    url: urlFor({ host: options.listen.host, port }, https),
    https,
    app,
    ctx,
    async close() {
      await ctx.cloudLink?.close();
      stopNotifier();
      await discovery?.close();
      await button?.close();
      // Streams and spare connections are cut rather than waited for: the segments below are
      // finished and indexed within the second a stop is given.
      await Promise.all([ctx.httpConnections.close(), app.close()]);
      await retention.stop();
      await passwordUpkeep?.stop();
      await ctx.cameraRotations.settled();
      await ctx.cameraSupervisors.stopAll();
      await recording.closeAll();
      await ctx.audit.settled();
      await ctx.reservedContacts.settled();
      await passwordJudge?.close();
      store.close();
      lock.release();
    },
  };
}

/** Verifies the audit log of a data directory, whether or not its recorder is running (WAL lets both read). */
export function verifyAuditLog(dataDir: string) {
  if (!isInitialised(dataDir)) throw new Error(`${dataDir} holds no recorder`);
  const paths = dataPaths(dataDir);
  const db = openDatabase(paths.database);
  try {
    return createAuditLog(db, readAuditKey(paths.auditKey), systemClock).verify();
  } finally {
    db.close();
  }
}

/** The recorder's link to `cloudUrl` (--cloud), answering the cloud with what the recorder has. */
function connectToCloud(ctx: RecorderContext, cloudUrl: string, random: () => number): CloudLink {
  return startCloudLink({
    cloudUrl,
    deviceKey: ctx.vendorSupport.deviceKey,
    device: () => ctx.store.getDevice()!,
    boundHere: () => ctx.cloudBinding.get()?.cloudUrl === cloudUrl,
    // Spread at each command, not once: a factory reset replaces parts of the context.
    answer: (command) => answerCloudCommand({ ...ctx, deviceKey: ctx.vendorSupport.deviceKey }, cloudUrl, command),
    onWelcome: (bound) => {
      if (!bound) unbindByCloud(ctx, cloudUrl);
    },
    clock: ctx.clock,
    timers: ctx.timers,
    random,
    logger: ctx.logger,
  });
}
