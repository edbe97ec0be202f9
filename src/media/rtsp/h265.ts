/** H.265 over RTP (RFC 7798, without DONL: sprop-max-don-diff 0): single NAL units, AP and FU. */
import type { NalSyntax } from './nal-syntax.js';

const FIRST_IRAP = 16; // BLA_W_LP
const LAST_IRAP = 21; // CRA_NUT
const LAST_VCL = 31;
const VPS = 32;
const SPS = 33;
const PPS = 34;

export const h265: NalSyntax = {
  codec: 'h265',
  headerLength: 2,
  type: (nal, at = 0) => (nal[at]! >> 1) & 0x3f,
  isSingleNal: (type) => type <= 47,
  aggregation: 48,
  fragmentation: 49,
  fragmentTypeMask: 0x3f,
  // F, LayerId and TID come from the payload header, the type from the FU header.
  fragmentedNalHeader: (payload, nalType, at) => (((payload[at]! & 0x81) | (nalType << 1)) << 8) | payload[at + 1]!,
  isPicture: (type) => type <= LAST_VCL,
  isKeyframe: (type) => type >= FIRST_IRAP && type <= LAST_IRAP,
  parameterSet: (type) => (type === VPS ? 'vps' : type === SPS ? 'sps' : type === PPS ? 'pps' : undefined),
};
