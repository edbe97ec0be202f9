import type { CloudBindingStore } from './cloud/binding-store.js';
import type { CloudLink } from './cloud/cloud-link.js';
import type { Clock } from '../shared/clock.js';
import type { ConcurrencyLimit } from '../shared/concurrency-limit.js';
import type { Logger } from '../shared/logger.js';
import type { AttemptThrottle } from '../identity/lockout/attempt-throttle.js';
import type { LoginLockout } from '../identity/lockout/login-lockout.js';
import type { JudgePassword } from '../identity/passwords/judge.js';
import type { PasswordHasher } from '../identity/passwords/hash.js';
import type { SessionLifetime } from '../identity/sessions/policy.js';
import type { AuditLog } from './audit/audit-log.js';
import type { SecuritySettingsStore } from './db/security-settings-store.js';
import type { RecorderStore, RevocationReason } from './db/store.js';
import type { SessionStore } from '../identity/sessions/session-store.js';
import type { MailService } from './mail/mail-service.js';
import type { SecondFactorChallengeStore } from '../identity/two-factor/challenge-store.js';
import type { TwoFactorFactorStore } from '../identity/two-factor/factor-store.js';
import type { TwoFactorPolicyStore } from '../identity/two-factor/policy-store.js';
import type { RecordingsStore } from './db/recordings-store.js';
import type { RetentionSettings } from './media/recording/retention-schedule.js';
import type { DiskSpace } from './media/recording/retention-settings.js';
import type { RecordingSinks } from './media/recording/recording-sinks.js';
import type { LiveHub } from './media/live/live-hub.js';
import type { HttpConnections } from '../shared/http/http-connections.js';
import type { RecoveryStore } from './db/recovery-store.js';
import type { MethodLockStore } from '../identity/lockout/method-lock-store.js';
import type { SentCodeStore } from '../identity/codes/code-store.js';
import type { ContactChannel } from './api/recovery-methods.js';
import type { ResetGrantStore } from '../identity/grants/grant-store.js';
import type { ResetCompletionStore } from '../identity/grants/reset-completion-store.js';
import type { MethodLocks } from './recovery/method-lock.js';
import type { DeviceResetStore } from './db/device-reset-store.js';
import type { DataPaths } from './device/data-dir.js';
import type { ButtonWindow } from './recovery/button-window.js';
import type { SecurityQuestionsStore } from './db/security-questions-store.js';
import type { RecoveryKeyStore } from './db/recovery-key-store.js';
import type { ReservedContacts } from './recovery/reserved-contact-state.js';
import type { VendorSupport } from './recovery/vendor-support-keys.js';
import type { Timers } from '../shared/timers.js';
import type { LanDeviceScanner } from './device/lan-devices.js';
import type { CloudResetStore } from './db/cloud-reset-store.js';
import type { CameraStore } from './db/camera-store.js';
import type { CameraConnect } from './media/cameras/connect.js';
import type { CameraSupervisors } from './media/cameras/camera-supervisors.js';
import type { CameraPasswordStore } from './db/camera-password-store.js';
import type { PasswordRotationJobs } from './media/cameras/password-rotation-jobs.js';
import type { MotionEventsStore } from './db/motion-events-store.js';
import type { MotionStatus } from './media/events/motion-status.js';

