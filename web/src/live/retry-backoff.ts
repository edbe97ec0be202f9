// How long a live tile waits before it asks for the stream again. Pure.

const FIRST_MS = 1_000;
const MAX_MS = 30_000;

/**
 * 1, 2, 4, 8, 16, 30, 30… seconds after the 1st, 2nd… failure in a row: a camera back after a
 * blip shows again at once, and a camera that is gone for the night costs one request every 30 s
 * per viewer, not one a second.
 */
export function retryDelayMs(failuresInARow: number): number {
  if (failuresInARow < 1) return 0;
  return Math.min(MAX_MS, FIRST_MS * 2 ** (failuresInARow - 1));
}
