// The recorder's recorded ranges of a camera, and the search for footage beyond what the timeline holds.
import type { Timeline as RecordedRanges } from '../../../src/recorder/api/recorded-video.js';
import { request } from '../api.js';
import { windowsAfter, windowsBefore, type TimeRange } from './footage.js';

const DAY_MS = 86_400_000;
/** The recorder's limit on one timeline (or events) request is 31 days; a second less leaves room for rounding to whole ms. */
export const MAX_TIMELINE_MS = 31 * DAY_MS - 1000;
/** How far back "previous footage" (or event) looks: longer than any retention a recorder keeps. */
export const SEARCH_BACK_MS = 400 * DAY_MS;

export async function recordedRanges(cameraId: number, fromMs: number, toMs: number): Promise<TimeRange[]> {
  const r = await request<RecordedRanges>('GET', `/cameras/${cameraId}/recordings?from=${Math.floor(fromMs)}&to=${Math.ceil(toMs)}`);
  return r.ranges.map((x) => ({ startMs: Date.parse(x.start), endMs: Date.parse(x.end) }));
}

/**
 * The first answer `pick` finds in the windows, asked one after the other (the nearest first): a
 * search that goes only as far as it must, each request within the recorder's limit.
 */
export async function firstInWindows<T>(
  windows: readonly { fromMs: number; toMs: number }[],
  load: (fromMs: number, toMs: number) => Promise<T[]>,
  pick: (items: T[]) => T | undefined,
): Promise<T | undefined> {
  for (const w of windows) {
    const found = pick(await load(w.fromMs, w.toMs));
    if (found) return found;
  }
  return undefined;
}

/**
 * The first range that has footage after `ms` (it may have started before), however far ahead:
 * window after window up to a month past this browser's clock (the recorder's may run a little ahead).
 */
export function footageAfter(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  const windows = windowsAfter(ms, Math.max(ms, Date.now()) + MAX_TIMELINE_MS, MAX_TIMELINE_MS);
  return firstInWindows(windows, (from, to) => recordedRanges(cameraId, from, to), (ranges) => ranges.find((r) => r.endMs > ms));
}

/** The last range that ended at or before `ms`, however far back. */
export function footageBefore(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  const windows = windowsBefore(ms, ms - SEARCH_BACK_MS, MAX_TIMELINE_MS);
  return firstInWindows(windows, (from, to) => recordedRanges(cameraId, from, to), (ranges) => ranges.filter((r) => r.endMs <= ms).at(-1));
}
