import type { ParameterSets, VideoCodec } from '../../media/types.js';

/** What the simulated camera needs to know about a NAL unit, from its header (and the slice header's first bit). */
export interface NalInfo {
  /** A coded slice of a picture. */
  vcl: boolean;
  /** The first slice of a picture (first_mb_in_slice 0 in H.264, first_slice_segment_in_pic_flag in H.265). */
  firstSliceOfPicture: boolean;
  /** Only ever at the start of an access unit (delimiter, parameter sets, prefix SEI...). */
  startsAccessUnit: boolean;
  /** An IDR (H.264) or IRAP (H.265) slice: a decoder can start here. */
  keyframe: boolean;
  /** An access unit delimiter: carries nothing a receiver needs, so it is not sent. */
  delimiter: boolean;
  parameterSet?: 'vps' | 'sps' | 'pps';
}

export function nalInfo(codec: VideoCodec, nal: Buffer): NalInfo {
  return codec === 'h264' ? h264NalInfo(nal) : h265NalInfo(nal);
}

function h264NalInfo(nal: Buffer): NalInfo {
  const type = (nal[0] ?? 0) & 0x1f;
  const vcl = type >= 1 && type <= 5;
  return {
    vcl,
    // first_mb_in_slice is the slice header's first ue(v): it is 0 exactly when its first bit is 1.
    firstSliceOfPicture: vcl && ((nal[1] ?? 0) & 0x80) !== 0,
    startsAccessUnit: type === 6 || type === 7 || type === 8 || type === 9 || (type >= 14 && type <= 18),
    keyframe: type === 5,
    delimiter: type === 9,
    parameterSet: type === 7 ? 'sps' : type === 8 ? 'pps' : undefined,
  };
}

function h265NalInfo(nal: Buffer): NalInfo {
  const type = ((nal[0] ?? 0) >> 1) & 0x3f;
  const vcl = type <= 31;
  return {
    vcl,
    firstSliceOfPicture: vcl && ((nal[2] ?? 0) & 0x80) !== 0,
    // VPS, SPS, PPS, AUD, prefix SEI and the reserved types the spec places before a picture's first slice.
    startsAccessUnit: (type >= 32 && type <= 35) || type === 39 || (type >= 41 && type <= 44) || (type >= 48 && type <= 55),
    keyframe: type >= 16 && type <= 21,
    delimiter: type === 35,
    parameterSet: type === 32 ? 'vps' : type === 33 ? 'sps' : type === 34 ? 'pps' : undefined,
  };
}

/** The parameter sets among a frame's NAL units, if it carries all the codec needs (encoders repeat them on keyframes). */
export function findParameterSets(codec: VideoCodec, nalus: readonly Buffer[]): ParameterSets | undefined {
  const found: Partial<Record<'vps' | 'sps' | 'pps', Buffer>> = {};
  for (const nal of nalus) {
    const kind = nalInfo(codec, nal).parameterSet;
    if (kind && !found[kind]) found[kind] = nal;
  }
  if (!found.sps || !found.pps || (codec === 'h265' && !found.vps)) return undefined;
  return codec === 'h265' ? { codec, vps: found.vps, sps: found.sps, pps: found.pps } : { codec, sps: found.sps, pps: found.pps };
}
