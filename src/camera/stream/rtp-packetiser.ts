import type { VideoCodec } from '../../media/types.js';

/**
 * The payload of one RTP packet, without the RTP header. Packetising happens once per frame and is
 * shared by every client: `body` is a view into the frame's NAL unit (no copy), `head` the few bytes
 * a fragmentation unit puts before it. Each client adds only its own 12-byte RTP header.
 */
export interface RtpPayload {
  head: Buffer;
  body: Buffer;
  /** The last packet of the frame (RTP marker bit). */
  marker: boolean;
}

/** Payload bytes per packet: with the RTP, UDP and IP headers this stays under a 1500-byte Ethernet MTU. */
export const DEFAULT_MAX_PAYLOAD = 1400;

const EMPTY = Buffer.alloc(0);

/**
 * One frame's NAL units as RTP payloads: H.264 per RFC 6184 (single NAL unit packets, FU-A for larger
 * ones) or H.265 per RFC 7798 (single, FU). Pure.
 */
export function packetiseFrame(codec: VideoCodec, nalus: readonly Buffer[], maxPayload = DEFAULT_MAX_PAYLOAD): RtpPayload[] {
  const payloads: RtpPayload[] = [];
  for (const nal of nalus) {
    if (nal.length <= maxPayload) payloads.push({ head: EMPTY, body: nal, marker: false });
    else if (codec === 'h264') fragmentH264(nal, maxPayload, payloads);
    else fragmentH265(nal, maxPayload, payloads);
  }
  const last = payloads.at(-1);
  if (last) last.marker = true;
  return payloads;
}

const FU_START = 0x80;
const FU_END = 0x40;

/** FU-A (type 28): the NAL header's F and NRI bits in the indicator, its type in the FU header. */
function fragmentH264(nal: Buffer, maxPayload: number, out: RtpPayload[]): void {
  const indicator = (nal[0]! & 0xe0) | 28;
  const type = nal[0]! & 0x1f;
  fragment(nal.subarray(1), maxPayload - 2, out, (flags) => Buffer.from([indicator, flags | type]));
}

/** FU (type 49): a 2-byte payload header copying the NAL header's F, layer and TID bits, then the FU header. */
function fragmentH265(nal: Buffer, maxPayload: number, out: RtpPayload[]): void {
  const header0 = (nal[0]! & 0x81) | (49 << 1);
  const header1 = nal[1]!;
  const type = (nal[0]! >> 1) & 0x3f;
  fragment(nal.subarray(2), maxPayload - 3, out, (flags) => Buffer.from([header0, header1, flags | type]));
}

function fragment(rest: Buffer, chunk: number, out: RtpPayload[], head: (flags: number) => Buffer): void {
  for (let offset = 0; offset < rest.length; offset += chunk) {
    const end = Math.min(offset + chunk, rest.length);
    const flags = (offset === 0 ? FU_START : 0) | (end === rest.length ? FU_END : 0);
    out.push({ head: head(flags), body: rest.subarray(offset, end), marker: false });
  }
}

export const RTP_HEADER_SIZE = 12;

export interface RtpHeaderFields {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
}

/** Writes a 12-byte RTP header (version 2, no padding, extension or CSRC) at `offset`. */
export function writeRtpHeader(target: Buffer, offset: number, fields: RtpHeaderFields): void {
  target[offset] = 0x80;
  target[offset + 1] = (fields.marker ? 0x80 : 0) | (fields.payloadType & 0x7f);
  target.writeUInt16BE(fields.sequence & 0xffff, offset + 2);
  target.writeUInt32BE(fields.timestamp >>> 0, offset + 4);
  target.writeUInt32BE(fields.ssrc >>> 0, offset + 8);
}
