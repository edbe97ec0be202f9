// Motion-only recording: which footage a camera keeps, and how much it holds back as pre-roll.
// Pure: the camera's motion and the time are arguments. motion-gate.ts applies it to the frames.
import type { RecordingMode } from '../../db/camera-store.js';
import type { MotionNow } from '../events/motion-status.js';
import { BACKLOG_POLICY } from './backlog-policy.js';

export const MOTION_RECORDING = {
  /** Kept before an event starts: who walked up to the door, not only who stood there. */
  preRollMs: 5_000,
  /** Kept after an event ends: cameras end motion as soon as the picture is still, often mid-action. */
  postRollMs: 10_000,
  /**
   * The pre-roll held in memory, at most: less than the recording's backlog bound, so handing it
   * all to the segment writer at once never counts as a disk falling behind. At 2 Mbit/s this holds
   * 12 s; at 8 Mbit/s 3 s, and the pre-roll is then that much.
   */
  maxHeldBytes: (BACKLOG_POLICY.maxBytes * 3) / 4,
} as const;

export type MotionRecordingPolicy = { preRollMs: number; postRollMs: number; maxHeldBytes: number };

/**
 * Whether the camera's footage at `now` is written. Continuous: always. Motion-only: while motion
 * goes on and for the post-roll after it, and always while the recorder cannot watch the camera's
 * motion (no subscription yet, or the camera's events are lost): footage is never dropped because
 * the events are missing, only because they say nothing happened.
 */
export function keepsFootage(mode: RecordingMode, motion: MotionNow, now: number, policy: MotionRecordingPolicy = MOTION_RECORDING): boolean {
  if (mode === 'continuous' || !motion.subscribed || motion.openSince !== null) return true;
  return motion.lastEndAt !== null && now < motion.lastEndAt + policy.postRollMs;
}

/**
 * How many of the held GOPs (their first frames' times, oldest first) to let go: those that end
 * before the pre-roll starts. The GOP the pre-roll starts in is kept whole (a recording starts at a
 * keyframe), so what is held covers the pre-roll and at most one GOP more.
 */
export function gopsPastPreRoll(gopStarts: readonly number[], now: number, policy: MotionRecordingPolicy = MOTION_RECORDING): number {
  let drop = 0;
  while (drop + 1 < gopStarts.length && gopStarts[drop + 1]! <= now - policy.preRollMs) drop++;
  return drop;
}
