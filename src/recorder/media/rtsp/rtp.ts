/** RTP (RFC 3550): the fixed header, and 90 kHz time unwrapping. */

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** A view into the received datagram or TCP chunk, not a copy. */
  payload: Buffer;
}

/** The packet, or undefined when it is not valid RTP version 2 (such packets are dropped and counted). */
export function parseRtpPacket(data: Buffer): RtpPacket | undefined {
  if (data.length < 12) return undefined;
  const first = data[0]!;
  if (first >> 6 !== 2) return undefined;
  const csrcCount = first & 0x0f;
  let start = 12 + 4 * csrcCount;
  if (first & 0x10) {
    // Header extension: 2 bytes profile, 2 bytes length in 32-bit words, then the words.
    if (data.length < start + 4) return undefined;
    start += 4 + 4 * data.readUInt16BE(start + 2);
  }
  let end = data.length;
  if (first & 0x20) end -= data[data.length - 1]!;
  if (end < start) return undefined;
  const second = data[1]!;
  return {
    payloadType: second & 0x7f,
    marker: (second & 0x80) !== 0,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(start, end),
  };
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
