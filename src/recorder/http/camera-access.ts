// The camera-scoped access level: may this user do this to the camera named in the URL? Pure.
import { CAMERA_ID_PATTERN } from '../api/cameras.js';
import { can, camera, CAMERA_ACTIONS, canSeeCamera, type CameraAction, type Subject } from '../accounts/permissions.js';

/** `any`: the camera is in the user's list (any camera action at all), e.g. to read its settings. */
export type CameraAccessAction = CameraAction | 'any';
export const CAMERA_ACCESS_ACTIONS: readonly CameraAccessAction[] = [...CAMERA_ACTIONS, 'any'];

const CAMERA_ID = new RegExp(CAMERA_ID_PATTERN);

export type CameraAccessDecision = 'allowed' | 'not_found' | 'forbidden';

/**
 * A camera that does not exist and one the user may not see at all answer the same (404), so a
 * user cannot learn which cameras exist; one they may see but not act on this way is a 403.
 */
export function decideCameraAccess(user: Subject, cameraId: string | undefined, exists: (id: number) => boolean, action: CameraAccessAction): CameraAccessDecision {
  if (cameraId === undefined || !CAMERA_ID.test(cameraId) || !exists(Number(cameraId))) return 'not_found';
  if (!canSeeCamera(user, cameraId)) return 'not_found';
  if (action === 'any') return 'allowed';
  return can(user, action, camera(cameraId)) ? 'allowed' : 'forbidden';
}
