// RTP over UDP as it may arrive (shuffled, repeated, with a packet missing) through PlayingStream:
// reorder buffer, then depacketizer, without a camera. One single-NAL H.264 packet per frame.
import { describe, expect, it } from 'vitest';
import { PlayingStream } from '../../../src/media/rtsp/playing-stream.js';
import { ManualClock } from '../../../src/shared/clock.js';

const IDR = 0x65;
const NON_IDR = 0x41;
const STEP = 3600; // 40 ms at 90 kHz

function rtp(sequence: number, timestamp: number, nalType: number): Buffer {
  const packet = Buffer.alloc(16);
  packet[0] = 0x80;
  packet[1] = 0x80 | 96; // marker: each packet is a whole frame
  packet.writeUInt16BE(sequence, 2);
  packet.writeUInt32BE(timestamp, 4);
  packet.writeUInt32BE(0xcafe, 8);
  packet[12] = nalType;
  packet.writeUInt16BE(sequence, 14);
  return packet;
}

/** Six frames, sequence numbers wrapping after the third; the fifth is a keyframe. */
const FRAMES = [
  rtp(65533, 0, IDR),
  rtp(65534, STEP, NON_IDR),
  rtp(65535, 2 * STEP, NON_IDR),
  rtp(0, 3 * STEP, NON_IDR),
  rtp(1, 4 * STEP, IDR),
  rtp(2, 5 * STEP, NON_IDR),
];

/** Feeds the packets (by index into FRAMES) 20 ms apart; returns the pts of the frames that came out, and the stats. */
async function play(order: number[]) {
  const clock = new ManualClock();
  const stream = new PlayingStream({ codec: 'h264', payloadType: 96, clockRate: 90_000, parameterSets: {}, clock, transport: 'udp', timeoutMs: 10_000, where: 'test', teardown: () => {} });
  const pts: number[] = [];
  const consumed = (async () => {
    for await (const frame of stream.frames()) pts.push(frame.pts90k);
  })();
  for (const index of order) {
    stream.receiveRtp(FRAMES[index]!);
    clock.advance(0.02);
  }
  // close() ends the iteration without handing out what is queued: let the consumer take it first.
  await new Promise(setImmediate);
  stream.close();
  await consumed;
  return { pts, stats: stream.stats() };
}

describe('PlayingStream over UDP', () => {
  it('passes shuffled and repeated packets on in order, each frame once', async () => {
    const { pts, stats } = await play([0, 2, 1, 3, 3, 5, 4, 0]);
    expect(pts).toEqual([0, 1, 2, 3, 4, 5].map((i) => i * STEP));
    expect(stats).toEqual({ lostPackets: 0, droppedFrames: 0, discardedPackets: 2 });
  });

  it('gives up a packet that does not come within the window: its frame and those after it up to the keyframe are dropped', async () => {
    // Index 2 never comes; 3 and 4 wait, and after 60 ms (more than the 50 ms window) 2 is lost.
    // Its frame and frame 3 (which depends on it) are dropped; decoding resumes at keyframe 4.
    const { pts, stats } = await play([0, 1, 3, 4, 5, 5, 5]);
    expect(pts).toEqual([0, STEP, 4 * STEP, 5 * STEP]);
    expect(stats).toEqual({ lostPackets: 1, droppedFrames: 1, discardedPackets: 2 });
  });
});

describe('PlayingStream watchdog', () => {
  it('a camera whose packets all come too late (sequence numbers jumped back) times out instead of stalling unseen', async () => {
    const stream = new PlayingStream({ codec: 'h264', payloadType: 96, clockRate: 90_000, parameterSets: {}, clock: new ManualClock(), transport: 'tcp', timeoutMs: 300, where: 'test', teardown: () => {} });
    const ended = (async () => {
      for await (const frame of stream.frames()) void frame;
    })();
    stream.startWatching();
    stream.receiveRtp(rtp(1000, 0, IDR));
    // Packets keep coming, every one behind the one expected: none is used.
    const late = setInterval(() => stream.receiveRtp(rtp(10, 0, NON_IDR)), 20);
    try {
      await expect(ended).rejects.toThrow(/sent no video for 0.3 s/);
    } finally {
      clearInterval(late);
    }
    expect(stream.stats().discardedPackets).toBeGreaterThan(0);
  });
});
