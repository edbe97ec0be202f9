import type { AccessUnit, ParameterSets } from '../../../media/types.js';
import type { FrameSink, GapReason } from '../cameras/camera-supervisor.js';
import { frameBytes } from '../cameras/stream-measure.js';
import { gopsPastPreRoll, MOTION_RECORDING, type MotionRecordingPolicy } from './motion-window.js';

interface HeldGop {
  /** When its keyframe arrived. */
  at: number;
  frames: { au: AccessUnit; params: ParameterSets | undefined }[];
  bytes: number;
}

/**
 * Motion-only recording in front of a camera's recording sink: frames pass while `keeps` says the
 * footage is kept (motion-window.ts), and between events the last few seconds are held in memory,
 * whole GOPs from a keyframe, so an event's recording starts with its pre-roll. Decided at
 * keyframes only: a recording starts at one, and ending a GOP later costs less than a second.
 * When footage stops being kept, the open segment is ended: the timeline shows a gap until the next event.
 */
export class MotionGate implements FrameSink {
  #writing = false;
  /** The held GOPs, oldest first, each from its keyframe. */
  #held: HeldGop[] = [];
  #heldBytes = 0;

  constructor(
    private readonly recording: FrameSink,
    /** Whether footage at this time (a frame's arrival) is kept. */
    private readonly keeps: (now: number) => boolean,
    private readonly policy: MotionRecordingPolicy = MOTION_RECORDING,
  ) {}

  onFrame(au: AccessUnit, params: ParameterSets | undefined): void {
    if (au.keyframe) {
      const keep = this.keeps(au.receivedAt);
      if (keep && !this.#writing) {
        this.#writing = true;
        this.#trim(au.receivedAt); // the pre-roll is counted back from now, not from the last frame held
        for (const gop of this.#held) for (const held of gop.frames) this.recording.onFrame(held.au, held.params);
        this.#release();
      } else if (!keep && this.#writing) {
        this.#writing = false;
        this.recording.onGap('paused');
      }
    }
    if (this.#writing) this.recording.onFrame(au, params);
    else this.#hold(au, params);
  }

  onGap(reason: GapReason): void {
    // Held frames would not follow on from the next ones: what is before a gap is not a pre-roll.
    this.#release();
    this.#writing = false;
    this.recording.onGap(reason);
  }

  #hold(au: AccessUnit, params: ParameterSets | undefined): void {
    if (au.keyframe) this.#held.push({ at: au.receivedAt, frames: [], bytes: 0 });
    const gop = this.#held.at(-1);
    if (!gop) return; // nothing to start a recording from until a keyframe
    const bytes = frameBytes(au);
    gop.frames.push({ au, params });
    gop.bytes += bytes;
    this.#heldBytes += bytes;
    this.#trim(au.receivedAt);
  }

  /** Lets go of the held GOPs past the pre-roll at `now`, and of the oldest over the memory bound. */
  #trim(now: number): void {
    let drop = gopsPastPreRoll(
      this.#held.map((g) => g.at),
      now,
      this.policy,
    );
    // Over the memory bound the oldest GOPs go too; the newest always stays.
    while (drop + 1 < this.#held.length && this.#heldBytes - this.#bytesOf(drop) > this.policy.maxHeldBytes) drop++;
    this.#heldBytes -= this.#bytesOf(drop);
    this.#held = this.#held.slice(drop);
  }

  /** Bytes of the oldest `count` held GOPs. */
  #bytesOf(count: number): number {
    return this.#held.slice(0, count).reduce((sum, gop) => sum + gop.bytes, 0);
  }

  #release(): void {
    this.#held = [];
    this.#heldBytes = 0;
  }
}
