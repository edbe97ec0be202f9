// A camera's motion events from the recorder, and the search for the next or previous one beyond what the timeline holds.
import type { MotionEvents } from '../../../src/recorder/api/motion-events.js';
import { request } from '../api.js';
import { windowsAfter, windowsBefore, type TimeRange } from './footage.js';

const DAY_MS = 86_400_000;
/** The recorder's limit on one request is 31 days; a second less leaves room for rounding to whole ms. */
const MAX_WINDOW_MS = 31 * DAY_MS - 1000;
/** How far back "previous event" looks: longer than any retention a recorder keeps. */
const SEARCH_BACK_MS = 400 * DAY_MS;

/** The events overlapping the range; one still going on ends now (on this browser's clock). */
export async function motionEvents(cameraId: number, fromMs: number, toMs: number): Promise<TimeRange[]> {
  const r = await request<MotionEvents>('GET', `/cameras/${cameraId}/events?from=${Math.floor(fromMs)}&to=${Math.ceil(toMs)}`);
  return r.events.map((e) => ({ startMs: Date.parse(e.start), endMs: e.end === null ? Math.max(Date.parse(e.start), Date.now()) : Date.parse(e.end) }));
}

/** The first event that starts after `ms`, however far ahead (up to a month past this browser's clock). */
export async function eventAfter(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  for (const w of windowsAfter(ms, Math.max(ms, Date.now()) + MAX_WINDOW_MS, MAX_WINDOW_MS)) {
    const found = (await motionEvents(cameraId, w.fromMs, w.toMs)).find((e) => e.startMs > ms);
    if (found) return found;
  }
  return undefined;
}

/** The last event that starts before `ms`, however far back. */
export async function eventBefore(cameraId: number, ms: number): Promise<TimeRange | undefined> {
  for (const w of windowsBefore(ms, ms - SEARCH_BACK_MS, MAX_WINDOW_MS)) {
    const found = (await motionEvents(cameraId, w.fromMs, w.toMs)).filter((e) => e.startMs < ms).at(-1);
    if (found) return found;
  }
  return undefined;
}
