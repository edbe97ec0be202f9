import { describe, expect, it } from 'vitest';
import { cellBox, cellCount, fitsTimeCode, readTimeCode, TIME_CODE_FORMAT, timeCodeCells, timeCodeLayout, type TimeCodeLayout } from '../../../src/camera/stream/time-code.js';

/** The strip's box as a picture would show it (grey, 1 channel): black margin, the cells, optional noise. */
function paint(layout: TimeCodeLayout, cells: boolean[], levels = { white: 235, black: 16 }): Uint8Array {
  const pixels = new Uint8Array(layout.width * layout.height).fill(levels.black);
  cells.forEach((white, index) => {
    const { x, y, size } = cellBox(layout, index);
    for (let row = y - layout.y; row < y - layout.y + size; row++) {
      pixels.fill(white ? levels.white : levels.black, row * layout.width + (x - layout.x), row * layout.width + (x - layout.x) + size);
    }
  });
  return pixels;
}

const layout = timeCodeLayout(1280, 720);
const captureMs = Date.UTC(2026, 10, 25, 1, 40, 12, 345);

describe('time code strip', () => {
  it('fits 720p as 16 px blocks on the macroblock grid, bottom left', () => {
    expect(layout).toMatchObject({ block: 16, x: 16, width: (cellCount(TIME_CODE_FORMAT) + 2) * 16, height: 48 });
    expect(layout.y % 16).toBe(0);
    expect(layout.y + layout.height).toBeLessThan(720);
    expect(timeCodeLayout(640, 360).block).toBe(8);
    // Narrow pictures get smaller blocks so that the strip fits; tiny ones get none.
    const small = timeCodeLayout(320, 240);
    expect(small.block).toBe(7);
    expect(small.x + small.width).toBeLessThanOrEqual(320);
    expect(fitsTimeCode(64, 64)).toBe(false);
    expect(() => timeCodeLayout(64, 64)).toThrow(/too small/);
  });

  it('reads back the capture time it was painted with, grey or RGBA', () => {
    const grey = paint(layout, timeCodeCells(captureMs));
    expect(readTimeCode({ data: grey, channels: 1 }, layout, captureMs + 800)).toEqual({ ok: true, captureMs });
    const rgba = new Uint8ClampedArray(grey.length * 4);
    grey.forEach((level, i) => rgba.set([level, level, level, 255], i * 4));
    expect(readTimeCode({ data: rgba, channels: 4 }, layout, captureMs + 800)).toEqual({ ok: true, captureMs });
  });

  it('finds the full time across a wrap of the 32-bit value, from a reader clock on either side', () => {
    const wrapMs = 2 ** 32 * 410; // a multiple of 2^32: the written value is 0 there
    const cells = timeCodeCells(wrapMs - 3);
    expect(readTimeCode({ data: paint(layout, cells), channels: 1 }, layout, wrapMs + 500)).toEqual({ ok: true, captureMs: wrapMs - 3 });
    expect(readTimeCode({ data: paint(layout, timeCodeCells(wrapMs + 2)), channels: 1 }, layout, wrapMs - 10)).toEqual({ ok: true, captureMs: wrapMs + 2 });
  });

  it('reports any single flipped bit as a check failure instead of a wrong time', () => {
    const cells = timeCodeCells(captureMs);
    for (let index = 2; index < cells.length; index++) {
      const flipped = cells.map((white, i) => (i === index ? !white : white));
      expect(readTimeCode({ data: paint(layout, flipped), channels: 1 }, layout, captureMs), `cell ${index}`).toEqual({ ok: false, reason: 'check' });
    }
  });

  it('refuses a picture without the strip, and a block that is neither black nor white', () => {
    const flat = new Uint8Array(layout.width * layout.height).fill(128);
    expect(readTimeCode({ data: flat, channels: 1 }, layout, captureMs)).toEqual({ ok: false, reason: 'no-strip' });
    const grey = paint(layout, timeCodeCells(captureMs));
    const { x, y, size } = cellBox(layout, 7);
    for (let row = y - layout.y; row < y - layout.y + size; row++) grey.fill(125, row * layout.width + x - layout.x, row * layout.width + x - layout.x + size);
    expect(readTimeCode({ data: grey, channels: 1 }, layout, captureMs)).toEqual({ ok: false, reason: 'unclear' });
  });

  it('reads through the compression-like blur of block edges and level shifts', () => {
    const grey = paint(layout, timeCodeCells(captureMs), { white: 200, black: 40 });
    // Smear every block's outer quarter towards mid grey, as deblocking and ringing do at the edges.
    for (let i = 0; i < grey.length; i++) {
      const x = (i % layout.width) % layout.block;
      const y = Math.floor(i / layout.width) % layout.block;
      if (x < 3 || x > 12 || y < 3 || y > 12) grey[i] = 128;
    }
    expect(readTimeCode({ data: grey, channels: 1 }, layout, captureMs)).toEqual({ ok: true, captureMs });
  });
});
