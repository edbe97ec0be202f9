import { describe, expect, it } from 'vitest';
import { camerasOnPage, gridShape, layoutFrom, pageCount } from '../../web/src/live/live-layout.js';
import { retryDelayMs } from '../../web/src/live/retry-backoff.js';

describe('live grid layouts', () => {
  it('are square: 1×1, 2×2, 3×3, 4×4', () => {
    expect([1, 4, 9, 16].map((n) => gridShape(n as 1 | 4 | 9 | 16))).toEqual([
      { columns: 1, rows: 1 },
      { columns: 2, rows: 2 },
      { columns: 3, rows: 3 },
      { columns: 4, rows: 4 },
    ]);
  });

  it('a stored layout is read back; anything else is the 2×2 default', () => {
    expect(['9', '16', '1', null, '5', 'x', ''].map(layoutFrom)).toEqual([9, 16, 1, 4, 4, 4, 4]);
  });

  it('six cameras in a 2×2 grid are two screens: four, then two', () => {
    const cameras = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(pageCount(cameras.length, 4)).toBe(2);
    expect(camerasOnPage(cameras, 4, 0)).toEqual({ page: 0, cameras: ['a', 'b', 'c', 'd'] });
    expect(camerasOnPage(cameras, 4, 1)).toEqual({ page: 1, cameras: ['e', 'f'] });
  });

  it('a screen past the end (cameras went away, or a bigger layout) shows the last one', () => {
    expect(camerasOnPage(['a', 'b', 'c'], 9, 2)).toEqual({ page: 0, cameras: ['a', 'b', 'c'] });
    expect(pageCount(0, 4)).toBe(1);
  });
});

describe('live tile retry backoff', () => {
  it('doubles from one second and stays at thirty', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
