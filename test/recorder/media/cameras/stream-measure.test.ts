import { describe, expect, it } from 'vitest';
import { measureFrames, sampleComplete } from '../../../../src/recorder/media/cameras/stream-measure.js';

const frames = (ptsList: number[], bytes: number | number[]) =>
  ptsList.map((pts90k, i) => ({ pts90k, nalus: [Buffer.alloc(Array.isArray(bytes) ? bytes[i]! : bytes)] }));
const every = (count: number, step: number) => Array.from({ length: count }, (_, i) => i * step);

describe('measureFrames', () => {
  it.each([
    ['25 fps, 5 000 bytes a frame', frames(every(51, 3_600), 5_000), { fps: 25, bitrate: 1_000_000 }],
    ['30 fps', frames(every(31, 3_000), 1_250), { fps: 30, bitrate: 300_000 }],
    ['29.97 fps (3003 ticks)', frames(every(31, 3_003), 1_000), { fps: 29.97, bitrate: Math.round((30 * 1_000 * 8) / ((30 * 3_003) / 90_000)) }],
    ['the last frame’s bytes are not counted', frames([0, 90_000], [1_000, 999_999]), { fps: 1, bitrate: 8_000 }],
    ['a big keyframe among small ones', frames([0, 45_000, 90_000], [10_000, 2_000, 3_000]), { fps: 2, bitrate: 96_000 }],
    ['several NAL units per frame add up', [{ pts90k: 0, nalus: [Buffer.alloc(10), Buffer.alloc(15)] }, { pts90k: 90_000, nalus: [] }], { fps: 1, bitrate: 200 }],
    ['one frame: nothing', frames([0], 100), {}],
    ['no frames: nothing', [], {}],
    ['times that do not move: nothing', frames([5, 5, 5], 100), {}],
    ['times that go back: nothing', frames([9_000, 0], 100), {}],
  ])('%s', (_name, input, expected) => {
    expect(measureFrames(input)).toEqual(expected);
  });
});

describe('sampleComplete', () => {
  it.each([
    [[0], false],
    [[0, 90_000], false],
    [[0, 90_000, 180_000], true], // two seconds
    [every(119, 1), false],
    [every(120, 1), true], // enough frames, whatever their times
  ])('%j: %s', (pts, complete) => {
    expect(sampleComplete(pts.map((pts90k) => ({ pts90k })))).toBe(complete);
  });
});
