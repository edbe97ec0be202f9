// Days and times of the Playback page, in the browser's time zone. Pure.

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a time, for <input type="date">. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight to the next local midnight (23 or 25 hours on the days the clocks change). */
export function dayBounds(day: string): { startMs: number; endMs: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { startMs: new Date(y, m - 1, d).getTime(), endMs: new Date(y, m - 1, d + 1).getTime() };
}

/** `HH:MM:SS` of a time, for <input type="time" step="1">. */
export function timeOfDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A day and a `HH:MM` or `HH:MM:SS` on it, or undefined if the time is not one. */
export function atTimeOfDay(day: string, time: string): number | undefined {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!match) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, Number(match[1]), Number(match[2]), Number(match[3] ?? 0)).getTime();
}
