// Frame rate and bitrate of a stretch of video, from the frames' presentation times and sizes. Pure.
import type { AccessUnit } from '../../../media/types.js';

const PTS_PER_SECOND = 90_000;

export interface StreamMeasure {
  /** Frames per second, rounded to two decimals. */
  fps?: number;
  /** Bits per second, rounded to whole bits. */
  bitrate?: number;
}

/** A loop rather than reduce: it runs several times for every frame, and allocates nothing. */
export function frameBytes(au: Pick<AccessUnit, 'nalus'>): number {
  const { nalus } = au;
  let bytes = 0;
  for (let i = 0; i < nalus.length; i++) bytes += nalus[i]!.length;
  return bytes;
}

/**
 * Each frame lasts until the next one starts, so over n frames the span from the first
 * presentation time to the last covers n − 1 frames and their bytes; the last frame's duration is
 * unknown and it is left out. Frames must be in decoding order with increasing times; fewer than
 * two, or a span that is not positive (a broken clock), measure nothing.
 */
export function measureFrames(frames: readonly Pick<AccessUnit, 'pts90k' | 'nalus'>[]): StreamMeasure {
  if (frames.length < 2) return {};
  const spanSeconds = (frames[frames.length - 1]!.pts90k - frames[0]!.pts90k) / PTS_PER_SECOND;
  if (!(spanSeconds > 0)) return {};
  const bytes = frames.slice(0, -1).reduce((sum, au) => sum + frameBytes(au), 0);
  return {
    fps: Math.round(((frames.length - 1) / spanSeconds) * 100) / 100,
    bitrate: Math.round((bytes * 8) / spanSeconds),
  };
}

/** Enough video to measure: this much presentation time, or this many frames. */
export const PROBE_SAMPLE = { spanPts: 2 * PTS_PER_SECOND, maxFrames: 120 } as const;

/** Has the probe seen enough frames to stop? */
export function sampleComplete(frames: readonly Pick<AccessUnit, 'pts90k'>[]): boolean {
  if (frames.length >= PROBE_SAMPLE.maxFrames) return true;
  return frames.length >= 2 && frames[frames.length - 1]!.pts90k - frames[0]!.pts90k >= PROBE_SAMPLE.spanPts;
}
