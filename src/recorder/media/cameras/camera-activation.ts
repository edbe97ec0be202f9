import { randomBytes } from 'node:crypto';

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
