import { describe, expect, it } from 'vitest';
import { parseRtpPacket, TimestampUnwrapper } from '../../../src/media/rtsp/rtp.js';

describe('parseRtpPacket', () => {
  it('reads the fixed header and says where the payload lies in the packet, without copying it', () => {
    const data = Buffer.from([0x80, 0xe0, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0x65, 0xaa]);
    const packet = parseRtpPacket(data)!;
    expect(packet).toMatchObject({ payloadType: 96, marker: true, sequence: 0x1234, timestamp: 0xdeadbeef, ssrc: 0x01020304 });
    expect([...packet.data.subarray(packet.payloadStart, packet.payloadEnd)]).toEqual([0x65, 0xaa]);
    expect(packet.data).toBe(data);
  });

  it('skips CSRCs and a header extension, and strips padding', () => {
    const header = [0xb2, 0x60, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7]; // padding, extension, 2 CSRCs, no marker
    const csrcs = [0, 0, 0, 1, 0, 0, 0, 2];
    const extension = [0xbe, 0xde, 0, 1, 1, 2, 3, 4]; // profile, 1 word, the word
    const payload = [0x41, 0x9a];
    const padding = [0, 0, 3];
    const packet = parseRtpPacket(Buffer.from([...header, ...csrcs, ...extension, ...payload, ...padding]))!;
    expect(packet).toMatchObject({ payloadType: 96, marker: false, sequence: 1, timestamp: 9 });
    expect([...packet.data.subarray(packet.payloadStart, packet.payloadEnd)]).toEqual(payload);
  });

  it('rejects what is not RTP version 2 or is cut short', () => {
    expect(parseRtpPacket(Buffer.from([0x40, 0x60, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7]))).toBeUndefined();
    expect(parseRtpPacket(Buffer.from([0x80, 0x60, 0, 1]))).toBeUndefined();
    expect(parseRtpPacket(Buffer.from([0x81, 0x60, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7]))).toBeUndefined(); // CSRC missing
    expect(parseRtpPacket(Buffer.from([0xa0, 0x60, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7, 0x41, 9]))).toBeUndefined(); // padding > payload
  });
});

describe('TimestampUnwrapper', () => {
  it('keeps counting up across the 32-bit wrap', () => {
    const unwrapper = new TimestampUnwrapper();
    const ts = [0xffff_f000, 0xffff_fe10, 0x0000_0c20, 0x0000_1a30].map((t) => unwrapper.unwrap(t));
    expect(ts).toEqual([0xffff_f000, 0xffff_fe10, 0x1_0000_0c20, 0x1_0000_1a30]);
  });

  it('takes a small step back as a step back, not as a jump forward of 2^32', () => {
    const unwrapper = new TimestampUnwrapper();
    expect([3600, 10800, 7200].map((t) => unwrapper.unwrap(t))).toEqual([3600, 10800, 7200]);
    const atWrap = new TimestampUnwrapper();
    expect([0x10, 0xffff_fff0].map((t) => atWrap.unwrap(t))).toEqual([0x10, -0x10]);
  });
});
