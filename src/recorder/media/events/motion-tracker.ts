// Turning a camera's motion notifications into motion events (start, end) on the recorder's clock.
// Pure: the subscriber (motion-subscriber.ts) does the I/O and stores what this decides.

/** A change of the camera's motion alarm, already on the recorder's clock. */
export interface MotionChange {
  at: number;
  active: boolean;
}

/** Where a camera's motion stands: an event is open since `openSince`, or none is (null). */
export interface MotionTrack {
  openSince: number | null;
}

export type MotionStep = { kind: 'start'; at: number } | { kind: 'end'; at: number };

export const NO_MOTION: MotionTrack = { openSince: null };

/**
 * What one change does: motion that starts opens an event, motion that stops ends the open one
 * (never before it started: the two clocks' rounding must not make a negative event). A repeated
 * state (the `Initialized` message of a new subscription, a camera that says "still on") does
 * nothing: an event is not split, nor opened twice.
 */
export function applyChange(track: MotionTrack, change: MotionChange): { track: MotionTrack; step: MotionStep | null } {
  if (change.active && track.openSince === null) return { track: { openSince: change.at }, step: { kind: 'start', at: change.at } };
  if (!change.active && track.openSince !== null) {
    return { track: NO_MOTION, step: { kind: 'end', at: Math.max(change.at, track.openSince) } };
  }
  return { track, step: null };
}

/**
 * The subscription was lost (camera unreachable, refused, the recorder stopping): an open event
 * ends where the recorder last knew the camera's state, `lastHeardAt`, rather than running on
 * with nobody watching. The next subscription's `Initialized` state opens a new one if motion goes on.
 */
export function closeAtDisconnect(track: MotionTrack, lastHeardAt: number): { track: MotionTrack; step: MotionStep | null } {
  if (track.openSince === null) return { track, step: null };
  return { track: NO_MOTION, step: { kind: 'end', at: Math.max(lastHeardAt, track.openSince) } };
}

/**
 * A camera's time on the recorder's clock: the camera said `cameraNow` in the answer that the
 * recorder received at `localNow`, so the same offset holds for the times in that answer (a
 * camera clock hours off still gives events where the footage is). Never later than `localNow`:
 * a change cannot be reported before it happened.
 */
export function toRecorderTime(cameraAt: number, cameraNow: number, localNow: number): number {
  return Math.min(localNow, cameraAt + (localNow - cameraNow));
}
