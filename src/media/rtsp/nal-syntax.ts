/** What the frame assembler needs to know about a codec's NAL units and RTP payload format. */
import type { VideoCodec } from '../types.js';

export type ParameterSetName = 'vps' | 'sps' | 'pps';

export interface NalSyntax {
  codec: VideoCodec;
  /** Bytes of NAL unit header, also the RTP payload header (1 for H.264, 2 for H.265). */
  headerLength: 1 | 2;
  /** The NAL unit type (or RTP payload structure type) from the header byte(s) at `at`. */
  type(nalOrPayload: Buffer, at?: number): number;
  /** Payload types that carry one NAL unit as it is. */
  isSingleNal(type: number): boolean;
  /** The aggregation packet type (STAP-A, AP): 16-bit sizes, each followed by a NAL unit. */
  aggregation: number;
  /** The fragmentation unit type (FU-A, FU): one NAL unit split over packets. */
  fragmentation: number;
  /** Mask of the NAL type in the FU header byte. */
  fragmentTypeMask: number;
  /** The header of the NAL unit a fragmentation unit (its payload at `at`) carries, as one big-endian number. */
  fragmentedNalHeader(payload: Buffer, nalType: number, at: number): number;
  /** A NAL unit type that carries (a slice of) a picture, as opposed to parameter sets, SEI, AUD. */
  isPicture(type: number): boolean;
  /** A NAL unit type that makes its frame a starting point for decoding (IDR, IRAP). */
  isKeyframe(type: number): boolean;
  parameterSet(type: number): ParameterSetName | undefined;
}
