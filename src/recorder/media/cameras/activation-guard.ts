import type { AttemptThrottle, ThrottlePolicy } from '../../../identity/lockout/attempt-throttle.js';
import { auditIfSourceBlocked, type FailureCounting } from '../../accounts/failed-attempts.js';
import type { CameraActivationOutcome } from './camera-activation.js';

/**
 * Label codes sent to one camera through the recorder, from anyone: 5 wrong within an hour, then a
 * minute doubling up to a day, as a camera itself counts them. Without it the recorder, one source to
 * every camera, would be a way to guess any camera's code at the recorder's pace.
 */
export const CAMERA_LABEL_CODE_THROTTLE: ThrottlePolicy = {
  maxAttempts: 5,
  windowSeconds: 3600,
  baseBlockSeconds: 60,
  maxBlockSeconds: 24 * 3600,
};

/** What guards activation: the recorder's login throttle per source, and the label-code throttle per camera. */
export interface ActivationGuarding extends FailureCounting {
  cameraLabelCodeThrottle: AttemptThrottle;
}

/**
 * A camera's name for its throttle: the host and port its device service is reached at (a Vigil
 * camera tells its serial only after a login, and the recorder learns a camera's address, not its
 * serial, from the admin). Pure; URL parsing gives one spelling of an address.
 */
export function cameraThrottleKey(deviceUrl: string): string {
  return `camera:${new URL(deviceUrl).host}`;
}

export type ActivationPass = { allowed: true; settle(outcome: CameraActivationOutcome): void } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts an activation as a wrong label code before it is sent, per source and per camera (so
 * concurrent guesses cannot slip under either limit), and takes both back when the camera took the
 * code or was active already. Call it before any work for the request.
 */
export function passActivation(ctx: ActivationGuarding, input: { deviceUrl: string; sourceIp: string }): ActivationPass {
  const source = ctx.sourceThrottle.reserve(input.sourceIp);
  if (!source.allowed) return source;
  const key = cameraThrottleKey(input.deviceUrl);
  const camera = ctx.cameraLabelCodeThrottle.reserve(key);
  if (!camera.allowed) {
    ctx.sourceThrottle.withdraw(input.sourceIp, source.at);
    return camera;
  }
  return {
    allowed: true,
    settle(outcome) {
      // Only an answer that the code was not wrong gives the try back: a camera that went silent
      // after the code was sent may have checked it.
      if (outcome !== 'activated' && outcome !== 'already_active') return auditIfSourceBlocked(ctx, input.sourceIp);
      ctx.sourceThrottle.withdraw(input.sourceIp, source.at);
      ctx.cameraLabelCodeThrottle.withdraw(key, camera.at);
    },
  };
}
