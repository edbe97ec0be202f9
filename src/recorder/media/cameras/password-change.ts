import type { Clock } from '../../../shared/clock.js';
import { OnvifError, type OnvifClient, type OnvifCredentials } from '../../../media/onvif/onvif-client.js';
import type { CameraPasswordStore } from '../../db/camera-password-store.js';
import type { CameraRecord, CameraStore } from '../../db/camera-store.js';
import { openCameraPassword, sealCameraPassword } from './camera-secrets.js';
import { settleable, settlePending, type LoginTry, type PasswordChangeOutcome } from './password-change-policy.js';

/** How long one ONVIF call of a change may take before the camera counts as not answering (a camera hashes a new password slowly). */
export const CAMERA_ONVIF_TIMEOUT_MS = 10_000;

/** The ONVIF calls a change makes. */
export type CameraOnvif = Pick<OnvifClient, 'users' | 'setPassword' | 'deviceInformation'>;

export interface PasswordChangeDeps {
  cameras: Pick<CameraStore, 'get'>;
  passwords: CameraPasswordStore;
  /** Read at each change: a factory reset replaces the key. */
  settingsKey: () => Buffer;
  onvif: (deviceUrl: string) => CameraOnvif;
  clock: Clock;
  /** The camera's password changed: its stream is opened again with the new one. */
  passwordChanged: (cameraId: number) => void;
}

/** A login that needs the account (GetDeviceInformation asks for one on the Vigil camera and most others). */
async function tryLogin(client: CameraOnvif, credentials: OnvifCredentials): Promise<LoginTry> {
  try {
    await client.deviceInformation(credentials);
    return 'ok';
  } catch (error) {
    return error instanceof OnvifError && error.kind === 'unauthorized' ? 'refused' : 'unreached';
  }
}

/** `both_refused`: the camera refuses both kept passwords (reset at the camera?); `unreached`: it did not answer. Both keep both. */
export type SettleResult = 'committed' | 'abandoned' | 'unreached' | 'both_refused' | 'none';

/**
 * Finds which of its two kept passwords a camera with a pending change holds, and keeps that one:
 * the pending one first, the old one only when the camera refused it. Undecided (not reached, or
 * both refused) keeps both for the next try. `oldRefused`: the camera's stream refuses the old one
 * now (a sign the set has ended, and that each wait costs a failed login on the camera's lockout).
 */
export async function settlePendingPassword(deps: PasswordChangeDeps, cameraId: number, seen: { oldRefused?: boolean } = {}): Promise<SettleResult> {
  const since = deps.passwords.get(cameraId)?.pendingSince;
  // A SetUser that got no answer may still be at work in the camera: not before it has surely ended,
  // unless the camera already refuses the old password (its stream's login): then it has ended.
  if (since != null && !seen.oldRefused && !settleable(since, deps.clock.now())) return 'unreached';
  return tryPending(deps, cameraId);
}

/** The logins that decide a pending password, at once: after a SetUser the camera answered. */
async function tryPending(deps: PasswordChangeDeps, cameraId: number): Promise<SettleResult> {
  const camera = deps.cameras.get(cameraId);
  const state = deps.passwords.get(cameraId);
  if (!camera?.deviceUrl || !camera.username || !state?.pendingSealed) return 'none';
  const key = deps.settingsKey();
  const pending = openCameraPassword(key, { id: cameraId, passwordSealed: state.pendingSealed });
  const old = openCameraPassword(key, camera);
  if (pending === undefined) {
    // It no longer opens (the key was replaced): it can be nobody's password any more.
    deps.passwords.abandon(cameraId);
    return 'abandoned';
  }
  const client = deps.onvif(camera.deviceUrl);
  const pendingTry = await tryLogin(client, { username: camera.username, password: pending });
  const oldTry = pendingTry === 'refused' && old !== undefined ? await tryLogin(client, { username: camera.username, password: old }) : undefined;
  const verdict = settlePending(pendingTry, oldTry);
  if (verdict === 'commit') {
    if (!deps.passwords.commit(cameraId, deps.clock.now())) return 'none';
    deps.passwordChanged(cameraId);
    return 'committed';
  }
  if (verdict === 'abandon') {
    deps.passwords.abandon(cameraId);
    return 'abandoned';
  }
  return oldTry === 'refused' ? 'both_refused' : 'unreached';
}

/**
 * Changes a camera's own password in two phases, so that the camera never holds a password the
 * recorder does not: the new one is sealed and kept as pending first, then set on the camera with
 * the current one (ONVIF SetUser), then a login with it is verified, and only then does it become
 * current. On any failure the current one stays; when the camera stops answering after it was
 * asked, both stay until settlePendingPassword finds which one it holds.
 */
export async function changeCameraPassword(deps: PasswordChangeDeps, cameraId: number, newPassword: string): Promise<PasswordChangeOutcome> {
  // A change left undecided earlier is decided first: a second pending password would lose one.
  if (deps.passwords.get(cameraId)?.pendingSealed) {
    const settled = await settlePendingPassword(deps, cameraId);
    if (settled === 'unreached' || settled === 'both_refused') return 'unconfirmed';
  }
  const camera = deps.cameras.get(cameraId);
  const current = camera && openCameraPassword(deps.settingsKey(), camera);
  if (!camera?.username || !camera.deviceUrl || current === undefined) return 'not_changeable';
  const client = deps.onvif(camera.deviceUrl);
  const credentials = { username: camera.username, password: current };

  // Before anything is kept: the account's level (SetUser names it), and that the camera takes the current password.
  let level: string;
  try {
    const account = (await client.users(credentials)).find((u) => u.username === camera.username);
    if (!account) return 'not_changeable';
    level = account.level;
  } catch (error) {
    return error instanceof OnvifError && error.kind === 'unauthorized' ? 'current_refused' : 'unreachable';
  }

  if (!deps.passwords.beginChange(cameraId, sealCameraPassword(deps.settingsKey(), cameraId, newPassword), deps.clock.now())) return 'unconfirmed';
  try {
    await client.setPassword({ username: camera.username, level }, newPassword, credentials);
  } catch (error) {
    // A fault answered is a refusal: the camera did not take it. No answer leaves it unknown, and
    // the request may still be at work in the camera: both stay, settled later (settlePendingPassword).
    if (error instanceof OnvifError && (error.kind === 'protocol' || error.kind === 'unauthorized')) {
      deps.passwords.abandon(cameraId);
      return error.kind === 'unauthorized' ? 'current_refused' : 'new_refused';
    }
    return 'unconfirmed';
  }
  const settled = await tryPending(deps, cameraId);
  if (settled === 'committed') return 'changed';
  return settled === 'abandoned' ? 'new_refused' : 'unconfirmed';
}

/** Whether the recorder can change this camera's password: it holds one, a user name, and the camera's ONVIF address. */
export function isChangeable(camera: Pick<CameraRecord, 'username' | 'passwordSealed' | 'deviceUrl'>): boolean {
  return camera.username !== null && camera.passwordSealed !== null && camera.deviceUrl !== null;
}
