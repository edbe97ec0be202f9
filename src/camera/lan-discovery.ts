import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startDiscoveryResponder, type DiscoveryResponder } from '../discovery/responder.js';
import { certificateFingerprint, type DeviceFacts } from '../discovery/protocol.js';
import type { Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';

export interface CameraDiscoveryFacts {
  model: string;
  serial: string;
  firmwareVersion: string;
  /** Where its ONVIF HTTP service and its RTSP stream are reached. */
  address: string;
  httpPort: number;
  /** The same services over HTTPS, and its certificate, which the signed answer names so the tool can pin it. */
  https: { port: number; certificatePem: string };
  rtspPort: number;
  /** Read at each probe: activation changes while the camera runs. */
  isActive: () => boolean;
}

/** What the camera answers `vigil discover` with: public facts only. */
export function cameraFacts(camera: CameraDiscoveryFacts): DeviceFacts {
  return {
    type: 'camera',
    model: camera.model,
    serial: camera.serial,
    firmwareVersion: camera.firmwareVersion,
    addresses: [camera.address],
    ports: { https: camera.https.port, http: camera.httpPort, rtsp: camera.rtspPort },
    activated: camera.isActive(),
    // Its one recovery path: the button on the camera (short press with the label code, long press factory reset).
    recoveryMethods: { resetButton: true },
    cloudBound: false, // a camera is bound through its recorder, never to a cloud of its own
    tlsFingerprint: certificateFingerprint(camera.https.certificatePem),
  };
}

/**
 * The camera answers `vigil discover` probes, signed by the device key made at manufacture.
 * Undefined when the responder cannot start (no multicast on this host): the camera runs on without it, and says so.
 */
export async function startCameraDiscovery(
  camera: CameraDiscoveryFacts,
  options: { deviceKeyFile: string; clock: Clock; logger?: Logger; port?: number },
): Promise<DiscoveryResponder | undefined> {
  const deviceKey = createPrivateKey(readFileSync(options.deviceKeyFile));
  const logger = options.logger ?? createLogger({ level: 'silent' });
  try {
    return await startDiscoveryResponder({ facts: () => cameraFacts(camera), deviceKey, clock: options.clock, logger, port: options.port });
  } catch (err) {
    logger.warn({ event: 'discovery_unavailable', err }, 'LAN discovery is off: its socket could not be opened');
    return undefined;
  }
}
