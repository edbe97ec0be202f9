/** H.264 over RTP (RFC 6184, packetization modes 0 and 1): single NAL units, STAP-A and FU-A. */
import type { NalSyntax } from './nal-syntax.js';

const IDR = 5;
const SPS = 7;
const PPS = 8;

export const h264: NalSyntax = {
  codec: 'h264',
  headerLength: 1,
  type: (nal, at = 0) => nal[at]! & 0x1f,
  isSingleNal: (type) => type >= 1 && type <= 23,
  aggregation: 24,
  fragmentation: 28,
  fragmentTypeMask: 0x1f,
  // F and NRI come from the FU indicator, the type from the FU header.
  fragmentedNalHeader: (payload, nalType, at) => (payload[at]! & 0xe0) | nalType,
  isPicture: (type) => type >= 1 && type <= IDR,
  isKeyframe: (type) => type === IDR,
  parameterSet: (type) => (type === SPS ? 'sps' : type === PPS ? 'pps' : undefined),
};
