import { rmSync } from 'node:fs';
import { PasswordHasher } from '../identity/passwords/hash.js';
import { systemClock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { isCameraDataDir, manufactureCamera } from './device/manufacture.js';
import { simulateMotion } from './simulated-motion.js';
import { startVigilCamera, type VigilCamera } from './vigil-camera.js';

/** How often the demo camera "sees" motion, so motion events show on the timeline. */
export const DEMO_MOTION_EVERY_SECONDS = 60;

export interface RunningDemoCamera {
  camera: VigilCamera;
  /** Its ONVIF device service. */
  deviceUrl: string;
  /** Only on the run that manufactured it: for the recorder to activate it with, never to print. */
  labelCode?: string;
  stop(): Promise<void>;
}

/**
 * The Vigil camera `vigil recorder --demo-camera` runs in the recorder's process, on loopback:
 * manufactured on the first run in its own data directory, its RTSP on `rtspPort` and its ONVIF on
 * the next port (both stay the same from run to run: the recorder knows it by them). It answers
 * `vigil discover` when the recorder does (`lanDiscovery`), so the demo's LAN shows both; never
 * WS-Discovery, which would offer it to the recorder's own camera scan a second time. A camera left inactive by an earlier run has a label code nobody knows
 * any more (it is never printed), so it is made anew.
 */
export async function startDemoCamera(dataDir: string, rtspPort: number, lanDiscovery: boolean, log: Logger): Promise<RunningDemoCamera> {
  let labelCode: string | undefined;
  const manufacture = async () => {
    labelCode = (await manufactureCamera(dataDir, { clock: systemClock, hasher: new PasswordHasher() })).labelCode;
  };
  const start = () =>
    startVigilCamera({ dataDir, host: '127.0.0.1', httpPort: rtspPort + 1, httpsPort: 0, rtspPort, source: 'pattern', discovery: false, lanDiscovery: lanDiscovery ? {} : false, log });
  if (!isCameraDataDir(dataDir)) await manufacture();
  let camera = await start();
  if (!camera.isActive() && !labelCode) {
    await camera.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await manufacture();
    camera = await start();
  }
  const stopMotion = simulateMotion(camera, DEMO_MOTION_EVERY_SECONDS);
  return {
    camera,
    deviceUrl: `${camera.httpUrl}/onvif/device_service`,
    labelCode,
    stop: async () => {
      stopMotion();
      await camera.stop();
    },
  };
}
