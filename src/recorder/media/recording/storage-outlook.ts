import type { Recording } from '../../db/recordings-store.js';
import { type DiskSpace, footageLimitBytes } from './retention-settings.js';

/** The write rate is what the cameras wrote over the last hour: long enough to smooth a scene that changes, short enough to follow a camera added or removed. */
export const WRITE_RATE_WINDOW_MS = 3_600_000;

const DAY_SECONDS = 86_400;

export interface StorageOutlook {
  footageBytes: number;
  limitBytes: number;
  /** Bytes a second, or null before anything was recorded in the window. */
  writeBytesPerSecond: number | null;
  /** Days of footage the limit holds at that rate, or null without a rate. */
  daysThatFit: number | null;
}

/**
 * Bytes a second written over the window before `now` (or since the first segment in it, if later),
 * counting the part of each segment inside the window. `segments`: those of the cameras that record
 * now, overlapping the window. Pure.
 */
export function recentWriteRate(segments: readonly Pick<Recording, 'startMs' | 'endMs' | 'bytes'>[], now: number): number | null {
  const from = Math.max(now - WRITE_RATE_WINDOW_MS, Math.min(...segments.map((s) => s.startMs)));
  if (!(now > from)) return null;
  let bytes = 0;
  for (const segment of segments) {
    const inside = Math.min(segment.endMs, now) - Math.max(segment.startMs, from);
    if (inside <= 0) continue;
    const length = segment.endMs - segment.startMs;
    bytes += length > 0 ? (segment.bytes * inside) / length : segment.bytes;
  }
  return bytes / ((now - from) / 1000);
}

/** How full the footage is and how many days fit at the current rate, under the limits retention applies. Pure. */
export function storageOutlook(input: {
  footageBytes: number;
  disk: DiskSpace;
  quotaBytes?: number;
  recentSegments: readonly Pick<Recording, 'startMs' | 'endMs' | 'bytes'>[];
  now: number;
}): StorageOutlook {
  const limitBytes = footageLimitBytes(input.quotaBytes, input.footageBytes, input.disk);
  const writeBytesPerSecond = recentWriteRate(input.recentSegments, input.now);
  const daysThatFit = writeBytesPerSecond && writeBytesPerSecond > 0 ? limitBytes / (writeBytesPerSecond * DAY_SECONDS) : null;
  return { footageBytes: input.footageBytes, limitBytes, writeBytesPerSecond, daysThatFit };
}
