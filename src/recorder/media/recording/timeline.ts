import type { RecordingsStore } from '../../db/recordings-store.js';

/** A stretch of time a camera recorded without a break. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/**
 * Merges segments (oldest first) into the ranges a timeline shows: segments that follow each
 * other within `toleranceMs` are one range, a longer break is a gap.
 */
export function contiguousRanges(segments: readonly TimeRange[], toleranceMs = 1000): TimeRange[] {
  const ranges: TimeRange[] = [];
  for (const s of segments) {
    const last = ranges[ranges.length - 1];
    if (last && s.startMs <= last.endMs + toleranceMs) last.endMs = Math.max(last.endMs, s.endMs);
    else ranges.push({ startMs: s.startMs, endMs: s.endMs });
  }
  return ranges;
}

/** What a camera's timeline shows for [fromMs, toMs): its recorded ranges (the segments overlapping it, merged). */
export function cameraTimeline(store: Pick<RecordingsStore, 'listForCamera'>, cameraId: number, fromMs: number, toMs: number): TimeRange[] {
  return contiguousRanges(store.listForCamera(cameraId, fromMs, toMs));
}
