// The timeline's window of time and its mapping to pixels. Pure.

/** What the timeline shows: `spanMs` from `startMs`. */
export interface View {
  startMs: number;
  spanMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The zoom levels, widest first: buttons, the wheel and a pinch step through them. */
export const ZOOMS = [
  { label: 'Day', spanMs: 24 * HOUR },
  { label: '6 h', spanMs: 6 * HOUR },
  { label: '1 h', spanMs: HOUR },
  { label: '10 min', spanMs: 10 * MINUTE },
  { label: '1 min', spanMs: MINUTE },
] as const;

/** The pixel of a time, from the timeline's left edge (outside [0, width] when the time is not shown). */
export function xOf(ms: number, view: View, widthPx: number): number {
  return ((ms - view.startMs) / view.spanMs) * widthPx;
}

/** The time under a pixel. */
export function msAt(x: number, view: View, widthPx: number): number {
  return view.startMs + (x / widthPx) * view.spanMs;
}

/** The zoom level a span is (a day of 23 or 25 hours is still "Day"). */
export function zoomIndexOf(spanMs: number): number {
  let best = 0;
  ZOOMS.forEach((zoom, i) => {
    if (Math.abs(Math.log(zoom.spanMs / spanMs)) < Math.abs(Math.log(ZOOMS[best]!.spanMs / spanMs))) best = i;
  });
  return best;
}

/** A new span with `anchorMs` staying under the same pixel (the pointer, the pinch's middle, the playhead). */
export function zoomAround(view: View, spanMs: number, anchorMs: number): View {
  const fraction = Math.min(1, Math.max(0, (anchorMs - view.startMs) / view.spanMs));
  return { startMs: Math.round(anchorMs - fraction * spanMs), spanMs };
}

/** One zoom level in (steps > 0) or out (steps < 0), around `anchorMs`; unchanged at either end. */
export function zoomBy(view: View, steps: number, anchorMs: number): View {
  const index = Math.min(ZOOMS.length - 1, Math.max(0, zoomIndexOf(view.spanMs) + steps));
  const spanMs = ZOOMS[index]!.spanMs;
  return spanMs === view.spanMs ? view : zoomAround(view, spanMs, anchorMs);
}

/** Moved by a fraction of its span (negative: earlier). */
export function panBy(view: View, fraction: number): View {
  return { startMs: Math.round(view.startMs + fraction * view.spanMs), spanMs: view.spanMs };
}

/** The same view if `ms` is on it; else one that shows `ms` a tenth of the way in (a player running off the right edge turns the page). */
export function showing(view: View, ms: number): View {
  if (ms >= view.startMs && ms <= view.startMs + view.spanMs) return view;
  return { startMs: Math.round(ms - view.spanMs / 10), spanMs: view.spanMs };
}
