import type { ManualClock } from '../../src/shared/clock.js';
import type { Timers } from '../../src/shared/timers.js';

/** One turn of the event loop: every promise continuation queued so far has run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Timers that fire only when a test moves the clock: `advance` steps to each due timer in order,
 * sets the clock to its time, fires it and lets the code it woke run, like time passing.
 */
export class ManualTimers implements Timers {
  #pending: { at: number; seq: number; fn: () => void }[] = [];
  #seq = 0;

  constructor(readonly clock: ManualClock) {}

  /** Timers set and not yet fired or cancelled: a schedule that set its next one has finished its pass. */
  get pending(): number {
    return this.#pending.length;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.clock.now() + ms, seq: this.#seq++, fn };
    this.#pending.push(timer);
    return () => {
      this.#pending = this.#pending.filter((t) => t !== timer);
    };
  }

  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    await settle();
    for (;;) {
      const due = this.#pending.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#pending = this.#pending.filter((t) => t !== due);
      if (due.at > this.clock.now()) this.clock.advance((due.at - this.clock.now()) / 1000);
      due.fn();
      await settle();
    }
    if (target > this.clock.now()) this.clock.advance((target - this.clock.now()) / 1000);
    await settle();
  }
}
