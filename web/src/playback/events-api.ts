// A camera's motion events from the recorder, and the search for the next or previous one beyond what the timeline holds.
import type { MotionEvents } from '../../../src/recorder/api/motion-events.js';
import { request } from '../api.js';
import { windowsAfter, windowsBefore, type TimeRange } from './footage.js';
import { firstInWindows, MAX_TIMELINE_MS, SEARCH_BACK_MS } from './recordings-api.js';

/** The events overlapping the range; one still going on ends now (on this browser's clock). */
export async function motionEvents(cameraId: number, fromMs: number, toMs: number): Promise<TimeRange[]> {
  const r = await request<MotionEvents>('GET', `/cameras/${cameraId}/events?from=${Math.floor(fromMs)}&to=${Math.ceil(toMs)}`);
  return r.events.map((e) => ({ startMs: Date.parse(e.start), endMs: e.end === null ? Math.max(Date.parse(e.start), Date.now()) : Date.parse(e.end) }));
}

/** The first event that starts after `ms`, however far ahead (up to a month past this browser's clock). */
export function eventAfter(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  const windows = windowsAfter(ms, Math.max(ms, Date.now()) + MAX_TIMELINE_MS, MAX_TIMELINE_MS);
  return firstInWindows(windows, (from, to) => motionEvents(cameraId, from, to), (events) => events.find((e) => e.startMs > ms));
}

/** The last event that starts before `ms`, however far back. */
export function eventBefore(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  const windows = windowsBefore(ms, ms - SEARCH_BACK_MS, MAX_TIMELINE_MS);
  return firstInWindows(windows, (from, to) => motionEvents(cameraId, from, to), (events) => events.filter((e) => e.startMs < ms).at(-1));
}
