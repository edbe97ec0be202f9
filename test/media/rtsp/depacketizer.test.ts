import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../../../src/media/types.js';
import { Depacketizer, type DepacketizerPacket } from '../../../src/media/rtsp/depacketizer.js';
import { h264 } from '../../../src/media/rtsp/h264.js';
import { h265 } from '../../../src/media/rtsp/h265.js';
import type { NalSyntax } from '../../../src/media/rtsp/nal-syntax.js';

/** The payload amid other bytes, as a payload lies in a received chunk: only data[start, end) may be read. */
function within(payload: Buffer): { data: Buffer; start: number; end: number } {
  const data = Buffer.concat([Buffer.from([0xee, 0xee, 0xee]), payload, Buffer.from([0xff, 0xff])]);
  return { data, start: 3, end: 3 + payload.length };
}

// NAL units with recognisable bodies. H.264 header: F(1) NRI(2) type(5); H.265: F(1) type(6) layer(6) tid(3).
const nal264 = (type: number, bodyLength: number, fill = type): Buffer => Buffer.concat([Buffer.from([0x60 | type]), Buffer.alloc(bodyLength, fill)]);
const nal265 = (type: number, bodyLength: number, fill = type): Buffer => Buffer.concat([Buffer.from([type << 1, 0x01]), Buffer.alloc(bodyLength, fill)]);

/** Packets as a camera would send them: one FU per fragment of at most `mtu` payload bytes. */
function fragments(syntax: NalSyntax, nal: Buffer, mtu: number): Buffer[] {
  const headerLength = syntax.headerLength;
  const type = syntax.type(nal);
  const payloadHeader = headerLength === 1 ? [(nal[0]! & 0xe0) | syntax.fragmentation] : [(nal[0]! & 0x81) | (syntax.fragmentation << 1), nal[1]!];
  const body = nal.subarray(headerLength);
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += mtu) {
    const start = offset === 0 ? 0x80 : 0;
    const end = offset + mtu >= body.length ? 0x40 : 0;
    pieces.push(Buffer.concat([Buffer.from([...payloadHeader, start | end | type]), body.subarray(offset, offset + mtu)]));
  }
  return pieces;
}

/** An aggregation packet (STAP-A or AP) of these NAL units. */
function aggregate(syntax: NalSyntax, nals: Buffer[]): Buffer {
  const header = syntax.headerLength === 1 ? [0x60 | syntax.aggregation] : [syntax.aggregation << 1, 0x01];
  return Buffer.concat([Buffer.from(header), ...nals.flatMap((nal) => [Buffer.from([nal.length >> 8, nal.length & 0xff]), nal])]);
}

function collect(syntax: NalSyntax): { depacketizer: Depacketizer; frames: AccessUnit[]; send(payloads: Buffer[], pts90k: number, options?: { marker?: boolean; lostBefore?: number }): void } {
  const frames: AccessUnit[] = [];
  const depacketizer = new Depacketizer(syntax, {}, (frame) => frames.push(frame));
  return {
    depacketizer,
    frames,
    send(payloads, pts90k, { marker = true, lostBefore = 0 } = {}) {
      payloads.forEach((payload, i) => {
        const packet: DepacketizerPacket = { ...within(payload), pts90k, marker: marker && i === payloads.length - 1, lost: i === 0 ? lostBefore : 0 };
        depacketizer.push(packet, 1000 + frames.length);
      });
    },
  };
}

