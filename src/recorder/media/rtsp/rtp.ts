/** RTP (RFC 3550): the fixed header, lost-packet counting by sequence number, and 90 kHz time unwrapping. */

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

/** What became of a packet, judged by its sequence number. */
export type SequenceVerdict =
  /** In order, maybe after `lost` packets that never came. */
  | { accept: true; lost: number }
  /** A duplicate or a packet older than one already taken (UDP reordering): too late to use. */
  | { accept: false };

const IN_ORDER: SequenceVerdict = { accept: true, lost: 0 };
const LATE: SequenceVerdict = { accept: false };

/** Counts lost packets from gaps in the 16-bit sequence numbers, across their wrap at 65536. */
export class SequenceTracker {
  #expected: number | undefined;
  lost = 0;
  late = 0;

  next(sequence: number): SequenceVerdict {
    const expected = this.#expected;
    if (expected === undefined || sequence === expected) {
      this.#expected = (sequence + 1) & 0xffff;
      return IN_ORDER;
    }
    const ahead = (sequence - expected) & 0xffff;
    // More than half the sequence space ahead means behind: a late or repeated packet.
    if (ahead >= 0x8000) {
      this.late++;
      return LATE;
    }
    this.#expected = (sequence + 1) & 0xffff;
    this.lost += ahead;
    return { accept: true, lost: ahead };
  }
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
