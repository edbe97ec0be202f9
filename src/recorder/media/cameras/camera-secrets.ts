import { open, seal } from '../../device/secret-box.js';
import type { CameraRecord } from '../../db/camera-store.js';
import type { RtspSource } from '../../../media/types.js';

/** Bound to the camera's id: a sealed password copied into another camera's row does not open there. */
const purposeOf = (cameraId: number) => `vigil:camera-password:${cameraId}`;

export function sealCameraPassword(key: Buffer, cameraId: number, password: string): Buffer {
  return seal(key, purposeOf(cameraId), password);
}

/**
 * The camera's stored password, opened; undefined when none is stored or it no longer opens (the
 * settings key file was replaced): the camera then refuses the login, and its status says so.
 */
export function openCameraPassword(key: Buffer, camera: Pick<CameraRecord, 'id' | 'passwordSealed'>): string | undefined {
  if (!camera.passwordSealed) return undefined;
  try {
    return open(key, purposeOf(camera.id), camera.passwordSealed);
  } catch {
    return undefined;
  }
}

/** How to reach the camera, its password opened. */
export function sourceOf(key: Buffer, camera: CameraRecord): RtspSource {
  return rtspSource({ url: camera.url, transport: camera.transport, username: camera.username, password: openCameraPassword(key, camera) });
}

/** An RtspSource without the credentials that are not there (the client tells absent from empty). */
export function rtspSource(reach: { url: string; transport: RtspSource['transport']; username?: string | null; password?: string | null }): RtspSource {
  return {
    url: reach.url,
    transport: reach.transport,
    ...(reach.username ? { username: reach.username } : {}),
    ...(reach.password ? { password: reach.password } : {}),
  };
}
