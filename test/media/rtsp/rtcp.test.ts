import { describe, expect, it } from 'vitest';
import { receiverReport, senderReportsIn } from '../../../src/media/rtsp/rtcp.js';

describe('receiverReport', () => {
  it('is an RR with one report block followed by an SDES CNAME, as RFC 3550 §6.4.2 and §6.5 lay them out', () => {
    const packet = receiverReport(0x01020304, 'abc', {
      ssrc: 0xaabbccdd,
      fractionLost: 64,
      cumulativeLost: 300,
      extendedHighestSequence: 0x0001_0005,
      jitter: 123,
      lastSenderReport: 0x1234_5678,
      delaySinceLastSenderReport: 0x0001_8000,
    });
    // prettier-ignore
    expect([...packet]).toEqual([
      0x81, 201, 0, 7,                // V=2, RC=1, RR, 8 words
      0x01, 0x02, 0x03, 0x04,         // our SSRC
      0xaa, 0xbb, 0xcc, 0xdd,         // the camera's SSRC
      64, 0x00, 0x01, 0x2c,           // fraction lost 64/256, cumulative lost 300
      0x00, 0x01, 0x00, 0x05,         // 1 wrap, highest sequence 5
      0x00, 0x00, 0x00, 123,          // jitter
      0x12, 0x34, 0x56, 0x78,         // LSR
      0x00, 0x01, 0x80, 0x00,         // DLSR: 1.5 s
      0x81, 202, 0, 3,                // V=2, SC=1, SDES, 4 words
      0x01, 0x02, 0x03, 0x04,         // our SSRC
      1, 3, 0x61, 0x62, 0x63, 0, 0, 0, // CNAME "abc", end of list, padding
    ]);
  });

  it('has no report block before any RTP arrived, and clamps cumulative loss to 24 bits (negative too)', () => {
    expect([...receiverReport(7, 'abcd', undefined).subarray(0, 8)]).toEqual([0x80, 201, 0, 1, 0, 0, 0, 7]);
    const block = { ssrc: 1, fractionLost: 0, extendedHighestSequence: 0, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0 };
    expect(receiverReport(7, 'x', { ...block, cumulativeLost: 1e9 }).readUInt32BE(12)).toBe(0x007fffff);
    expect(receiverReport(7, 'x', { ...block, cumulativeLost: -2 }).readUInt32BE(12)).toBe(0x00fffffe);
    expect(receiverReport(7, 'x', { ...block, cumulativeLost: -1e9 }).readUInt32BE(12)).toBe(0x00800000);
  });
});

describe('senderReportsIn', () => {
  it('finds the SR in a compound packet and takes the middle 32 bits of its NTP timestamp', () => {
    // prettier-ignore
    const sr = [
      0x80, 200, 0, 6,
      0xaa, 0xbb, 0xcc, 0xdd,         // SSRC
      0xe8, 0x12, 0x34, 0x56,         // NTP seconds
      0x78, 0x9a, 0xbc, 0xde,         // NTP fraction
      0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, // RTP timestamp, packets, octets
    ];
    const sdes = [0x81, 202, 0, 2, 0xaa, 0xbb, 0xcc, 0xdd, 1, 1, 0x61, 0];
    expect(senderReportsIn(Buffer.from([...sr, ...sdes]))).toEqual([{ ssrc: 0xaabbccdd, ntpMiddle: 0x3456789a }]);
    expect(senderReportsIn(Buffer.from([...sdes, ...sr]))).toEqual([{ ssrc: 0xaabbccdd, ntpMiddle: 0x3456789a }]);
  });

  it('ignores what is not RTCP, and a packet cut short', () => {
    expect(senderReportsIn(Buffer.from([0x80, 0x60, 0, 1, 0, 0, 0, 0]))).toEqual([]); // RTP, not a sender report
    expect(senderReportsIn(Buffer.from([0x40, 200, 0, 6, ...new Array(24).fill(0)]))).toEqual([]); // version 1
    expect(senderReportsIn(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1]))).toEqual([]);
  });
});
