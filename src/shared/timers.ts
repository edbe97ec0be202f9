/**
 * Waiting, as a dependency: code that waits takes Timers, so tests move a manual clock and fire
 * what is due instead of sleeping.
 */
export interface Timers {
  /** Calls `fn` once after `ms` milliseconds; returns the function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemTimers: Timers = {
  after(ms, fn) {
    const handle = setTimeout(fn, ms);
    // A pending retry or watchdog alone must not keep the process alive (the server does that).
    handle.unref();
    return () => clearTimeout(handle);
  },
};
