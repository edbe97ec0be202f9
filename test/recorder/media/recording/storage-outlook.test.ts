import { describe, expect, it } from 'vitest';
import { recentWriteRate, storageOutlook, WRITE_RATE_WINDOW_MS } from '../../../../src/recorder/media/recording/storage-outlook.js';

const GIB = 1024 ** 3;
const HOUR = 3_600_000;
const NOW = 100 * HOUR;

describe('recentWriteRate (pure)', () => {
  it('is null before anything was recorded', () => {
    expect(recentWriteRate([], NOW)).toBeNull();
  });

  it('counts only the part of a segment inside the last hour', () => {
    // Two hours at 1,000 bytes a second in one segment: half of it lies inside the window.
    const rate = recentWriteRate([{ startMs: NOW - 2 * HOUR, endMs: NOW, bytes: 7_200_000 }], NOW);
    expect(rate).toBeCloseTo(1000, 6);
  });

  it('adds up the cameras, and a recorder that started recording ten minutes ago divides by ten minutes', () => {
    const since = NOW - 600_000;
    const segments = [
      { startMs: since, endMs: NOW, bytes: 600_000 }, // 1,000 B/s
      { startMs: since + 300_000, endMs: NOW, bytes: 600_000 }, // 2,000 B/s, for the last five minutes
    ];
    expect(recentWriteRate(segments, NOW)).toBeCloseTo(2000, 6);
  });

  it('leaves out segments that ended before the window', () => {
    expect(recentWriteRate([{ startMs: NOW - 3 * HOUR, endMs: NOW - WRITE_RATE_WINDOW_MS - 1, bytes: 1e9 }], NOW)).toBe(0);
  });
});

describe('storageOutlook (pure)', () => {
  const disk = { freeBytes: 100 * GIB, totalBytes: 200 * GIB };
  const lastHour = [{ startMs: NOW - HOUR, endMs: NOW, bytes: 360_000_000 }]; // 100,000 B/s

  it('days that fit: the limit over a day at the current rate', () => {
    const outlook = storageOutlook({ footageBytes: 10 * GIB, disk, quotaBytes: 50 * GIB, recentSegments: lastHour, now: NOW });
    expect(outlook.limitBytes).toBe(50 * GIB);
    expect(outlook.writeBytesPerSecond).toBeCloseTo(100_000, 6);
    expect(outlook.daysThatFit).toBeCloseTo((50 * GIB) / (100_000 * 86_400), 6);
  });

  it('without a quota the disk limits it, less its reserve of 5%', () => {
    const outlook = storageOutlook({ footageBytes: 10 * GIB, disk, recentSegments: lastHour, now: NOW });
    expect(outlook.limitBytes).toBe(10 * GIB + 100 * GIB - 10 * GIB);
  });

  it('no rate, no days', () => {
    expect(storageOutlook({ footageBytes: 0, disk, recentSegments: [], now: NOW }).daysThatFit).toBeNull();
  });
});