/** What the recorder's services share: one per running daemon (or per test server). */
export interface RecorderContext {
  store: RecorderStore;
  audit: AuditLog;
  clock: Clock;
  hasher: PasswordHasher;
  /** Rates a candidate password against the policy, off the main thread. */
  judgePassword: JudgePassword;
  logger: Logger;
  sessionLifetime: SessionLifetime;
  /** Login sessions as the security core's port (identity/sessions/session-store.ts). */
  sessions: SessionStore<RevocationReason>;
  /** Failed logins and activations per source address, checked before any hashing. */
  sourceThrottle: AttemptThrottle;
  /**
   * Strength checks per source address. Scoring a long random string takes zxcvbn a few hundred
   * milliseconds of the event loop, and the endpoint needs no login, so it gets a budget.
   */
  strengthCheckThrottle: AttemptThrottle;
  /** Failed logins per (account, client), kept in the database: a restart does not lift a lockout. */
  lockout: LoginLockout;
  /**
   * Password checks for unknown clients (no device cookie for the account) run this many at a
   * time, so a flood of guesses from many addresses queues behind itself and not in front of
   * known browsers, whose checks never wait here.
   */
  unknownClientHashing: ConcurrencyLimit;
  firmwareVersion: string;
  /** SMTP, password age, login allow-list, notification addresses. */
  securitySettings: SecuritySettingsStore;
  mail: MailService;
  /** Test mails per admin: each one makes the recorder open a connection to a server of the admin's choosing. */
  mailTestThrottle: AttemptThrottle;
  /** The recorder's address as configured (--external-url); links in mails use it, never a request's Host header. */
  externalUrl: string | null;
  /** How the daemon serves, for the security checkup. */
  transport: { https: boolean; listenHost: string };
  /** TOTP factors, passkeys and recovery codes. */
  twoFactor: TwoFactorFactorStore;
  /** The login's second-step challenges and the passkey registrations under way. */
  twoFactorChallenges: SecondFactorChallengeStore;
  /** The admin's "everyone must use 2FA". */
  twoFactorPolicy: TwoFactorPolicyStore;
  /** Seals TOTP secrets and keys recovery-code hashes; kept in the data directory, outside the database. */
  twoFactorKey: Buffer;
  /** Reset grants, recovery settings. */
  recovery: RecoveryStore;
  /** The reset grants as the security core's port. */
  resetGrants: ResetGrantStore;
  /** The last step of every recovery, one transaction (see identity/grants/reset-completion-store.ts). */
  resetCompletion: ResetCompletionStore;
  /** Blocks a recovery method after repeated wrong evidence; persisted. */
  methodLocks: MethodLocks;
  /** The same locks as the security core's port. */
  methodLockStore: MethodLockStore;
  /** The files of this recorder's data directory (keys, footage) for a factory reset. */
  dataPaths: DataPaths;
  /** Restore defaults and factory reset, in the database. */
  deviceReset: DeviceResetStore;
  /** Open for 10 minutes after a short press of the reset button; in memory only. */
  buttonWindow: ButtonWindow;
  /** The admins' security questions and hashed answers. */
  securityQuestions: SecurityQuestionsStore;
  /** The hashes of the admins' recovery key files. */
  recoveryKeys: RecoveryKeyStore;
  /** Reserved email and phone per admin, the password hint, the SMS gateway, and the sends under way. */
  reservedContacts: ReservedContacts;
  /** The recovery codes sent to reserved addresses, as the security core's port. */
  sentCodes: SentCodeStore<ContactChannel>;
  /** Recovery code and hint requests per source address: each one may make the recorder send a mail or text. */
  contactRequestThrottle: AttemptThrottle;
  /** The vendor support path: the vendor's key (if installed at init), the device key, exported requests. */
  vendorSupport: VendorSupport;
  /** Vendor support reset requests per source address: each costs a device signature and a row. */
  supportRequestThrottle: AttemptThrottle;
  /** The cloud reset's offline challenges, the resets waiting for the admin's waiting period, and that period. */
  cloudResets: CloudResetStore;
  /** Offline cloud-reset challenges asked for per source address: each one is a row. */
  cloudChallengeThrottle: AttemptThrottle;
  /** Waits (camera retries and watchdogs, probe deadlines): injected like the clock. */
  timers: Timers;
  /** Seals secrets kept in settings: the SMTP password (inside MailService) and camera passwords. */
  settingsKey: Buffer;
  /** The cloud this recorder is bound to, if any, and the remote-reset nonces it has used. */
  cloudBinding: CloudBindingStore;
  /** The connection to the cloud given by --cloud; null without one. */
  cloudLink: CloudLink | null;
  /** The camera list, passwords sealed. */
  cameras: CameraStore;
  /** Opens a camera's stream: the RTSP client (see media/cameras/connect.ts). */
  cameraConnect: CameraConnect;
  /** One per enabled camera: connection, reconnection, status. */
  cameraSupervisors: CameraSupervisors;
  /** The index of recorded segments. */
  recordings: RecordingsStore;
  /** The limits retention keeps footage within, and the footage disk's free and total bytes. */
  footageLimits: { retention: RetentionSettings; diskSpace: () => Promise<DiskSpace> };
  /** Continuous recording of every running camera. */
  recording: RecordingSinks;
  /** Probes per user: each makes the recorder connect to an address of the user's choosing. */
  cameraProbeThrottle: AttemptThrottle;
  /** Label codes sent to cameras through the recorder, per camera (media/cameras/activation-guard.ts). */
  cameraLabelCodeThrottle: AttemptThrottle;
  /** LAN scans per user: each floods the LAN with a probe and asks every camera that answers. */
  cameraDiscoveryThrottle: AttemptThrottle;
  /** Every camera's live view: fMP4 fragments fanned out to the browsers watching. */
  live: LiveHub;
  /** Snapshots per user: each starts an ffmpeg process. */
  snapshotThrottle: AttemptThrottle;
  /** The Vigil devices on the LAN, by the discovery protocol's scan. */
  lanDevices: LanDeviceScanner;
  /** Cameras' ONVIF addresses, passwords being changed, and the rotation schedule. */
  cameraPasswords: CameraPasswordStore;
  /** Rotations of cameras' own passwords under way and just finished, and admins' chosen passwords. */
  cameraRotations: PasswordRotationJobs;
  /** The cameras' motion events (from their ONVIF event services). */
  motionEvents: MotionEventsStore;
  /** Each camera's motion now: whether it is watched, an open event, the last end (for motion-only recording). */
  motionStatus: MotionStatus;
  /** The API server's connections: its media streams end, and nothing a client holds open delays, a stop. */
  httpConnections: HttpConnections;
}
