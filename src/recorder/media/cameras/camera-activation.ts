import { randomBytes } from 'node:crypto';
import type { OnvifClient } from '../../../media/onvif/onvif-client.js';

/**
 * Activating a Vigil camera from the recorder: the recorder, not a person, chooses the camera's
 * first password (192 random bits, new for each camera: never a default, never anyone's own), and
 * sends it with the label code the admin read off the camera. The activation API is the Vigil
 * camera's own (`POST /vigil/activate` beside its ONVIF service, docs/camera.md); other makes are
 * activated with their own tools.
 */
/** The account activation creates on a Vigil camera (its first Administrator). */
export const VIGIL_CAMERA_ADMIN = 'admin';

export function newCameraPassword(): string {
  return randomBytes(24).toString('base64url');
}

export type CameraActivationOutcome = 'activated' | 'wrong_label_code' | 'already_active' | 'throttled' | 'refused' | 'unreachable';

const OUTCOMES: Record<number, CameraActivationOutcome> = { 200: 'activated', 403: 'wrong_label_code', 409: 'already_active', 429: 'throttled' };

export async function activateVigilCamera(deviceUrl: string, labelCode: string, password: string, timeoutMs: number): Promise<CameraActivationOutcome> {
  try {
    const response = await fetch(new URL('/vigil/activate', deviceUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ labelCode, password }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
    return OUTCOMES[response.status] ?? 'refused';
  } catch {
    return 'unreachable';
  }
}

export type CameraActivation = { outcome: 'activated'; password: string; url: string } | { outcome: Exclude<CameraActivationOutcome, 'activated'> };

/**
 * Activates a Vigil camera with a new password of the recorder's own and learns its stream: what
 * the admin's "activate" and the demo camera both do. Once activated the camera has a password
 * only the recorder knows, so it is returned whatever happens next: if the camera does not tell
 * its stream, the address is its host with no path, to be corrected in an edit that keeps the
 * password (the host stays the same).
 */
export async function activateWithOwnPassword(onvif: OnvifClient, deviceUrl: string, labelCode: string, timeoutMs: number): Promise<CameraActivation> {
  const password = newCameraPassword();
  const outcome = await activateVigilCamera(deviceUrl, labelCode, password, timeoutMs);
  if (outcome !== 'activated') return { outcome };
  const url = await onvif.streamUri({ username: VIGIL_CAMERA_ADMIN, password }).catch(() => `rtsp://${new URL(deviceUrl).hostname}/`);
  return { outcome, password, url };
}
