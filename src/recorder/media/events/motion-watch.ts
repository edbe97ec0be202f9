import { OnvifClient } from '../../../media/onvif/onvif-client.js';
import { OnvifEvents } from '../../../media/onvif/onvif-events.js';
import type { CameraRecord } from '../../db/camera-store.js';
import { openCameraPassword } from '../cameras/camera-secrets.js';
import type { SupervisorCompanion } from '../cameras/camera-supervisors.js';
import { MotionSubscriber, type MotionSubscriberDeps } from './motion-subscriber.js';
import { SUBSCRIPTION_POLICY } from './subscription-policy.js';

/**
 * The motion subscriber that runs beside a camera's supervisor: for a camera with an ONVIF service
 * and a login the recorder holds (added by ONVIF or activated by it). Others have none: the
 * recorder cannot subscribe to a camera's events without logging in to it.
 */
export function motionWatchOf(deps: MotionSubscriberDeps, settingsKey: () => Buffer): (camera: CameraRecord) => SupervisorCompanion | undefined {
  return (camera) => {
    // Read when the supervisor starts, not before: a factory reset replaces the key.
    const password = openCameraPassword(settingsKey(), camera);
    if (!camera.deviceUrl || !camera.username || password === undefined) return undefined;
    const client = new OnvifClient(camera.deviceUrl, { timeoutMs: (deps.policy ?? SUBSCRIPTION_POLICY).callTimeoutMs, now: () => deps.clock.now() });
    return new MotionSubscriber(camera.id, new OnvifEvents(client, { username: camera.username, password }), deps);
  };
}
