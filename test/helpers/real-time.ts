import type { ManualClock } from '../../src/shared/clock.js';

/**
 * Moves a manual clock along with real time, for tests with a camera that streams in real time:
 * the recorder stamps its frames with its clock, so segments and motion events keep their true
 * lengths. Returns what stops it.
 */
export function followRealTime(clock: ManualClock, everyMs = 20): () => void {
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    clock.advance((now - last) / 1000);
    last = now;
  }, everyMs);
  return () => clearInterval(timer);
}
