// The `from` and `to` of the media routes: parsing and checking, pure.

/** Milliseconds since the epoch, or an ISO 8601 date-time with a zone (what the schema lets through). */
export const TIME_PATTERN = '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}))$';
const TIME = new RegExp(TIME_PATTERN);

export type RangeCheck = { ok: true; fromMs: number; toMs: number } | { ok: false; code: 'invalid_time' | 'empty_range' | 'range_too_long'; message: string };

export function parseTime(text: string): number | undefined {
  if (!TIME.test(text)) return undefined;
  const ms = /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : undefined;
}

export function checkRange(from: string, to: string, maxLengthMs: number): RangeCheck {
  const fromMs = parseTime(from);
  const toMs = parseTime(to);
  if (fromMs === undefined || toMs === undefined) {
    return { ok: false, code: 'invalid_time', message: 'from and to are times: milliseconds since 1970 or ISO 8601 with a time zone (2026-01-31T12:00:00Z).' };
  }
  if (fromMs >= toMs) return { ok: false, code: 'empty_range', message: 'from must be before to.' };
  if (toMs - fromMs > maxLengthMs) {
    return { ok: false, code: 'range_too_long', message: `The range may be at most ${describeLength(maxLengthMs)} long.` };
  }
  return { ok: true, fromMs, toMs };
}

const describeLength = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000} day(s)` : `${Math.round(ms / 60_000)} minutes`);
