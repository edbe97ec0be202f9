import type { VideoCodec } from '../types.js';
import { H264_NAL, h264NalType } from './h264.js';
import { H265_NAL, h265NalType, isH265Irap } from './h265.js';

/**
 * Annex B byte streams (NAL units separated by 00 00 01 start codes), as `ffmpeg -f h264/hevc`
 * writes them: for tests and the simulated camera, not for the recording path (RTP carries bare
 * NAL units).
 */

/** The NAL units of an Annex B stream, without start codes. */
export function splitAnnexB(stream: Buffer): Buffer[] {
  const starts: { codeAt: number; dataAt: number }[] = [];
  for (let i = 0; i + 2 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push({ codeAt: i > 0 && stream[i - 1] === 0 ? i - 1 : i, dataAt: i + 3 });
      i += 2;
    }
  }
  return starts
    .map((s, k) => stream.subarray(s.dataAt, k + 1 < starts.length ? starts[k + 1]!.codeAt : stream.length))
    .map(trimTrailingZeros)
    .filter((n) => n.length > 0);
}

function trimTrailingZeros(nalu: Buffer): Buffer {
  let end = nalu.length;
  while (end > 0 && nalu[end - 1] === 0) end--;
  return nalu.subarray(0, end);
}

export interface Frame {
  nalus: Buffer[];
  keyframe: boolean;
}

/**
 * Groups NAL units into frames (access units, H.264 7.4.1.2.3 / H.265 7.4.2.4.4): a new one
 * starts at an access unit delimiter, a parameter set or prefix SEI after a picture, or at the
 * first slice of a picture.
 */
export function groupFrames(codec: VideoCodec, nalus: readonly Buffer[]): Frame[] {
  const frames: Frame[] = [];
  let current: Frame = { nalus: [], keyframe: false };
  let hasPicture = false;
  for (const nalu of nalus) {
    const kind = classify(codec, nalu);
    if (hasPicture && (kind === 'prefix' || kind === 'first-slice')) {
      frames.push(current);
      current = { nalus: [], keyframe: false };
      hasPicture = false;
    }
    current.nalus.push(nalu);
    if (kind === 'first-slice' || kind === 'slice') {
      hasPicture = true;
      current.keyframe ||= isKeyframeSlice(codec, nalu);
    }
  }
  if (current.nalus.length > 0) frames.push(current);
  return frames;
}

function classify(codec: VideoCodec, nalu: Buffer): 'prefix' | 'first-slice' | 'slice' | 'other' {
  if (codec === 'h264') {
    const type = h264NalType(nalu);
    if (type === 1 || type === H264_NAL.idr) return (nalu[1]! & 0x80) !== 0 ? 'first-slice' : 'slice'; // first_mb_in_slice == 0
    return type === H264_NAL.aud || type === H264_NAL.sps || type === H264_NAL.pps || type === H264_NAL.sei
      ? 'prefix'
      : 'other';
  }
  const type = h265NalType(nalu);
  if (type < 32) return (nalu[2]! & 0x80) !== 0 ? 'first-slice' : 'slice'; // first_slice_segment_in_pic_flag
  return type === H265_NAL.aud || type === H265_NAL.vps || type === H265_NAL.sps || type === H265_NAL.pps || type === H265_NAL.prefixSei
    ? 'prefix'
    : 'other';
}

function isKeyframeSlice(codec: VideoCodec, nalu: Buffer): boolean {
  return codec === 'h264' ? h264NalType(nalu) === H264_NAL.idr : isH265Irap(h265NalType(nalu));
}
