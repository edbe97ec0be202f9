import type { Recording } from '../../db/recordings-store.js';

/**
 * Which stored bytes a time range needs: a pure function of the index rows, shared by playback
 * (fMP4 to the browser) and export (standard MP4).
 */

export interface SegmentRead {
  segment: Recording;
  /** The fragment to start at: the keyframe at or before the range's start in the first segment, the first one after. */
  fromOffset: number;
  /** Fragments starting at or after this time (ms since the epoch) are not needed. */
  untilMs: number;
}

export interface PlaybackPlan {
  /** Wall-clock time of the first fragment: media time 0 of the stream. */
  originMs: number;
  reads: SegmentRead[];
}

/** `segments` are one camera's, oldest first, as the index lists them; undefined if none covers the range. */
export function planPlayback(segments: readonly Recording[], fromMs: number, toMs: number): PlaybackPlan | undefined {
  const reads: SegmentRead[] = [];
  let originMs: number | undefined;
  for (const segment of segments) {
    if (segment.endMs <= fromMs || segment.startMs >= toMs || segment.keyframes.length === 0) continue;
    const timeOf = (k: { time90k: number }) => segment.startMs + Math.round(k.time90k / 90);
    const keyframe = originMs === undefined ? (segment.keyframes.findLast((k) => timeOf(k) <= fromMs) ?? segment.keyframes[0]!) : segment.keyframes[0]!;
    originMs ??= timeOf(keyframe);
    reads.push({ segment, fromOffset: keyframe.offset, untilMs: toMs });
  }
  return originMs === undefined ? undefined : { originMs, reads };
}

/** Where a fragment of `segment` goes on the stream's timeline (90 kHz from the origin). */
export function timelinePosition(plan: PlaybackPlan, segment: Recording, baseMediaDecodeTime: number): number {
  return (segment.startMs - plan.originMs) * 90 + baseMediaDecodeTime;
}
