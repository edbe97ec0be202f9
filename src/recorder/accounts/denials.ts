// Whether a user's per-camera denials make sense, before they are stored. Pure: the camera list is a question passed in.
import type { CameraAction, Grants } from './permissions.js';

export type DenialProblem =
  | { reason: 'unknown_camera'; cameraId: string }
  | { reason: 'granted_and_denied'; cameraId: string; action: CameraAction };

/**
 * Denials name cameras that exist (the schema already refused `*` and malformed ids): a denial
 * kept for a camera id not yet given out would quietly restrict whichever camera gets it. An
 * action granted and denied on the same camera is a contradiction, not a choice: refused too.
 */
export function denialProblem(grants: Grants, cameraExists: (id: number) => boolean): DenialProblem | undefined {
  for (const [cameraId, actions] of Object.entries(grants.denied)) {
    if (!cameraExists(Number(cameraId))) return { reason: 'unknown_camera', cameraId };
    const granted = Object.hasOwn(grants.cameras, cameraId) ? grants.cameras[cameraId]! : [];
    const both = actions.find((action) => granted.includes(action));
    if (both !== undefined) return { reason: 'granted_and_denied', cameraId, action: both };
  }
  return undefined;
}

/** The problem in words, for the admin who sent it. */
export function describeDenialProblem(problem: DenialProblem): string {
  return problem.reason === 'unknown_camera'
    ? `There is no camera ${problem.cameraId}: a denial must name one of this recorder's cameras.`
    : `Camera ${problem.cameraId}: "${problem.action}" is both granted and denied. Choose one.`;
}
