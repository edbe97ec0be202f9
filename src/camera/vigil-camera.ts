import { networkInterfaces } from 'node:os';
import { verifyAuditSink } from '../identity/audit/audit-sink.js';
import type { ChainProblem } from '../identity/audit/chain.js';
import { AttemptThrottle } from '../identity/lockout/attempt-throttle.js';
import { LoginLockout } from '../identity/lockout/login-lockout.js';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../identity/lockout/policy.js';
import { PasswordHasher } from '../identity/passwords/hash.js';
import { type JudgePassword, PasswordJudge } from '../identity/passwords/judge.js';
import { loadOrCreateKeyFile } from '../identity/sealing/secret-box.js';
import { type Clock, systemClock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { vigilVersion } from '../shared/package-info.js';
import { accountStore } from './accounts/account-store.js';
import { CameraLogin, lockoutRecord } from './accounts/camera-login.js';
import { memoryLoginAttempts } from './accounts/memory-login-attempts.js';
import { CameraPasswords } from './accounts/passwords.js';
import { CameraActivation } from './activation.js';
import { auditSinkPort, createAuditChainStore } from '../sqlite/audit-tables.js';
import { CameraAudit } from './audit/camera-audit.js';
import { startButtonSocket } from './button-socket.js';
import { startCameraHttp } from './camera-http.js';
import { loadOrCreateCameraTls } from './device/tls.js';
import { startDiscoveryResponder } from './discovery-responder.js';
import { startCameraDiscovery } from './lan-discovery.js';
import { openCameraDb } from './device/camera-db.js';
import { cameraPaths } from './device/data-dir.js';
import { deviceStore } from './device/device-store.js';
import { LABEL_CODE_THROTTLE, LabelCodeCheck } from './device/label-code-check.js';
import { deviceOperations, SERVICE_PATHS } from './onvif/device-service.js';
import { OnvifDispatcher } from './onvif/dispatch.js';
import { eventOperations, PULL_POINT_PATH } from './onvif/events-service.js';
import { mediaOperations } from './onvif/media-service.js';
import { PullPoints } from './onvif/pull-points.js';
import type { OnvifCamera } from './onvif/operation.js';
import { OnvifRequestAuth } from './onvif/request-auth.js';
import { userOperations } from './onvif/users.js';
import { endpointAddress } from '../media/onvif/ws-discovery.js';
import { NonceMemory } from './onvif/ws-security.js';
import { type ButtonOutcome, type ButtonRequest, ResetButton } from './reset-button.js';
import { CAMERA_REALM, CameraRtspAccess } from './rtsp-access.js';
import { DigestNonces } from './stream/auth.js';
import type { ClipOptions } from './stream/clip-source.js';
import { DEFAULT_ENCODING, type EncodingSpec } from './stream/encoding.js';
import { type SourceKind, startSimulatedCameras } from './stream/simulated-cameras.js';

export interface VigilCameraOptions {
  /** A directory made by `vigil camera init` (manufactureCamera). */
  dataDir: string;
  /** Defaults to 127.0.0.1; ports default to 8080 (HTTP, ONVIF) and 8554 (RTSP), 0 picks free ones. */
  host?: string;
  httpPort?: number;
  /** The same services over HTTPS with the camera's own certificate, which `vigil discover` pins (default 0: a free port, told in its answers). */
  httpsPort?: number;
  rtspPort?: number;
  source?: SourceKind;
  encoding?: Partial<EncodingSpec>;
  clip?: ClipOptions;
  clock?: Clock;
  hasher?: PasswordHasher;
  /** The core's password policy; by default its judge thread (loaded from dist/). */
  judgePassword?: JudgePassword;
  lockoutPolicy?: LockoutPolicy;
  /** Answer WS-Discovery probes on 239.255.255.250:3702 and announce the camera (Hello). Off unless asked. */
  discovery?: boolean;
  /** Answer `vigil discover` probes (default: on, on the protocol's port); false turns it off. */
  lanDiscovery?: { port?: number } | false;
  log?: Logger;
}

export interface VigilCamera {
  serial: string;
  model: string;
  /** WS-Discovery's endpoint address, `urn:uuid:...`, stable across restarts. */
  endpoint: string;
  /** `http://host:port`: ONVIF at /onvif/device_service, activation at /vigil/activate. */
  httpUrl: string;
  /** `https://host:port`: the same, with the certificate `vigil discover` pins. */
  httpsUrl: string;
  /** The stream, without credentials. */
  rtspUrl: string;
  isActive(): boolean;
  /** The motion alarm goes on or off (the simulation's motion detector): ONVIF subscribers get the change. */
  setMotion(active: boolean): void;
  /** The reset button, as the local socket presses it. */
  pressButton(request: ButtonRequest): Promise<ButtonOutcome>;
  verifyAudit(): Promise<{ checked: number; problems: ChainProblem[] }>;
  stop(): Promise<void>;
}

const STREAM_NAME = 'cam1';

const urlHostOf = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** The address others reach the camera at: the listen address, or for a wildcard the first external IPv4 address. */
function advertisedHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host;
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal);
  return external?.address ?? '127.0.0.1';
}

