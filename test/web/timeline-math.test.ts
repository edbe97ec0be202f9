// The Playback timeline's pure parts: time ↔ pixel at each zoom, tick placement, where footage is.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../web/src/playback/duration.js';
import { landingFor, nextFootage, previousFootage, windowsAfter, windowsBefore } from '../../web/src/playback/footage.js';
import { ticks } from '../../web/src/playback/ticks.js';
import { msAt, panBy, showing, xOf, zoomAround, zoomBy, zoomIndexOf, ZOOMS } from '../../web/src/playback/time-scale.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Local times on one day, so the tests hold in any time zone (no clock change on 15 June in most). */
const at = (h: number, m = 0, s = 0) => new Date(2026, 5, 15, h, m, s).getTime();
const day = { startMs: at(0), spanMs: 24 * HOUR };

describe('time ↔ pixel', () => {
  it('maps a day onto the width and back', () => {
    expect(xOf(at(12), day, 1200)).toBe(600);
    expect(xOf(at(6), day, 1200)).toBe(300);
    expect(msAt(300, day, 1200)).toBe(at(6));
  });

  it('at ten minutes a second is two pixels on 1200 px; ten minutes of footage at a day is 8.3 px', () => {
    const tenMinutes = { startMs: at(10), spanMs: ZOOMS[3].spanMs };
    expect(xOf(at(10, 0, 1), tenMinutes, 1200)).toBe(2);
    expect(xOf(at(10, 10), day, 1200) - xOf(at(10), day, 1200)).toBeCloseTo(8.33, 1);
  });

  it('zooming keeps the time under the pointer under the pointer', () => {
    const anchor = at(18);
    const zoomed = zoomAround(day, HOUR, anchor);
    expect(xOf(anchor, zoomed, 1200)).toBeCloseTo(xOf(anchor, day, 1200), 6);
    expect(zoomed.spanMs).toBe(HOUR);
  });

  it('steps through the levels and stops at each end', () => {
    expect(zoomBy(day, 1, at(12)).spanMs).toBe(6 * HOUR);
    expect(zoomBy(day, 3, at(12)).spanMs).toBe(10 * MIN);
    expect(zoomBy(day, -1, at(12))).toBe(day);
    const minute = { startMs: at(12), spanMs: MIN };
    expect(zoomBy(minute, 1, at(12))).toBe(minute);
  });

  it('a day of 23 or 25 hours is the "Day" zoom', () => {
    expect(zoomIndexOf(23 * HOUR)).toBe(0);
    expect(zoomIndexOf(25 * HOUR)).toBe(0);
    expect(zoomIndexOf(55 * MIN)).toBe(2);
  });

  it('pans by a fraction of the span, and turns the page when the playhead runs off it', () => {
    expect(panBy(day, 0.5).startMs).toBe(at(12));
    const hour = { startMs: at(10), spanMs: HOUR };
    expect(showing(hour, at(10, 30))).toBe(hour);
    expect(showing(hour, at(11, 5))).toEqual({ startMs: at(10, 59), spanMs: HOUR });
  });
});

describe('ticks', () => {
  it('a day on 1280 px: a label every two hours from midnight, a mark every hour', () => {
    const marks = ticks(day, 1280);
    const hours = ['02', '04', '06', '08', '10', '12', '14', '16', '18', '20', '22'].map((h) => `${h}:00`);
    expect(marks.filter((t) => t.label).map((t) => t.label)).toEqual([expect.any(String), ...hours, expect.any(String)]);
    expect(marks).toHaveLength(25);
    expect(marks[0]!.label).toBe(new Date(at(0)).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }));
  });

  it('a day on a phone (360 px): fewer labels, never closer than the gap asked for', () => {
    const labelled = ticks(day, 360).filter((t) => t.label);
    for (let i = 1; i < labelled.length; i++) expect(xOf(labelled[i]!.ms, day, 360) - xOf(labelled[i - 1]!.ms, day, 360)).toBeGreaterThanOrEqual(80);
    expect(labelled.map((t) => t.label)).toContain('06:00');
  });

  it('ten minutes from 10:03:20: labels on whole minutes, seconds under a minute', () => {
    const view = { startMs: at(10, 3, 20), spanMs: 10 * MIN };
    const labels = ticks(view, 1280).filter((t) => t.label).map((t) => t.label);
    expect(labels).toEqual(['10:04', '10:05', '10:06', '10:07', '10:08', '10:09', '10:10', '10:11', '10:12', '10:13']);
    const minute = { startMs: at(10, 3, 5), spanMs: MIN };
    expect(ticks(minute, 1280).find((t) => t.label)!.label).toBe('10:03:10');
  });
});

describe('where footage is', () => {
  const ranges = [
    { startMs: at(9), endMs: at(9, 10) },
    { startMs: at(11), endMs: at(11, 0, 30) },
    { startMs: at(14), endMs: at(15) },
  ];

  it('a pick on footage plays from the time picked', () => {
    expect(landingFor(ranges, at(9, 5))).toEqual({ kind: 'footage', ms: at(9, 5) });
  });

  it('a pick in a gap plays from the next footage, however far it is', () => {
    expect(landingFor(ranges, at(9, 30))).toEqual({ kind: 'next', ms: at(11) });
    expect(landingFor(ranges, at(11, 1))).toEqual({ kind: 'next', ms: at(14) });
    expect(landingFor(ranges, at(16))).toEqual({ kind: 'none' });
  });

  it('a pick a pixel beside a short range lands on it', () => {
    expect(landingFor(ranges, at(10, 59, 0), 2 * MIN)).toEqual({ kind: 'footage', ms: at(11) });
    expect(landingFor(ranges, at(11, 1), 2 * MIN)).toEqual({ kind: 'footage', ms: at(11, 0, 30) - 1 });
  });

  it('next and previous footage step range by range', () => {
    expect(nextFootage(ranges, at(9, 5))).toBe(at(11));
    expect(nextFootage(ranges, at(14, 30))).toBeUndefined();
    expect(previousFootage(ranges, at(14, 30))).toBe(at(11));
    expect(previousFootage(ranges, at(12))).toBe(at(11));
    expect(previousFootage(ranges, at(9, 5))).toBeUndefined();
  });

  it('searching further asks window after window up to the end, and back down to the start', () => {
    expect(windowsAfter(0, 70, 31)).toEqual([
      { fromMs: 0, toMs: 31 },
      { fromMs: 31, toMs: 62 },
      { fromMs: 62, toMs: 70 },
    ]);
    expect(windowsBefore(70, 0, 31)).toEqual([
      { fromMs: 39, toMs: 70 },
      { fromMs: 8, toMs: 39 },
      { fromMs: 0, toMs: 8 },
    ]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [3_000, '3 s'],
    [95_000, '1 min 35 s'],
    [3_600_000, '1 h'],
    [3_661_000, '1 h 1 min 1 s'],
  ])('%i ms is "%s"', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
