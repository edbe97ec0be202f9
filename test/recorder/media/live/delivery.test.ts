import { describe, expect, it } from 'vitest';
import { afterDelivery, decideDelivery, type SubscriberState } from '../../../../src/recorder/media/live/delivery.js';

const limits = { maxBacklogBytes: 1000, maxSkippedKeyframes: 3 };
const state = (s: Partial<SubscriberState>): SubscriberState => ({ inStep: true, backlogBytes: 0, skippedKeyframes: 0, ...s });

describe('live fan-out: what a subscriber gets', () => {
  it('a subscriber that keeps up gets every fragment', () => {
    expect(decideDelivery(state({}), false, limits)).toBe('send');
    expect(decideDelivery(state({ backlogBytes: 1000 }), true, limits)).toBe('send');
  });

  it('a new subscriber (not in step) waits for a keyframe', () => {
    expect(decideDelivery(state({ inStep: false }), false, limits)).toBe('skip');
    expect(decideDelivery(state({ inStep: false }), true, limits)).toBe('send');
  });

  it('one that falls behind skips to the next keyframe it can take, never resuming mid-GOP', () => {
    let s = state({ backlogBytes: 1001 });
    const decision = decideDelivery(s, false, limits);
    expect(decision).toBe('skip');
    s = { ...afterDelivery(s, false, decision), backlogBytes: 0 };
    expect(decideDelivery(s, false, limits)).toBe('skip'); // caught up, but a P-frame cannot be decoded now
    expect(decideDelivery(s, true, limits)).toBe('send');
    expect(afterDelivery(s, true, 'send')).toMatchObject({ inStep: true, skippedKeyframes: 0 });
  });

  it('one that stays behind for three keyframes in a row is dropped', () => {
    let s = state({ backlogBytes: 5000 });
    const decisions = [];
    for (let i = 0; i < 3; i++) {
      const d = decideDelivery(s, true, limits);
      decisions.push(d);
      s = afterDelivery(s, true, d);
    }
    expect(decisions).toEqual(['skip', 'skip', 'drop']);
  });
});