/** Starts a Vigil camera on its data directory: RTSP stream, ONVIF, activation, reset button, audit. */
export async function startVigilCamera(options: VigilCameraOptions): Promise<VigilCamera> {
  const clock = options.clock ?? systemClock;
  const hasher = options.hasher ?? new PasswordHasher();
  const ownJudge = options.judgePassword ? undefined : new PasswordJudge();
  const paths = cameraPaths(options.dataDir);
  const db = openCameraDb(paths.database);
  const devices = deviceStore(db);
  const device = devices.get();
  const isActive = () => devices.get().activatedAt !== null;
  const accounts = accountStore(db);
  const auditKey = loadOrCreateKeyFile(paths.auditKey, 'the audit chain');
  const auditSink = auditSinkPort(createAuditChainStore(db));
  const audit = new CameraAudit(auditSink, auditKey, clock);
  const passwords = new CameraPasswords(hasher, options.judgePassword ?? ownJudge!.judge, loadOrCreateKeyFile(paths.secretKey, "the accounts' passwords"), device);
  const lockoutAccounts = {
    findById: async (id: number) => {
      const account = accounts.findById(id);
      return account && lockoutRecord(account);
    },
  };
  const lockout = new LoginLockout(options.lockoutPolicy ?? DEFAULT_LOCKOUT_POLICY, memoryLoginAttempts(), lockoutAccounts, clock);
  const login = new CameraLogin(accounts, passwords, hasher, lockout, audit);
  const labelCode = new LabelCodeCheck(() => devices.get(), hasher, new AttemptThrottle(LABEL_CODE_THROTTLE, clock));
  const encoding = { ...DEFAULT_ENCODING, ...options.encoding };
  const host = options.host ?? '127.0.0.1';

  const cameras = await startSimulatedCameras({
    host,
    port: options.rtspPort ?? 8554,
    cameras: 1,
    source: options.source,
    encoding,
    clip: options.clip,
    access: new CameraRtspAccess(isActive, login),
    log: options.log,
  });
  /** What a reboot does to the outside: every stream is cut, every client logs in again. */
  const restartStreams = () => {
    cameras.disconnect(STREAM_NAME);
    cameras.reconnect(STREAM_NAME);
  };
  const onvifCamera: OnvifCamera = {
    device: () => devices.get(),
    encoding,
    firmwareVersion: vigilVersion(),
    clock,
    rtspPort: Number(new URL(cameras.cameras[0]!.url).port),
    streamPath: `/${STREAM_NAME}`,
  };
  const reboot = async (call: { caller?: { id: number; username: string }; sourceIp: string }) => {
    await audit.append({ type: 'camera.rebooted', outcome: 'success', actor: call.caller && { id: call.caller.id, username: call.caller.username }, sourceIp: call.sourceIp });
    setImmediate(restartStreams); // after the answer, as a camera answers before it goes down
  };
  let motion = false;
  const pullPoints = new PullPoints();
  const events = eventOperations(pullPoints, () => motion, clock);
  const dispatcher = new OnvifDispatcher(
    {
      [SERVICE_PATHS.device]: { ...deviceOperations(onvifCamera, reboot), ...userOperations({ accounts, passwords, audit, clock }) },
      [SERVICE_PATHS.media]: mediaOperations(onvifCamera),
      [SERVICE_PATHS.events]: events.events,
      [PULL_POINT_PATH]: events.pullPoint,
    },
    new OnvifRequestAuth(login, new NonceMemory(), new DigestNonces(CAMERA_REALM), audit, clock),
    options.log,
  );
  const activation = new CameraActivation(isActive, labelCode, accounts, passwords, audit, clock);
  const button = new ResetButton({ isActive, labelCode, accounts, passwords, audit, clock, afterReset: restartStreams });
  const endpoint = endpointAddress(device.serial);
  let http;
  let buttonSocket;
  let discovery;
  let lanDiscovery;
  try {
    const tls = await loadOrCreateCameraTls(paths, device.serial, clock.now());
    http = await startCameraHttp({
      host,
      port: options.httpPort ?? 8080,
      https: { port: options.httpsPort ?? 0, tls },
      onvif: dispatcher,
      activation,
      state: () => ({ model: device.model, active: isActive() }),
      log: options.log,
    });
    buttonSocket = await startButtonSocket(paths.buttonSocket, (request) => button.press(request));
    const xaddr = `http://${urlHostOf(advertisedHost(host))}:${http.port}${SERVICE_PATHS.device}`;
    discovery = options.discovery ? await startDiscoveryResponder(() => ({ endpoint, model: device.model, active: isActive(), xaddr }), options.log) : undefined;
    const advertised = advertisedHost(host);
    lanDiscovery =
      options.lanDiscovery === false
        ? undefined
        : await startCameraDiscovery(
            { model: device.model, serial: device.serial, firmwareVersion: onvifCamera.firmwareVersion, address: advertised === 'localhost' ? '127.0.0.1' : advertised, httpPort: http.port, https: { port: http.httpsPort!, certificatePem: tls.cert }, rtspPort: onvifCamera.rtspPort, isActive },
            { deviceKeyFile: paths.deviceKey, clock, logger: options.log, port: options.lanDiscovery?.port },
          );
  } catch (error) {
    await discovery?.stop();
    await buttonSocket?.close();
    await http?.close();
    await cameras.stop();
    db.close();
    throw error;
  }
  return {
    serial: device.serial,
    model: device.model,
    endpoint,
    httpUrl: `http://${urlHostOf(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host)}:${http.port}`,
    httpsUrl: `https://${urlHostOf(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host)}:${http.httpsPort!}`,
    rtspUrl: cameras.cameras[0]!.url,
    isActive,
    setMotion: (active) => {
      if (active === motion) return;
      motion = active;
      pullPoints.publish({ at: clock.now(), active, operation: 'Changed' });
    },
    pressButton: (request) => button.press(request),
    verifyAudit: () => verifyAuditSink(auditKey, auditSink),
    stop: async () => {
      await lanDiscovery?.close();
      await discovery?.stop();
      pullPoints.close();
      await buttonSocket.close();
      await http.close();
      await cameras.stop();
      await ownJudge?.close();
      db.close();
    },
  };
}
