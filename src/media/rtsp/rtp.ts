/** RTP (RFC 3550): the fixed header, and 90 kHz time unwrapping. */

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** The packet as received; its payload is data[payloadStart, payloadEnd) (no view is made of it). */
  data: Buffer;
  payloadStart: number;
  payloadEnd: number;
}

/**
 * The packet in data[from, to), or undefined when it is not valid RTP version 2 (such packets are
 * dropped and counted). Written into `into` when given: a caller that keeps no packet past the
 * call reuses one object for all of them.
 */
export function parseRtpPacket(data: Buffer, from = 0, to = data.length, into?: RtpPacket): RtpPacket | undefined {
  if (to - from < 12) return undefined;
  const first = data[from]!;
  if (first >> 6 !== 2) return undefined;
  const csrcCount = first & 0x0f;
  let start = from + 12 + 4 * csrcCount;
  if (first & 0x10) {
    // Header extension: 2 bytes profile, 2 bytes length in 32-bit words, then the words.
    if (to < start + 4) return undefined;
    start += 4 + 4 * data.readUInt16BE(start + 2);
  }
  let end = to;
  if (first & 0x20) end -= data[to - 1]!;
  if (end < start) return undefined;
  const second = data[from + 1]!;
  const packet = into ?? ({} as RtpPacket);
  packet.payloadType = second & 0x7f;
  packet.marker = (second & 0x80) !== 0;
  packet.sequence = data.readUInt16BE(from + 2);
  packet.timestamp = data.readUInt32BE(from + 4);
  packet.ssrc = data.readUInt32BE(from + 8);
  packet.data = data;
  packet.payloadStart = start;
  packet.payloadEnd = end;
  return packet;
}

/**
 * Turns 32-bit RTP timestamps into a count that never jumps back at the wrap (every 13 hours at
 * 90 kHz). Each step is taken as the signed 32-bit difference, so small steps back (reordering,
 * B-frames) stay small steps back instead of becoming jumps of 2^32.
 */
export class TimestampUnwrapper {
  #last: number | undefined;
  #value = 0;

  unwrap(timestamp: number): number {
    if (this.#last === undefined) this.#value = timestamp;
    else this.#value += (timestamp - this.#last) | 0;
    this.#last = timestamp;
    return this.#value;
  }
}
