import { describe, expect, it } from 'vitest';
import { NO_REORDERING, ReorderBuffer, type ReorderWindow } from '../../../src/media/rtsp/reorder-buffer.js';

/** Pushes sequence numbers (each arriving at `at`, default 0 ms); returns what came out, as "seq" or "seq after n lost". */
function run(window: ReorderWindow, arrivals: Array<number | [number, number]>) {
  const out: string[] = [];
  const buffer = new ReorderBuffer<number>(window, (seq, lost) => out.push(lost ? `${seq} after ${lost} lost` : `${seq}`));
  const taken = arrivals.map((arrival) => {
    const [seq, at] = typeof arrival === 'number' ? [arrival, 0] : arrival;
    return buffer.push(seq, seq, at);
  });
  return { out, taken, lost: buffer.lost, discarded: buffer.discarded };
}

const WINDOW: ReorderWindow = { packets: 4, ms: 50 };

describe('ReorderBuffer', () => {
  it('puts shuffled packets back in order across the wrap at 65535 → 0', () => {
    const { out, lost, discarded } = run(WINDOW, [65533, 65535, 65534, 1, 0, 3, 2, 4]);
    expect(out).toEqual(['65533', '65534', '65535', '0', '1', '2', '3', '4']);
    expect([lost, discarded]).toEqual([0, 0]);
  });

  it('drops duplicates, held or already passed on, and counts them', () => {
    const { out, taken, discarded } = run(WINDOW, [10, 10, 12, 12, 11, 11, 13]);
    expect(out).toEqual(['10', '11', '12', '13']);
    expect(taken).toEqual([true, false, true, false, true, false, true]);
    expect(discarded).toBe(3);
  });

  it('gives a gap up once more packets are held than the window, then takes the late one as too late', () => {
    // 3 never comes in time: 4..8 are five held packets, one more than the window.
    const { out, lost, discarded, taken } = run(WINDOW, [1, 2, 4, 5, 6, 7, 8, 3, 9]);
    expect(out).toEqual(['1', '2', '4 after 1 lost', '5', '6', '7', '8', '9']);
    expect(lost).toBe(1);
    expect(discarded).toBe(1);
    expect(taken[7]).toBe(false);
  });

  it('gives a gap up when its oldest held packet has waited longer than the window, across the wrap', () => {
    const { out, lost } = run(WINDOW, [
      [65534, 0],
      [1, 10], // 65535 and 0 missing
      [2, 60], // 50 ms after 1: still waiting
      [3, 61], // 51 ms: given up
    ]);
    expect(out).toEqual(['65534', '1 after 2 lost', '2', '3']);
    expect(lost).toBe(2);
  });

  it('gives up only the packets missing before the first held one, and waits for the next gap again', () => {
    const { out } = run({ packets: 2, ms: 1000 }, [1, 3, 5, 6, 4]);
    // 3, 5, 6 held: over the window, so 2 is given up and 3 goes out; 5, 6 wait for 4, which comes.
    expect(out).toEqual(['1', '3 after 1 lost', '4', '5', '6']);
  });

  it('without a window (TCP) passes a gap on as a loss at once', () => {
    const { out, lost, discarded } = run(NO_REORDERING, [65534, 65535, 2, 3, 1]);
    expect(out).toEqual(['65534', '65535', '2 after 2 lost', '3']);
    expect([lost, discarded]).toEqual([2, 1]);
  });
});
