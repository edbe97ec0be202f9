/**
 * RTCP (RFC 3550 §6) as a receiver needs it: compound receiver reports out, sender reports in. Pure.
 */

/** One reception report block (RFC 3550 §6.4.1): how the stream of one source is arriving. */
export interface ReportBlock {
  /** The source reported on: the camera's SSRC. */
  ssrc: number;
  /** Packets lost since the previous report, as a fraction of those expected, in 1/256. */
  fractionLost: number;
  /** Packets lost since the start; negative when duplicates outnumber losses. 24 bits, clamped. */
  cumulativeLost: number;
  /** The highest sequence number received, with the count of its wraps in the upper 16 bits. */
  extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** The middle 32 bits of the NTP timestamp of the last sender report; 0 before one came. */
  lastSenderReport: number;
  /** Since that sender report arrived, in 1/65536 s; 0 before one came. */
  delaySinceLastSenderReport: number;
}

const RECEIVER_REPORT = 201;
const SENDER_REPORT = 200;
const SOURCE_DESCRIPTION = 202;
const CNAME = 1;
const MAX_CUMULATIVE_LOST = 0x7fffff;
const MIN_CUMULATIVE_LOST = -0x800000;

/**
 * A compound packet: a receiver report with at most one block (none before any RTP arrived), then
 * the SDES CNAME that every compound packet must carry (§6.1).
 */
export function receiverReport(reporterSsrc: number, cname: string, block: ReportBlock | undefined): Buffer {
  const rr = Buffer.alloc(8 + (block ? 24 : 0));
  rr[0] = 0x80 | (block ? 1 : 0); // version 2, reception report count
  rr[1] = RECEIVER_REPORT;
  rr.writeUInt16BE(rr.length / 4 - 1, 2);
  rr.writeUInt32BE(reporterSsrc >>> 0, 4);
  if (block) {
    const lost = Math.min(MAX_CUMULATIVE_LOST, Math.max(MIN_CUMULATIVE_LOST, block.cumulativeLost));
    rr.writeUInt32BE(block.ssrc >>> 0, 8);
    rr.writeUInt32BE(((block.fractionLost & 0xff) << 24 | (lost & 0xffffff)) >>> 0, 12);
    rr.writeUInt32BE(block.extendedHighestSequence >>> 0, 16);
    rr.writeUInt32BE(block.jitter >>> 0, 20);
    rr.writeUInt32BE(block.lastSenderReport >>> 0, 24);
    rr.writeUInt32BE(block.delaySinceLastSenderReport >>> 0, 28);
  }
  return Buffer.concat([rr, sourceDescription(reporterSsrc, cname)]);
}

/** An SDES packet with one chunk: the CNAME of `ssrc` (§6.5). */
export function sourceDescription(ssrc: number, cname: string): Buffer {
  const text = Buffer.from(cname, 'utf8').subarray(0, 255);
  // SSRC, CNAME item (type 1, length, text), end of list; padded with zeros to a 32-bit boundary.
  const chunkLength = Math.ceil((4 + 2 + text.length + 1) / 4) * 4;
  const sdes = Buffer.alloc(4 + chunkLength);
  sdes[0] = 0x81; // version 2, one chunk
  sdes[1] = SOURCE_DESCRIPTION;
  sdes.writeUInt16BE(sdes.length / 4 - 1, 2);
  sdes.writeUInt32BE(ssrc >>> 0, 4);
  sdes[8] = CNAME;
  sdes[9] = text.length;
  text.copy(sdes, 10);
  return sdes;
}

export interface SenderReport {
  ssrc: number;
  /** The middle 32 bits of its NTP timestamp: what a receiver report echoes as LSR. */
  ntpMiddle: number;
}

/** The sender reports in a compound RTCP packet; the rest of it (SDES, BYE, ...) is skipped. */
export function senderReportsIn(data: Buffer): SenderReport[] {
  const reports: SenderReport[] = [];
  for (let offset = 0; offset + 4 <= data.length; ) {
    if (data[offset]! >> 6 !== 2) break; // not RTCP version 2: nothing after it can be trusted
    const length = (data.readUInt16BE(offset + 2) + 1) * 4;
    if (offset + length > data.length) break;
    if (data[offset + 1] === SENDER_REPORT && length >= 20) {
      const ntpSeconds = data.readUInt32BE(offset + 8);
      const ntpFraction = data.readUInt32BE(offset + 12);
      reports.push({ ssrc: data.readUInt32BE(offset + 4), ntpMiddle: ((ntpSeconds & 0xffff) * 0x10000 + (ntpFraction >>> 16)) >>> 0 });
    }
    offset += length;
  }
  return reports;
}
