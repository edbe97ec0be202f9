/**
 * Frames between the socket and the one consumer of frames(): an async iterable that ends at
 * end() and throws after fail(). When the consumer falls behind by more than `limit` frames the
 * backlog is dropped up to the next keyframe, so a stalled consumer cannot exhaust memory.
 */
import type { AccessUnit } from '../types.js';

export class FrameQueue {
  readonly #limit: number;
  #frames: AccessUnit[] = [];
  /** Index of the next frame to hand out; the ones before it are consumed. */
  #head = 0;
  #skippingToKeyframe = false;
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  #iterating = false;
  /** Frames dropped because the consumer fell behind. */
  dropped = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(frame: AccessUnit): void {
    if (this.#ended) return;
    if (this.#frames.length - this.#head >= this.#limit) {
      this.dropped += this.#frames.length - this.#head;
      this.#frames = [];
      this.#head = 0;
      this.#skippingToKeyframe = true;
    }
    if (this.#skippingToKeyframe) {
      if (!frame.keyframe) {
        this.dropped++;
        return;
      }
      this.#skippingToKeyframe = false;
    }
    this.#frames.push(frame);
    this.#wakeUp();
  }

  /** Ends the iteration now: the consumer asked to stop, so frames still queued are not handed out. */
  end(): void {
    this.#ended = true;
    this.#frames = [];
    this.#head = 0;
    this.#wakeUp();
  }

  /** Fails the iteration after the frames already queued: they are good video up to the failure. */
  fail(error: Error): void {
    if (this.#ended) return;
    this.#error = error;
    this.#ended = true;
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *frames(): AsyncGenerator<AccessUnit> {
    if (this.#iterating) throw new Error('frames() has one consumer: iterate it once and share the frames from there.');
    this.#iterating = true;
    for (;;) {
      if (this.#head < this.#frames.length) {
        const frame = this.#frames[this.#head++]!;
        // Trim what was consumed now and then, not on every frame.
        if (this.#head >= 64) {
          this.#frames = this.#frames.slice(this.#head);
          this.#head = 0;
        }
        yield frame;
        continue;
      }
      this.#frames = [];
      this.#head = 0;
      if (this.#error) throw this.#error;
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
