import { describe, expect, it } from 'vitest';
import { checkRange, parseTime } from '../../../../src/recorder/http/media-range.js';

describe('media time ranges', () => {
  it('takes milliseconds or ISO 8601 with a zone', () => {
    expect(parseTime('1769860800000')).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseTime('2026-01-31T12:00:00Z')).toBe(Date.UTC(2026, 0, 31, 12));
    expect(parseTime('2026-01-31T13:00:00.500+01:00')).toBe(Date.UTC(2026, 0, 31, 12) + 500);
    for (const bad of ['', 'now', '2026-01-31', '2026-01-31T12:00:00', '2026-13-45T99:00:00Z', '-5', '1e9', ' 1']) expect([bad, parseTime(bad)]).toEqual([bad, undefined]);
  });

  it('from before to, and no longer than the limit', () => {
    expect(checkRange('1000', '2000', 1000)).toEqual({ ok: true, fromMs: 1000, toMs: 2000 });
    expect(checkRange('2000', '2000', 1000)).toMatchObject({ ok: false, code: 'empty_range' });
    expect(checkRange('2001', '2000', 1000)).toMatchObject({ ok: false, code: 'empty_range' });
    expect(checkRange('1000', '2001', 1000)).toMatchObject({ ok: false, code: 'range_too_long' });
    expect(checkRange('x', '2000', 1000)).toMatchObject({ ok: false, code: 'invalid_time' });
  });
});
