import { sourceDescription } from '../../media/rtsp/rtcp.js';

/** Seconds between 1900 (the NTP epoch) and 1970 (the Unix epoch). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export interface SenderReportFields {
  ssrc: number;
  /** The wall-clock time the RTP timestamp below corresponds to, in ms since the Unix epoch. */
  wallClockMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  /** Names the source in the SDES item that RFC 3550 requires in every compound RTCP packet. */
  cname: string;
}

/**
 * A compound RTCP packet: a sender report (RFC 3550 §6.4.1) mapping an RTP timestamp to wall-clock
 * time, which recorders use to place frames in real time, followed by an SDES CNAME. Pure.
 */
export function senderReport(fields: SenderReportFields): Buffer {
  const sr = Buffer.alloc(28);
  sr[0] = 0x80; // version 2, no reception report blocks
  sr[1] = 200;
  sr.writeUInt16BE(sr.length / 4 - 1, 2);
  sr.writeUInt32BE(fields.ssrc >>> 0, 4);
  const seconds = Math.floor(fields.wallClockMs / 1000);
  const fraction = Math.floor(((fields.wallClockMs - seconds * 1000) / 1000) * 2 ** 32);
  sr.writeUInt32BE((seconds + NTP_UNIX_OFFSET) >>> 0, 8);
  sr.writeUInt32BE(fraction >>> 0, 12);
  sr.writeUInt32BE(fields.rtpTimestamp >>> 0, 16);
  sr.writeUInt32BE(fields.packetCount >>> 0, 20);
  sr.writeUInt32BE(fields.octetCount >>> 0, 24);
  return Buffer.concat([sr, sourceDescription(fields.ssrc, fields.cname)]);
}
