// Motion-only recording: which footage is kept, how much pre-roll is held, and the gate that
// applies it to a camera's frames (into a sink that notes what reached the recording). Pure.
import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../../../../src/media/types.js';
import type { FrameSink, GapReason } from '../../../../src/recorder/media/cameras/camera-supervisor.js';
import type { MotionNow } from '../../../../src/recorder/media/events/motion-status.js';
import { MotionGate } from '../../../../src/recorder/media/recording/motion-gate.js';
import { gopsPastPreRoll, keepsFootage, type MotionRecordingPolicy } from '../../../../src/recorder/media/recording/motion-window.js';

const POLICY: MotionRecordingPolicy = { preRollMs: 2000, postRollMs: 3000, maxHeldBytes: 1_000_000 };
const watched = (motion: Partial<MotionNow> = {}): MotionNow => ({ subscribed: true, openSince: null, lastEndAt: null, ...motion });

describe('which footage is kept', () => {
  it.each<[string, Parameters<typeof keepsFootage>[0], MotionNow, number, boolean]>([
    ['continuous: always', 'continuous', watched(), 10_000, true],
    ['motion-only, no motion yet: nothing', 'motion', watched(), 10_000, false],
    ['motion-only, motion going on', 'motion', watched({ openSince: 9000 }), 10_000, true],
    ['motion-only, within the post-roll', 'motion', watched({ lastEndAt: 8000 }), 10_999, true],
    ['motion-only, past the post-roll', 'motion', watched({ lastEndAt: 8000 }), 11_000, false],
    ["motion-only while the camera's events are not watched: everything (nothing is dropped for want of events)", 'motion', { subscribed: false, openSince: null, lastEndAt: null }, 10_000, true],
  ])('%s', (_name, mode, motion, now, kept) => {
    expect(keepsFootage(mode, motion, now, POLICY)).toBe(kept);
  });
});

describe('the pre-roll held', () => {
  it.each<[string, number[], number, number]>([
    ['one GOP: kept', [0], 10_000, 0],
    ['GOPs wholly before the pre-roll go; the one it starts in stays', [0, 1000, 2000, 3000], 4500, 2],
    ['a GOP that starts exactly at the pre-roll: those before it go', [0, 1000, 2000], 4000, 2],
    ['all within the pre-roll: kept', [3000, 3500], 4000, 0],
  ])('%s', (_name, gops, now, dropped) => {
    expect(gopsPastPreRoll(gops, now, POLICY)).toBe(dropped);
  });
});

/** What reached the recording: frames by their time, and gaps. */
class Noted implements FrameSink {
  readonly calls: (number | GapReason)[] = [];
  onFrame(au: AccessUnit): void {
    this.calls.push(au.receivedAt);
  }
  onGap(reason: GapReason): void {
    this.calls.push(reason);
  }
}

/** A frame every 250 ms, a keyframe every second, 1000 bytes. */
const frame = (ms: number): AccessUnit => ({ codec: 'h264', nalus: [Buffer.alloc(1000)], pts90k: ms * 90, keyframe: ms % 1000 === 0, receivedAt: ms });
const frames = (fromMs: number, toMs: number) => Array.from({ length: (toMs - fromMs) / 250 }, (_, i) => frame(fromMs + i * 250));

describe('the gate in front of the recording', () => {
  /** Motion from 5000 to 6000: kept from then until the post-roll (9000) ends. */
  const keeps = (now: number) => keepsFootage('motion', now < 5000 ? watched() : now < 6000 ? watched({ openSince: 5000 }) : watched({ lastEndAt: 6000 }), now, POLICY);

  it('writes nothing before motion, then the pre-roll from a keyframe, the event, the post-roll, and a gap at the next keyframe', () => {
    const noted = new Noted();
    const gate = new MotionGate(noted, keeps, POLICY);
    for (const f of frames(0, 12_000)) gate.onFrame(f, undefined);
    const times = noted.calls.filter((c): c is number => typeof c === 'number');
    // Pre-roll 2 s before 5000: the GOP at 3000 is the first kept, whole.
    expect(times[0]).toBe(3000);
    expect(times.at(-1)).toBe(8750);
    expect(times).toEqual(frames(3000, 9000).map((f) => f.receivedAt));
    expect(noted.calls.at(-1)).toBe('paused');
  });

  it('in continuous mode every frame passes as it comes', () => {
    const noted = new Noted();
    const gate = new MotionGate(noted, () => true, POLICY);
    for (const f of frames(0, 3000)) gate.onFrame(f, undefined);
    expect(noted.calls).toEqual(frames(0, 3000).map((f) => f.receivedAt));
  });

  it('a gap between drops what was held: frames before it are no pre-roll of what comes after', () => {
    const noted = new Noted();
    const gate = new MotionGate(noted, keeps, POLICY);
    for (const f of frames(2000, 4750)) gate.onFrame(f, undefined);
    gate.onGap('lost');
    for (const f of frames(5000, 5500)) gate.onFrame(f, undefined);
    expect(noted.calls).toEqual(['lost', 5000, 5250]);
  });

  it('holds at most its memory bound, the newest GOP always', () => {
    const noted = new Noted();
    // 1000-byte frames, 4 a GOP: a bound of 5000 bytes holds one GOP and a bit, never two whole.
    const gate = new MotionGate(noted, keeps, { ...POLICY, preRollMs: 60_000, maxHeldBytes: 5000 });
    for (const f of frames(0, 5250)) gate.onFrame(f, undefined);
    expect(noted.calls.filter((c) => typeof c === 'number')[0]).toBe(4000);
  });

  it('frames before the first keyframe are not held: a recording starts at a keyframe', () => {
    const noted = new Noted();
    const gate = new MotionGate(noted, keeps, POLICY);
    for (const f of frames(4250, 5250)) gate.onFrame(f, undefined);
    expect(noted.calls).toEqual([5000]);
  });
});
