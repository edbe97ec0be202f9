import { describe, expect, it } from 'vitest';
import { groupFrames, splitAnnexB } from '../../../src/media/codec/annex-b.js';

const hex = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');

describe('Annex B', () => {
  it('splits at 3- and 4-byte start codes and drops trailing zero bytes', () => {
    const nalus = splitAnnexB(hex('00000001 6742 000001 68ce 0000 00000001 6588 00'));
    expect(nalus.map((n) => n.toString('hex'))).toEqual(['6742', '68ce', '6588']);
  });

  it('keeps an emulation-prevented 00 00 03 inside a NAL unit', () => {
    expect(splitAnnexB(hex('000001 4101 000003 01 ff')).map((n) => n.toString('hex'))).toEqual(['4101000003' + '01ff']);
  });

  it('groups H.264 NAL units into frames at delimiters, parameter sets and first slices', () => {
    // AUD, SPS, PPS, IDR slice (first_mb 0), IDR slice (first_mb ≠ 0) | non-IDR slice | AUD, non-IDR slice
    const nalus = ['09f0', '6742', '68ce', '6588', '6540', '4188', '09f0', '419a'].map(hex);
    const frames = groupFrames('h264', nalus);
    expect(frames.map((f) => [f.nalus.length, f.keyframe])).toEqual([
      [5, true],
      [1, false],
      [2, false],
    ]);
  });

  it('groups H.265 NAL units: VPS/SPS/PPS and an IDR, then trailing pictures', () => {
    // VPS, SPS, PPS, IDR_W_RADL (first slice), TRAIL_R (first slice), TRAIL_R (second slice), TRAIL_R (first slice)
    const nalus = ['4001', '4201', '4401', '260180', '020180', '020100', '0201a0'].map(hex);
    const frames = groupFrames('h265', nalus);
    expect(frames.map((f) => [f.nalus.length, f.keyframe])).toEqual([
      [4, true],
      [2, false],
      [1, false],
    ]);
  });
});