describe('H.264 depacketizer (RFC 6184)', () => {
  const sps = nal264(7, 10);
  const pps = nal264(8, 3);
  const idr = nal264(5, 3000);
  const slice = (n: number): Buffer => nal264(1, 500, n);

  it('reassembles STAP-A and FU-A into a keyframe, then single-NAL frames, and learns SPS/PPS in-band', () => {
    const { frames, send, depacketizer } = collect(h264);
    send([aggregate(h264, [sps, pps]), ...fragments(h264, idr, 1400)], 3600);
    send([slice(1)], 7200);
    send([slice(2)], 10800);
    expect(frames.map((f) => [f.pts90k, f.keyframe, f.nalus.length])).toEqual([[3600, true, 3], [7200, false, 1], [10800, false, 1]]);
    expect(frames[0]!.nalus).toEqual([sps, pps, idr]);
    expect(frames[1]!.nalus[0]).toEqual(slice(1));
    expect(depacketizer.parameterSets()).toEqual({ codec: 'h264', sps, pps });
    expect(depacketizer.framesDropped).toBe(0);
  });

  it('ends a frame when the timestamp changes, for cameras that never set the marker bit', () => {
    const { frames, send } = collect(h264);
    send([sps, pps, idr], 0, { marker: false });
    send([slice(1)], 3600, { marker: false });
    send([slice(2)], 7200, { marker: false });
    expect(frames.map((f) => [f.pts90k, f.nalus.length])).toEqual([[0, 3], [3600, 1]]);
  });

  it('drops a frame that lost a fragment, and the frames after it until the next keyframe', () => {
    const { frames, send, depacketizer } = collect(h264);
    send([sps, pps, idr], 0);
    const [first, , third] = fragments(h264, slice(1), 200);
    send([first!], 3600, { marker: false });
    send([third!], 3600, { lostBefore: 1 }); // the middle fragment never came
    send([slice(2)], 7200);
    send([sps, pps, idr], 10800);
    send([slice(3)], 14400);
    expect(frames.map((f) => f.pts90k)).toEqual([0, 10800, 14400]);
    expect(depacketizer.framesDropped).toBe(2);
  });

  it('drops a frame whose first fragment was lost even when the gap falls between frames', () => {
    const { frames, send, depacketizer } = collect(h264);
    send([sps, pps, idr], 0);
    const [, second, third] = fragments(h264, slice(1), 200);
    send([second!, third!], 3600, { lostBefore: 1 });
    expect(frames).toHaveLength(1);
    expect(depacketizer.framesDropped).toBe(1);
  });

  it('carries parameter sets sent with a timestamp and marker of their own over to the next picture', () => {
    const { frames, send } = collect(h264);
    send([sps], 0);
    send([pps], 1);
    send(fragments(h264, idr, 1400), 3600);
    send([slice(1)], 7200);
    expect(frames.map((f) => [f.pts90k, f.keyframe, f.nalus.map((nal) => nal[0]! & 0x1f)])).toEqual([[3600, true, [7, 8, 5]], [7200, false, [1]]]);
  });

  it('ends a fragmented NAL unit at the marker bit when the end bit is missing, as LIVE555 sends them', () => {
    const { frames, send, depacketizer } = collect(h264);
    const pieces = fragments(h264, idr, 1000);
    const last = Buffer.from(pieces.at(-1)!);
    last[1]! &= ~0x40;
    send([sps, pps, ...pieces.slice(0, -1), last], 0);
    expect(frames.map((f) => f.nalus)).toEqual([[sps, pps, idr]]);
    expect(depacketizer.framesDropped).toBe(0);
  });

  it('passes nothing on before the first keyframe, without counting it as a loss', () => {
    const { frames, send, depacketizer } = collect(h264);
    send([slice(1)], 0);
    send([slice(2)], 3600);
    send([idr], 7200);
    expect(frames.map((f) => f.pts90k)).toEqual([7200]);
    expect(depacketizer.framesDropped).toBe(0);
  });

  it('keeps SDP parameter sets until in-band ones replace them', () => {
    const frames: AccessUnit[] = [];
    const fromSdp = nal264(7, 4, 0xaa);
    const depacketizer = new Depacketizer(h264, { sps: fromSdp, pps }, (frame) => frames.push(frame));
    expect(depacketizer.parameterSets()?.sps).toEqual(fromSdp);
    depacketizer.push({ ...within(sps), pts90k: 0, marker: false, lost: 0 }, 0);
    expect(depacketizer.parameterSets()?.sps).toEqual(sps);
  });
});

describe('H.265 depacketizer (RFC 7798)', () => {
  const vps = nal265(32, 20);
  const sps = nal265(33, 40);
  const pps = nal265(34, 6);
  const idr = nal265(19, 5000); // IDR_W_RADL
  const cra = nal265(21, 2000);
  const trail = (n: number): Buffer => nal265(1, 700, n);

  it('reassembles AP and FU into a keyframe, marks IRAP types as keyframes, and learns VPS/SPS/PPS', () => {
    const { frames, send, depacketizer } = collect(h265);
    send([aggregate(h265, [vps, sps, pps]), ...fragments(h265, idr, 1400)], 90000);
    send(fragments(h265, trail(1), 300), 93600);
    send([cra], 97200);
    expect(frames.map((f) => [f.pts90k, f.keyframe])).toEqual([[90000, true], [93600, false], [97200, true]]);
    expect(frames[0]!.nalus).toEqual([vps, sps, pps, idr]);
    expect(frames[1]!.nalus).toEqual([trail(1)]);
    expect(depacketizer.parameterSets()).toEqual({ codec: 'h265', vps, sps, pps });
  });

  it('drops a frame whose last fragment was lost and waits for the next keyframe', () => {
    const { frames, send, depacketizer } = collect(h265);
    send([vps, sps, pps, idr], 0);
    const pieces = fragments(h265, trail(1), 300);
    send(pieces.slice(0, -1), 3600, { marker: false }); // the end fragment (with the marker) is lost
    send([trail(2)], 7200, { lostBefore: 1 });
    send([cra], 10800);
    expect(frames.map((f) => f.pts90k)).toEqual([0, 10800]);
    expect(depacketizer.framesDropped).toBe(2);
  });

  it('has no parameter sets until it has all three', () => {
    const depacketizer = new Depacketizer(h265, { sps, pps }, () => {});
    expect(depacketizer.parameterSets()).toBeUndefined();
  });
});
