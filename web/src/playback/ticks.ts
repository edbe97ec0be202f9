// Where the timeline's marks go and what they say, in the browser's time zone. Pure.
import type { View } from './time-scale.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Steps between labelled marks, smallest first; each divides a day. */
const STEPS = [10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR];
/** Unlabelled marks between the labelled ones, for each step above. */
const MINOR_STEPS = [2 * SECOND, 10 * SECOND, 15 * SECOND, MINUTE, 5 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, HOUR, HOUR, 3 * HOUR, 3 * HOUR];

export interface Tick {
  ms: number;
  /** Labelled marks have text: `HH:MM` (or `HH:MM:SS` under a minute), the date at midnight. */
  label?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock ms: the clock's reading as if it were UTC, so steps align to local hours. */
const wallOf = (ms: number) => ms - new Date(ms).getTimezoneOffset() * MINUTE;
const fromWall = (wall: number) => wall + new Date(wall).getTimezoneOffset() * MINUTE;

function labelOf(ms: number, stepMs: number): string {
  const d = new Date(ms);
  if (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0) return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return stepMs < MINUTE ? `${time}:${pad(d.getSeconds())}` : time;
}

/** The smallest step whose labels stand at least `minGapPx` apart. */
export function labelStep(view: View, widthPx: number, minGapPx = 80): number {
  return STEPS.find((step) => (step / view.spanMs) * widthPx >= minGapPx) ?? STEPS[STEPS.length - 1]!;
}

/** The marks on a view `widthPx` wide: labelled ones at the step that fits, minor ones between. */
export function ticks(view: View, widthPx: number, minGapPx = 80): Tick[] {
  const step = labelStep(view, widthPx, minGapPx);
  const minor = MINOR_STEPS[STEPS.indexOf(step)]!;
  const endMs = view.startMs + view.spanMs;
  const marks: Tick[] = [];
  for (let wall = Math.ceil(wallOf(view.startMs) / minor) * minor; ; wall += minor) {
    const ms = fromWall(wall);
    if (ms > endMs) break;
    if (ms < view.startMs) continue; // the hour that repeats when the clocks go back
    marks.push(wall % step === 0 ? { ms, label: labelOf(ms, step) } : { ms });
  }
  return marks;
}
