import type { VideoCodec } from '../../../src/media/types.js';
import type { RtpPayload } from '../../../src/camera/stream/rtp-packetiser.js';

/**
 * Rebuilds NAL units from RTP payloads (single NAL unit packets and FU-A / FU fragments), written
 * from RFC 6184 §5.8 and RFC 7798 §4.4.3 independently of the packetiser, to check it.
 */
export function reassemble(codec: VideoCodec, payloads: readonly RtpPayload[]): Buffer[] {
  const nalus: Buffer[] = [];
  let fragments: Buffer[] | undefined;
  for (const { head, body } of payloads) {
    const packet = Buffer.concat([head, body]);
    const headerBytes = codec === 'h264' ? 1 : 2;
    const type = codec === 'h264' ? packet[0]! & 0x1f : (packet[0]! >> 1) & 0x3f;
    const fuType = codec === 'h264' ? 28 : 49;
    if (type !== fuType) {
      nalus.push(packet);
      continue;
    }
    const fuHeader = packet[headerBytes]!;
    const start = (fuHeader & 0x80) !== 0;
    const end = (fuHeader & 0x40) !== 0;
    if (start) {
      const nalType = fuHeader & 0x3f & (codec === 'h264' ? 0x1f : 0x3f);
      const header =
        codec === 'h264' ? Buffer.from([(packet[0]! & 0xe0) | nalType]) : Buffer.from([(packet[0]! & 0x81) | (nalType << 1), packet[1]!]);
      fragments = [header];
    }
    if (!fragments) throw new Error('a fragment without its start');
    fragments.push(packet.subarray(headerBytes + 1));
    if (end) {
      nalus.push(Buffer.concat(fragments));
      fragments = undefined;
    }
  }
  if (fragments) throw new Error('a fragmented NAL unit without its end');
  return nalus;
}
