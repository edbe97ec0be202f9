import { u16 } from '../bytes.js';
import { BitReader, removeEmulationPrevention } from './bit-reader.js';

export const H264_NAL = { idr: 5, sei: 6, sps: 7, pps: 8, aud: 9 } as const;

export const h264NalType = (nalu: Buffer): number => nalu[0]! & 0x1f;

export interface H264Sps {
  profileIdc: number;
  /** constraint_set0..5 flags and the reserved bits: the middle byte of avcC and of the codec string. */
  constraintFlags: number;
  levelIdc: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** The picture as shown, after the cropping window. */
  width: number;
  height: number;
}

/** Profiles whose SPS carries chroma format and bit depth (and whose avcC has the extension bytes). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Parses an H.264 sequence parameter set NAL unit (header byte included). */
export function parseH264Sps(nalu: Buffer): H264Sps {
  if (h264NalType(nalu) !== H264_NAL.sps) throw new Error(`not an H.264 SPS (NAL type ${h264NalType(nalu)})`);
  const r = new BitReader(removeEmulationPrevention(nalu.subarray(1)));
  const profileIdc = r.bits(8);
  const constraintFlags = r.bits(8);
  const levelIdc = r.bits(8);
  r.ue(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ue();
    if (chromaFormatIdc === 3) separateColourPlane = r.flag();
    bitDepthLuma = 8 + r.ue();
    bitDepthChroma = 8 + r.ue();
    r.skip(1); // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {
      const lists = chromaFormatIdc === 3 ? 12 : 8;
      for (let i = 0; i < lists; i++) if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) {
    r.ue(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (pocType === 1) {
    r.skip(1); // delta_pic_order_always_zero_flag
    r.se(); // offset_for_non_ref_pic
    r.se(); // offset_for_top_to_bottom_field
    const cycle = r.ue();
    for (let i = 0; i < cycle; i++) r.se();
  }
  r.ue(); // max_num_ref_frames
  r.skip(1); // gaps_in_frame_num_value_allowed_flag
  const widthInMbs = r.ue() + 1;
  const heightInMapUnits = r.ue() + 1;
  const frameMbsOnly = r.flag();
  if (!frameMbsOnly) r.skip(1); // mb_adaptive_frame_field_flag
  r.skip(1); // direct_8x8_inference_flag
  let crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.flag()) crop = { left: r.ue(), right: r.ue(), top: r.ue(), bottom: r.ue() };

  // Crop offsets count in chroma samples (and field pairs when interlaced): H.264 7.4.2.1.1.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const fieldFactor = frameMbsOnly ? 1 : 2;
  const cropUnitX = chromaArrayType === 0 || chromaFormatIdc === 3 ? 1 : 2;
  const cropUnitY = (chromaArrayType === 0 || chromaFormatIdc !== 1 ? 1 : 2) * fieldFactor;
  return {
    profileIdc,
    constraintFlags,
    levelIdc,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    width: widthInMbs * 16 - cropUnitX * (crop.left + crop.right),
    height: fieldFactor * heightInMapUnits * 16 - cropUnitY * (crop.top + crop.bottom),
  };
}

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** The AVCDecoderConfigurationRecord (ISO 14496-15 5.3.3) for 4-byte length-prefixed samples. */
export function avcDecoderConfig(sps: Buffer, pps: Buffer): Buffer {
  const info = parseH264Sps(sps);
  const head = Buffer.from([1, info.profileIdc, info.constraintFlags, info.levelIdc, 0xfc | 3, 0xe0 | 1]);
  const parts = [head, u16(sps.length), sps, Buffer.from([1]), u16(pps.length), pps];
  if (HIGH_PROFILES.has(info.profileIdc)) {
    parts.push(
      Buffer.from([0xfc | info.chromaFormatIdc, 0xf8 | (info.bitDepthLuma - 8), 0xf8 | (info.bitDepthChroma - 8), 0]),
    );
  }
  return Buffer.concat(parts);
}

/** RFC 6381 codec string, e.g. avc1.64001f. */
export function avcCodecString(sps: Buffer): string {
  const { profileIdc, constraintFlags, levelIdc } = parseH264Sps(sps);
  return `avc1.${[profileIdc, constraintFlags, levelIdc].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
