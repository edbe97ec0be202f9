/**
 * Frames between the socket and the one consumer of frames(): an async iterable that ends at
 * end() and throws after fail(). When the consumer falls behind by more than `limit` frames the
 * backlog is dropped up to the next keyframe, so a stalled consumer cannot exhaust memory.
 */
import type { AccessUnit } from '../types.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

export class FrameQueue {
  readonly #limit: number;
  #frames: AccessUnit[] = [];
  /** Index of the next frame to hand out; the ones before it are consumed. */
  #head = 0;
  #skippingToKeyframe = false;
  #ended = false;
  #error: Error | undefined;
  /** The consumer waiting for the next frame. */
  #waiter: { resolve(result: IteratorResult<AccessUnit>): void; reject(error: Error): void } | undefined;
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
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    try {
      waiter.resolve(this.#take());
    } catch (error) {
      waiter.reject(error as Error);
    }
  }

  /**
   * A plain iterator rather than an async generator: a generator costs several promises a frame
   * (its own, the wait for the next frame, the yield), this one a single one.
   */
  frames(): AsyncIterableIterator<AccessUnit> {
    let claimed = false;
    let finished = false;
    const iterator: AsyncIterableIterator<AccessUnit> = {
      next: () => {
        if (!claimed) {
          if (this.#iterating) return Promise.reject(new Error('frames() has one consumer: iterate it once and share the frames from there.'));
          this.#iterating = claimed = true;
        }
        if (finished) return Promise.resolve(DONE);
        if (this.#head === this.#frames.length && !this.#ended) return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
        try {
          return Promise.resolve(this.#take());
        } catch (error) {
          return Promise.reject(error as Error);
        }
      },
      return: () => {
        finished = true;
        return Promise.resolve(DONE);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** The next frame, or the end; throws the failure once the frames before it are handed out. */
  #take(): IteratorResult<AccessUnit> {
    if (this.#head < this.#frames.length) {
      const frame = this.#frames[this.#head++]!;
      // Trim what was consumed now and then, not on every frame.
      if (this.#head >= 64) {
        this.#frames = this.#frames.slice(this.#head);
        this.#head = 0;
      }
      return { value: frame, done: false };
    }
    this.#frames = [];
    this.#head = 0;
    if (this.#error) throw this.#error;
    return DONE;
  }
}
