import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VideoCodec } from '../../../src/media/types.js';
import { packetiseFrame, writeRtpHeader } from '../../../src/camera/stream/rtp-packetiser.js';
import { reassemble } from './rtp-reassembly.js';

/** A NAL unit of `size` bytes with a valid header of the given type. */
function nal(codec: VideoCodec, type: number, size: number, fill = 0xab): Buffer {
  const unit = Buffer.alloc(size, fill);
  if (codec === 'h264') unit[0] = 0x60 | type;
  else {
    unit[0] = type << 1;
    unit[1] = 0x01; // nuh_temporal_id_plus1
  }
  return unit;
}

describe('H.264 packetiser (RFC 6184)', () => {
  it('sends a small NAL unit as it is, with the marker on the last packet of the frame', () => {
    const sps = nal('h264', 7, 20);
    const slice = nal('h264', 5, 900);
    const payloads = packetiseFrame('h264', [sps, slice], 1400);
    expect(payloads).toHaveLength(2);
    expect(payloads.map((p) => p.head.length)).toEqual([0, 0]);
    expect(payloads[0]!.body).toBe(sps);
    expect(payloads.map((p) => p.marker)).toEqual([false, true]);
  });

  it('splits a large NAL unit into FU-A fragments with start and end bits and the NAL header bits', () => {
    const slice = nal('h264', 5, 3000);
    const payloads = packetiseFrame('h264', [slice], 1400);
    expect(payloads).toHaveLength(3);
    for (const payload of payloads) {
      expect(payload.head.length + payload.body.length).toBeLessThanOrEqual(1400);
      expect(payload.head[0]).toBe(0x60 | 28); // NRI kept, type FU-A
      expect(payload.head[1]! & 0x1f).toBe(5);
    }
    expect(payloads.map((p) => p.head[1]! & 0xc0)).toEqual([0x80, 0x00, 0x40]);
    expect(payloads.map((p) => p.marker)).toEqual([false, false, true]);
    // The NAL header is not repeated in the fragments: 2999 bytes follow it.
    expect(payloads.reduce((sum, p) => sum + p.body.length, 0)).toBe(2999);
  });

  it('shares the frame data instead of copying it', () => {
    const slice = nal('h264', 1, 5000);
    const payloads = packetiseFrame('h264', [slice], 1400);
    for (const payload of payloads) expect(payload.body.buffer).toBe(slice.buffer);
  });
});

describe('H.265 packetiser (RFC 7798)', () => {
  it('splits a large NAL unit into FUs: type 49 payload header, layer and TID kept, FU header with the type', () => {
    const idr = nal('h265', 19, 4000);
    const payloads = packetiseFrame('h265', [nal('h265', 32, 24), nal('h265', 33, 40), nal('h265', 34, 8), idr], 1400);
    const fragments = payloads.slice(3);
    expect(fragments).toHaveLength(3);
    for (const payload of fragments) {
      expect(payload.head).toHaveLength(3);
      expect((payload.head[0]! >> 1) & 0x3f).toBe(49);
      expect(payload.head[1]).toBe(0x01);
      expect(payload.head[2]! & 0x3f).toBe(19);
    }
    expect(fragments.map((p) => p.head[2]! & 0xc0)).toEqual([0x80, 0x00, 0x40]);
    expect(payloads.map((p) => p.marker)).toEqual([false, false, false, false, false, true]);
  });
});

describe('packetising then reassembling gives the original NAL units', () => {
  for (const codec of ['h264', 'h265'] as const) {
    it(codec, () => {
      const nalUnit = fc
        .tuple(fc.integer({ min: 1, max: codec === 'h264' ? 23 : 40 }), fc.uint8Array({ minLength: 2, maxLength: 6000 }))
        .map(([type, bytes]) => {
          const unit = Buffer.from(bytes);
          if (codec === 'h264') unit[0] = (unit[0]! & 0x60) | type;
          else unit[0] = (type << 1) | (unit[0]! & 0x01);
          return unit;
        });
      fc.assert(
        fc.property(fc.array(nalUnit, { minLength: 1, maxLength: 6 }), fc.integer({ min: 100, max: 1500 }), (nalus, mtu) => {
          const payloads = packetiseFrame(codec, nalus, mtu);
          for (const payload of payloads) expect(payload.head.length + payload.body.length).toBeLessThanOrEqual(mtu);
          expect(payloads.filter((p) => p.marker)).toHaveLength(1);
          expect(payloads.at(-1)!.marker).toBe(true);
          expect(reassemble(codec, payloads)).toEqual(nalus);
        }),
      );
    });
  }
});

describe('RTP header', () => {
  it('writes version 2, the marker, payload type, and wraps sequence and timestamp', () => {
    const header = Buffer.alloc(12);
    writeRtpHeader(header, 0, { payloadType: 96, marker: true, sequence: 65536 + 7, timestamp: 2 ** 32 + 90_000, ssrc: 0xdeadbeef });
    expect(header.toString('hex')).toBe('80e00007' + '00015f90' + 'deadbeef');
  });
});
