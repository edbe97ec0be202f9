import type { StorageHistory } from '../api.js';

const DAY_MS = 86_400_000;

export interface UsageSeries {
  /** Each day's local midnight, in seconds as uPlot reads time: every day from the first with footage to the last. */
  days: number[];
  cameras: { label: string; bytes: number[] }[];
}

/** A camera removed since keeps its footage, and its number, until retention deletes it. */
export const cameraLabel = (camera: StorageHistory['cameras'][number]) => camera.name ?? `Removed camera ${camera.cameraId}`;

/**
 * The answer of GET /storage/history as the chart's columns: a day without footage is a zero, so a
 * camera that was off for a day shows a dip rather than a line drawn across the gap. Pure.
 */
export function usageSeries(history: StorageHistory): UsageSeries {
  const dayNumbers = history.cameras.flatMap((camera) => camera.days.map((day) => Date.parse(day.date) / DAY_MS));
  if (dayNumbers.length === 0) return { days: [], cameras: [] };
  const first = Math.min(...dayNumbers);
  const count = Math.max(...dayNumbers) - first + 1;
  const days = Array.from({ length: count }, (_, i) => {
    // The dates are calendar days here; the axis shows them at this browser's midnight.
    const date = new Date((first + i) * DAY_MS);
    return new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()).getTime() / 1000;
  });
  const cameras = history.cameras.map((camera) => {
    const bytes = new Array<number>(count).fill(0);
    for (const day of camera.days) bytes[Date.parse(day.date) / DAY_MS - first] = day.bytes;
    return { label: cameraLabel(camera), bytes };
  });
  return { days, cameras };
}
