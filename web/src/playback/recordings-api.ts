// The recorder's recorded ranges of a camera, and the search for footage beyond what the timeline holds.
import type { Timeline as RecordedRanges } from '../../../src/recorder/api/recorded-video.js';
import { request } from '../api.js';
import { windowsAfter, windowsBefore, type TimeRange } from './footage.js';

const DAY_MS = 86_400_000;
/** The recorder's limit on one timeline request is 31 days; a second less leaves room for rounding to whole ms. */
const MAX_TIMELINE_MS = 31 * DAY_MS - 1000;
/** How far back "previous footage" looks: longer than any retention a recorder keeps. */
const SEARCH_BACK_MS = 400 * DAY_MS;

export async function recordedRanges(cameraId: number, fromMs: number, toMs: number): Promise<TimeRange[]> {
  const r = await request<RecordedRanges>('GET', `/cameras/${cameraId}/recordings?from=${Math.floor(fromMs)}&to=${Math.ceil(toMs)}`);
  return r.ranges.map((x) => ({ startMs: Date.parse(x.start), endMs: Date.parse(x.end) }));
}

/**
 * The first range that has footage after `ms` (it may have started before), however far ahead:
 * window after window up to a month past this browser's clock (the recorder's may run a little ahead).
 */
export async function footageAfter(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  for (const w of windowsAfter(ms, Math.max(ms, Date.now()) + MAX_TIMELINE_MS, MAX_TIMELINE_MS)) {
    const found = (await recordedRanges(cameraId, w.fromMs, w.toMs)).find((r) => r.endMs > ms);
    if (found) return found;
  }
  return undefined;
}

/** The last range that ended at or before `ms`, however far back. */
export async function footageBefore(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  for (const w of windowsBefore(ms, ms - SEARCH_BACK_MS, MAX_TIMELINE_MS)) {
    const found = (await recordedRanges(cameraId, w.fromMs, w.toMs)).filter((r) => r.endMs <= ms).at(-1);
    if (found) return found;
  }
  return undefined;
}
