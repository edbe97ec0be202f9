import { u16, u32, u8 } from '../bytes.js';
import { BitReader, removeEmulationPrevention } from './bit-reader.js';

export const H265_NAL = { vps: 32, sps: 33, pps: 34, aud: 35, prefixSei: 39 } as const;

export const h265NalType = (nalu: Buffer): number => (nalu[0]! >> 1) & 0x3f;

/** IRAP pictures (BLA, IDR, CRA: types 16 to 21): a decoder can start there. */
export const isH265Irap = (type: number): boolean => type >= 16 && type <= 21;

/** The general part of profile_tier_level (H.265 7.3.3): what hvcC and the codec string carry. */
export interface H265ProfileTierLevel {
  profileSpace: number;
  tierFlag: number;
  profileIdc: number;
  /** general_profile_compatibility_flag[0..31], flag 0 in the most significant bit. */
  compatibilityFlags: number;
  /** The 48 bits after the compatibility flags (progressive_source_flag onwards), as 6 bytes. */
  constraintFlags: Buffer;
  levelIdc: number;
}

export interface H265Sps extends H265ProfileTierLevel {
  maxSubLayers: number;
  temporalIdNesting: boolean;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  width: number;
  height: number;
}

/** Parses an H.265 sequence parameter set NAL unit (2-byte header included). */
export function parseH265Sps(nalu: Buffer): H265Sps {
  if (h265NalType(nalu) !== H265_NAL.sps) throw new Error(`not an H.265 SPS (NAL type ${h265NalType(nalu)})`);
  const r = new BitReader(removeEmulationPrevention(nalu.subarray(2)));
  r.skip(4); // sps_video_parameter_set_id
  const maxSubLayers = r.bits(3) + 1;
  const temporalIdNesting = r.flag();
  const ptl = readProfileTierLevel(r, maxSubLayers);
  r.ue(); // sps_seq_parameter_set_id
  const chromaFormatIdc = r.ue();
  const separateColourPlane = chromaFormatIdc === 3 ? r.flag() : false;
  const codedWidth = r.ue();
  const codedHeight = r.ue();
  let crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.flag()) crop = { left: r.ue(), right: r.ue(), top: r.ue(), bottom: r.ue() };
  const bitDepthLuma = 8 + r.ue();
  const bitDepthChroma = 8 + r.ue();
  // The conformance window counts in chroma samples (H.265 7.4.3.2.1, table 6-1).
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidth = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeight = chromaArrayType === 1 ? 2 : 1;
  return {
    ...ptl,
    maxSubLayers,
    temporalIdNesting,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    width: codedWidth - subWidth * (crop.left + crop.right),
    height: codedHeight - subHeight * (crop.top + crop.bottom),
  };
}

function readProfileTierLevel(r: BitReader, maxSubLayers: number): H265ProfileTierLevel {
  const profileSpace = r.bits(2);
  const tierFlag = r.bits(1);
  const profileIdc = r.bits(5);
  const compatibilityFlags = r.bits(32);
  const constraintFlags = Buffer.from(Array.from({ length: 6 }, () => r.bits(8)));
  const levelIdc = r.bits(8);
  const subLayers = Array.from({ length: maxSubLayers - 1 }, () => ({ profile: r.flag(), level: r.flag() }));
  if (maxSubLayers > 1) r.skip(2 * (9 - maxSubLayers)); // reserved_zero_2bits up to 8 entries
  for (const sub of subLayers) {
    if (sub.profile) r.skip(88);
    if (sub.level) r.skip(8);
  }
  return { profileSpace, tierFlag, profileIdc, compatibilityFlags, constraintFlags, levelIdc };
}

/** The HEVCDecoderConfigurationRecord (ISO 14496-15 8.3.3) for 4-byte length-prefixed samples. */
export function hevcDecoderConfig(vps: Buffer, sps: Buffer, pps: Buffer): Buffer {
  const info = parseH265Sps(sps);
  const array = (type: number, nalu: Buffer) => Buffer.concat([u8(0x80 | type), u16(1), u16(nalu.length), nalu]);
  return Buffer.concat([
    u8(1),
    u8((info.profileSpace << 6) | (info.tierFlag << 5) | info.profileIdc),
    u32(info.compatibilityFlags),
    info.constraintFlags,
    u8(info.levelIdc),
    u16(0xf000), // min_spatial_segmentation_idc unknown (0)
    u8(0xfc), // parallelismType unknown (0)
    u8(0xfc | info.chromaFormatIdc),
    u8(0xf8 | (info.bitDepthLuma - 8)),
    u8(0xf8 | (info.bitDepthChroma - 8)),
    u16(0), // avgFrameRate unknown
    // constantFrameRate 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne 3
    u8((info.maxSubLayers << 3) | (Number(info.temporalIdNesting) << 2) | 3),
    u8(3),
    array(H265_NAL.vps, vps),
    array(H265_NAL.sps, sps),
    array(H265_NAL.pps, pps),
  ]);
}

/** RFC 6381 codec string as ISO 14496-15 annex E defines it for hvc1, e.g. hvc1.1.6.L93.B0. */
export function hevcCodecString(sps: Buffer): string {
  const info = parseH265Sps(sps);
  const space = ['', 'A', 'B', 'C'][info.profileSpace]!;
  let reversed = 0;
  for (let i = 0; i < 32; i++) reversed = reversed * 2 + ((info.compatibilityFlags >>> i) & 1);
  const constraints = [...info.constraintFlags];
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  return [
    'hvc1',
    `${space}${info.profileIdc}`,
    reversed.toString(16).toUpperCase(),
    `${info.tierFlag ? 'H' : 'L'}${info.levelIdc}`,
    ...constraints.map((b) => b.toString(16).toUpperCase()),
  ].join('.');
}
