import type { Timers } from './timers.js';

export interface TimedPasses {
  /** Resolves when the pass under way (or the last one) has ended. */
  settled(): Promise<void>;
  /** No more passes; resolves when the one under way has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` now, then again after the milliseconds it answers, each only after the one before
 * has ended (never two at once). `pass` handles its own failures: it answers the delay either way.
 */
export function startTimedPasses(pass: () => Promise<number>, timers: Timers): TimedPasses {
  let stopped = false;
  let cancelNext: () => void = () => {};
  let running: Promise<void> = Promise.resolve();
  const cycle = () => {
    running = pass().then((delay) => {
      if (!stopped) cancelNext = timers.after(delay, cycle);
    });
  };
  cycle();
  return {
    settled: () => running,
    async stop() {
      stopped = true;
      cancelNext();
      await running;
    },
  };
}
