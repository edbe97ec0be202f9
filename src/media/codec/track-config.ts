import type { ParameterSets, VideoCodec } from '../types.js';
import { avcCodecString, avcDecoderConfig, H264_NAL, h264NalType, parseH264Sps } from './h264.js';
import { H265_NAL, h265NalType, hevcCodecString, hevcDecoderConfig, parseH265Sps } from './h265.js';

/** What an MP4 video track needs to know about a stream, derived from its parameter sets. */
export interface TrackConfig {
  codec: VideoCodec;
  width: number;
  height: number;
  /** RFC 6381, for MediaSource.isTypeSupported and the MIME type of playback streams. */
  codecString: string;
  sampleEntryType: 'avc1' | 'hvc1';
  configBoxType: 'avcC' | 'hvcC';
  /** The payload of the avcC/hvcC box. */
  decoderConfig: Buffer;
}

export function trackConfig(params: ParameterSets): TrackConfig {
  if (params.codec === 'h264') {
    const sps = parseH264Sps(params.sps);
    return {
      codec: 'h264',
      width: sps.width,
      height: sps.height,
      codecString: avcCodecString(params.sps),
      sampleEntryType: 'avc1',
      configBoxType: 'avcC',
      decoderConfig: avcDecoderConfig(params.sps, params.pps),
    };
  }
  if (!params.vps) throw new Error('an H.265 stream needs a VPS');
  const sps = parseH265Sps(params.sps);
  return {
    codec: 'h265',
    width: sps.width,
    height: sps.height,
    codecString: hevcCodecString(params.sps),
    sampleEntryType: 'hvc1',
    configBoxType: 'hvcC',
    decoderConfig: hevcDecoderConfig(params.vps, params.sps, params.pps),
  };
}

export function isParameterSet(codec: VideoCodec, nalu: Buffer): boolean {
  if (codec === 'h264') {
    const type = h264NalType(nalu);
    return type === H264_NAL.sps || type === H264_NAL.pps;
  }
  const type = h265NalType(nalu);
  return type === H265_NAL.vps || type === H265_NAL.sps || type === H265_NAL.pps;
}

/** The parameter sets a frame carries in band, when it carries a complete set (keyframes usually do). */
export function inBandParameterSets(codec: VideoCodec, nalus: readonly Buffer[]): ParameterSets | undefined {
  const find = (type: number) =>
    nalus.find((n) => (codec === 'h264' ? h264NalType(n) : h265NalType(n)) === type);
  if (codec === 'h264') {
    const sps = find(H264_NAL.sps);
    const pps = find(H264_NAL.pps);
    return sps && pps ? { codec, sps, pps } : undefined;
  }
  const vps = find(H265_NAL.vps);
  const sps = find(H265_NAL.sps);
  const pps = find(H265_NAL.pps);
  return vps && sps && pps ? { codec, vps, sps, pps } : undefined;
}

export function sameParameterSets(a: ParameterSets, b: ParameterSets): boolean {
  const same = (x: Buffer | undefined, y: Buffer | undefined) => (x && y ? x.equals(y) : x === y);
  return a.codec === b.codec && same(a.vps, b.vps) && a.sps.equals(b.sps) && a.pps.equals(b.pps);
}

/** The parameter sets held in an avcC or hvcC payload (the first of each kind), as this module writes them. */
export function parameterSetsFromDecoderConfig(boxType: 'avcC' | 'hvcC', config: Buffer): ParameterSets {
  if (boxType === 'avcC') {
    let at = 5;
    const spsCount = config[at++]! & 0x1f;
    const sets: Buffer[] = [];
    for (let i = 0; i < spsCount; i++, at += 2 + config.readUInt16BE(at)) sets.push(config.subarray(at + 2, at + 2 + config.readUInt16BE(at)));
    const ppsCount = config[at++]!;
    const pps = ppsCount > 0 ? config.subarray(at + 2, at + 2 + config.readUInt16BE(at)) : undefined;
    if (!sets[0] || !pps) throw new Error('avcC without an SPS and a PPS');
    return { codec: 'h264', sps: sets[0], pps };
  }
  const byType = new Map<number, Buffer>();
  let at = 23;
  const arrays = config[22]!;
  for (let a = 0; a < arrays; a++) {
    const type = config[at]! & 0x3f;
    const count = config.readUInt16BE(at + 1);
    at += 3;
    for (let i = 0; i < count; i++) {
      const length = config.readUInt16BE(at);
      if (!byType.has(type)) byType.set(type, config.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
  }
  const vps = byType.get(H265_NAL.vps);
  const sps = byType.get(H265_NAL.sps);
  const pps = byType.get(H265_NAL.pps);
  if (!vps || !sps || !pps) throw new Error('hvcC without a VPS, an SPS and a PPS');
  return { codec: 'h265', vps, sps, pps };
}
