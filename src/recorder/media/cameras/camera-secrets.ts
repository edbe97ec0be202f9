import { open, seal } from '../../device/secret-box.js';
import type { CameraRecord } from '../../db/camera-store.js';
import type { RtspSource } from '../types.js';

/** Bound to the camera's id: a sealed password copied into another camera's row does not open there. */
const purposeOf = (cameraId: number) => `vigil:camera-password:${cameraId}`;

export function sealCameraPassword(key: Buffer, cameraId: number, password: string): Buffer {
  return seal(key, purposeOf(cameraId), password);
}

/**
 * How to reach the camera, its password opened. A password that no longer opens (the settings key
 * file was replaced) is left out: the camera then refuses the login, and its status says so.
 */
export function sourceOf(key: Buffer, camera: CameraRecord): RtspSource {
  let password: string | undefined;
  if (camera.passwordSealed) {
    try {
      password = open(key, purposeOf(camera.id), camera.passwordSealed);
    } catch {
      password = undefined;
    }
  }
  return {
    url: camera.url,
    transport: camera.transport,
    ...(camera.username !== null ? { username: camera.username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}
