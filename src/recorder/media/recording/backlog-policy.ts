// What the recording does when the disk falls behind a camera: how much video may wait in memory
// for the disk, which frames to drop, and how drops are grouped into episodes for the audit log.
// Pure: the backlog and the time are arguments.

export const BACKLOG_POLICY = {
  /**
   * Bytes of one camera's frames that may wait for the disk (frames handed to the segment writer
   * and not yet taken into a fragment). 4 MiB holds about 4 s of a camera at 8 Mbit/s and 16 s at
   * 2 Mbit/s: longer than the hiccups a healthy disk has (a journal commit, an fsync behind other
   * writes, usually well under a second, rarely a few), so those lose nothing; a disk slower than
   * the cameras for longer loses frames instead of growing memory until the process dies. With the
   * fragment being written and the one being filled (about a second each), this bounds what a
   * camera holds in memory whatever the disk does.
   */
  maxBytes: 4 * 1024 * 1024,
  /**
   * An episode of drops ends when this long passes without one. The audit log gets one entry per
   * episode, with its counts: a disk that keeps falling behind writes one entry, not one a GOP.
   */
  quietAfterMs: 60_000,
} as const;

export type BacklogPolicy = typeof BACKLOG_POLICY;

export interface OfferedFrame {
  bytes: number;
  keyframe: boolean;
}

/**
 * Whether a frame goes to the writer. While writing: yes if it fits in the backlog (an empty
 * backlog always takes one frame, however big). Once a frame did not fit, every frame is dropped
 * until the disk has caught up with everything queued and a keyframe comes: frames after a
 * dropped one cannot be decoded before the next keyframe, so the recording resumes at one.
 */
export function admitFrame(dropping: boolean, backlogBytes: number, frame: OfferedFrame, policy: BacklogPolicy = BACKLOG_POLICY): boolean {
  if (dropping) return frame.keyframe && backlogBytes === 0;
  return backlogBytes === 0 || backlogBytes + frame.bytes <= policy.maxBytes;
}

/** Drops close together, counted as one: from the first dropped frame to the last. */
export interface LossEpisode {
  startedAt: number;
  lastDropAt: number;
  frames: number;
  bytes: number;
}

/** The episode with one more dropped frame (a new one if none is open). */
export function withDrop(episode: LossEpisode | null, at: number, bytes: number): LossEpisode {
  if (!episode) return { startedAt: at, lastDropAt: at, frames: 1, bytes };
  return { ...episode, lastDropAt: at, frames: episode.frames + 1, bytes: episode.bytes + bytes };
}

/** An episode is over once the recording has gone quietAfterMs without dropping a frame. */
export function episodeOver(episode: LossEpisode, now: number, policy: BacklogPolicy = BACKLOG_POLICY): boolean {
  return now - episode.lastDropAt >= policy.quietAfterMs;
}
