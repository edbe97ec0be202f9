import { describe, expect, it } from 'vitest';
import { AnnexBFrameReader } from '../../../src/camera/stream/access-units.js';
import { AnnexBSplitter } from '../../../src/camera/stream/annexb.js';
import { findParameterSets } from '../../../src/camera/stream/nal.js';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

// H.264: SPS, PPS, an IDR picture in two slices (first_mb_in_slice 0, then not 0), then a P picture.
const SPS = hex('67 42c01f aabb');
const PPS = hex('68 ce3c80');
const IDR_SLICE_1 = hex('65 88 8001');
const IDR_SLICE_2 = hex('65 21 8002');
const P_SLICE = hex('41 9a 0203');
const AUD = hex('09 f0');

function annexB(nalus: Buffer[], longStartCodes: boolean): Buffer {
  const code = longStartCodes ? hex('00000001') : hex('000001');
  return Buffer.concat(nalus.flatMap((nal) => [code, nal]));
}

describe('Annex B splitting', () => {
  it('finds the NAL units behind 3- and 4-byte start codes, however the stream is cut into chunks', () => {
    const nalus = [SPS, PPS, IDR_SLICE_1, IDR_SLICE_2, P_SLICE];
    for (const long of [false, true]) {
      const stream = annexB(nalus, long);
      for (let chunkSize = 1; chunkSize <= stream.length; chunkSize++) {
        const splitter = new AnnexBSplitter();
        const found: Buffer[] = [];
        for (let offset = 0; offset < stream.length; offset += chunkSize) found.push(...splitter.push(stream.subarray(offset, offset + chunkSize)));
        found.push(...splitter.end());
        expect(found).toEqual(nalus);
      }
    }
  });
});

describe('access units', () => {
  it('groups slices into pictures (a new picture at first_mb_in_slice 0 or a parameter set) and drops delimiters', () => {
    const reader = new AnnexBFrameReader('h264');
    const stream = annexB([AUD, SPS, PPS, IDR_SLICE_1, IDR_SLICE_2, AUD, P_SLICE, P_SLICE], true);
    const frames = [...reader.push(stream), ...reader.end()];
    expect(frames).toEqual([
      { nalus: [SPS, PPS, IDR_SLICE_1, IDR_SLICE_2], keyframe: true },
      { nalus: [P_SLICE], keyframe: false },
      { nalus: [P_SLICE], keyframe: false },
    ]);
    expect(findParameterSets('h264', frames[0]!.nalus)).toEqual({ codec: 'h264', sps: SPS, pps: PPS });
    expect(findParameterSets('h264', frames[1]!.nalus)).toBeUndefined();
  });

  it('knows H.265 headers: VPS/SPS/PPS, IRAP keyframes, first_slice_segment_in_pic_flag, suffix SEI staying with its picture', () => {
    const vps = hex('4001 0c01');
    const sps = hex('4201 0101');
    const pps = hex('4401 c172');
    const idr = hex('2601 af09'); // IDR_W_RADL (19), first slice
    const suffixSei = hex('5001 0102'); // type 40
    const trail = hex('0201 d0aa'); // TRAIL_R (1), first slice
    const reader = new AnnexBFrameReader('h265');
    const frames = [...reader.push(annexB([vps, sps, pps, idr, suffixSei, trail], false)), ...reader.end()];
    expect(frames).toEqual([
      { nalus: [vps, sps, pps, idr, suffixSei], keyframe: true },
      { nalus: [trail], keyframe: false },
    ]);
    expect(findParameterSets('h265', frames[0]!.nalus)).toEqual({ codec: 'h265', vps, sps, pps });
  });
});
