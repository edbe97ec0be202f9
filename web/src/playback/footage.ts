// Where footage is, from the recorded ranges the timeline holds. Pure.

/** A stretch of time a camera recorded without a break. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** Where a pick on the timeline plays from. */
export type Landing =
  /** On footage: that very time. */
  | { kind: 'footage'; ms: number }
  /** In a gap: the start of the next footage. */
  | { kind: 'next'; ms: number }
  /** In a gap with no footage after it among these ranges: look further (or there is none). */
  | { kind: 'none' };

/**
 * Where playing from `ms` starts. A pick within `snapMs` of a range counts as on it (a short range
 * is a pixel or two wide at a day's zoom): it plays from the nearest time in the range.
 */
export function landingFor(ranges: readonly TimeRange[], ms: number, snapMs = 0): Landing {
  const hit = ranges.find((r) => ms >= r.startMs - snapMs && ms < r.endMs + snapMs);
  if (hit) return { kind: 'footage', ms: Math.min(Math.max(ms, hit.startMs), hit.endMs - 1) };
  const next = ranges.find((r) => r.startMs > ms);
  return next ? { kind: 'next', ms: next.startMs } : { kind: 'none' };
}

/** The range playing at `ms`, if any. */
export function rangeAt(ranges: readonly TimeRange[], ms: number): TimeRange | undefined {
  return ranges.find((r) => ms >= r.startMs && ms < r.endMs);
}

/** The start of the first range after the one playing at `ms` (or after the gap `ms` is in). */
export function nextFootage(ranges: readonly TimeRange[], ms: number): number | undefined {
  return ranges.find((r) => r.startMs > ms)?.startMs;
}

/** The start of the range before the one playing at `ms` (or before the gap `ms` is in). */
export function previousFootage(ranges: readonly TimeRange[], ms: number): number | undefined {
  const current = rangeAt(ranges, ms);
  const before = current ? current.startMs : ms;
  return ranges.filter((r) => r.endMs <= before).at(-1)?.startMs;
}

/**
 * The windows to ask the recorder for, one after the other, to find footage after `fromMs` (at most
 * `windowMs` each, the recorder's limit on one timeline request) up to `untilMs`: however far the
 * next footage is, and no further than there can be any.
 */
export function windowsAfter(fromMs: number, untilMs: number, windowMs: number): { fromMs: number; toMs: number }[] {
  const windows = [];
  for (let start = fromMs; start < untilMs; start += windowMs) windows.push({ fromMs: start, toMs: Math.min(untilMs, start + windowMs) });
  return windows;
}

/** The same, backwards from `toMs` down to `sinceMs`, newest window first. */
export function windowsBefore(toMs: number, sinceMs: number, windowMs: number): { fromMs: number; toMs: number }[] {
  const windows = [];
  for (let end = toMs; end > sinceMs; end -= windowMs) windows.push({ fromMs: Math.max(sinceMs, end - windowMs), toMs: end });
  return windows;
}
