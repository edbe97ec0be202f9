import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitReader, removeEmulationPrevention } from '../../../src/media/codec/bit-reader.js';
import { avcDecoderConfig, parseH264Sps } from '../../../src/media/codec/h264.js';
import { hevcDecoderConfig, parseH265Sps } from '../../../src/media/codec/h265.js';
import { parameterSetsFromDecoderConfig, trackConfig } from '../../../src/media/codec/track-config.js';
import type { VideoCodec } from '../../../src/media/types.js';
import { annexBClip, clipFrames, HD_CLIP, parameterSetsOf } from '../../helpers/clips.js';

describe('bit fields', () => {
  it('drops the emulation-prevention byte after two zeros, and only there', () => {
    expect([...removeEmulationPrevention(Buffer.from([0, 0, 3, 1, 0, 3, 0, 0, 3]))]).toEqual([0, 0, 1, 0, 3, 0, 0]);
  });

  it('reads exp-Golomb codes', () => {
    // 1 | 010 | 011 | 00100 | 00101 → ue 0, 1, 2, 3, se(4) = -2
    const r = new BitReader(Buffer.from([0b10100110, 0b01000010, 0b10000000]));
    expect([r.ue(), r.ue(), r.ue(), r.ue(), r.se()]).toEqual([0, 1, 2, 3, -2]);
  });

  it('refuses to read past the end', () => {
    expect(() => new BitReader(Buffer.from([0])).ue()).toThrow(RangeError);
  });
});

const ONE_SECOND = { ...HD_CLIP, seconds: 1 };
const ODD_SIZE = { ...ONE_SECOND, width: 350, height: 198 };

/** The avcC/hvcC payload of the one-second HD clip for `codec`, muxed into MP4 by ffmpeg. */
async function decoderConfigByFfmpeg(dir: string, codec: VideoCodec, type: 'avcC' | 'hvcC'): Promise<Buffer> {
  const clip = await annexBClip(codec, ONE_SECOND);
  const mp4 = join(dir, `${codec}.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-c', 'copy', mp4]);
  const data = readFileSync(mp4);
  const at = data.indexOf(type);
  return data.subarray(at + 4, at - 4 + data.readUInt32BE(at - 4));
}

describe('parameter sets of real ffmpeg clips', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-codec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('H.264: size with cropping (720 is not a multiple of 16), profile and level, avcC, codec string', async () => {
    const frames = await clipFrames('h264', ONE_SECOND);
    const params = parameterSetsOf('h264', frames);
    const sps = parseH264Sps(params.sps);
    expect(sps).toMatchObject({ width: 1280, height: 720, profileIdc: 100, chromaFormatIdc: 1, bitDepthLuma: 8 });
    const track = trackConfig(params);
    expect(track.codecString).toBe(`avc1.64${sps.constraintFlags.toString(16).padStart(2, '0')}${sps.levelIdc.toString(16)}`);
    const avcC = avcDecoderConfig(params.sps, params.pps);
    expect([...avcC.subarray(0, 6)]).toEqual([1, 100, sps.constraintFlags, sps.levelIdc, 0xff, 0xe1]);
    expect(avcC.subarray(0, 4)).toEqual((await decoderConfigByFfmpeg(dir, 'h264', 'avcC')).subarray(0, 4));
    expect(parameterSetsFromDecoderConfig('avcC', avcC)).toEqual(params);
    expect(frames.filter((f) => f.keyframe)).toHaveLength(1);
    expect(frames).toHaveLength(25);
  });

  it('H.264 of an odd size: cropping on both axes', async () => {
    const params = parameterSetsOf('h264', await clipFrames('h264', ODD_SIZE));
    expect(parseH264Sps(params.sps)).toMatchObject({ width: 350, height: 198 });
  });

  it('H.265: size with the conformance window, profile_tier_level, hvcC, codec string', async () => {
    const frames = await clipFrames('h265', ONE_SECOND);
    const params = parameterSetsOf('h265', frames);
    const sps = parseH265Sps(params.sps);
    expect(sps).toMatchObject({ width: 1280, height: 720, profileIdc: 1, tierFlag: 0, profileSpace: 0, chromaFormatIdc: 1 });
    expect(sps.compatibilityFlags).toBe(0x60000000); // Main, compatible with Main and Main 10
    const track = trackConfig(params);
    // x265 marks its output progressive and frame-only (0x90); cameras often add non-packed (0xB0).
    expect(track.codecString).toBe(`hvc1.1.6.L${sps.levelIdc}.90`);
    const hvcC = hevcDecoderConfig(params.vps!, params.sps, params.pps);
    // The profile, tier, level and constraint bytes as ffmpeg's own MP4 muxer writes them.
    expect(hvcC.subarray(0, 13)).toEqual((await decoderConfigByFfmpeg(dir, 'h265', 'hvcC')).subarray(0, 13));
    expect(parameterSetsFromDecoderConfig('hvcC', hvcC)).toEqual(params);
    expect(frames).toHaveLength(25);
    expect(frames[0]!.keyframe).toBe(true);
    expect(frames.filter((f) => f.keyframe)).toHaveLength(1);
  });

  it('H.265 of an odd size', async () => {
    const params = parameterSetsOf('h265', await clipFrames('h265', ODD_SIZE));
    expect(parseH265Sps(params.sps)).toMatchObject({ width: 350, height: 198 });
  });

  it('refuses a NAL unit that is not an SPS', async () => {
    const frames = await clipFrames('h264', ONE_SECOND);
    expect(() => parseH264Sps(parameterSetsOf('h264', frames).pps)).toThrow(/not an H.264 SPS/);
  });
});
