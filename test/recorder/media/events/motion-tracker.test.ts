// From a camera's motion notifications to motion events, and keeping the subscription: pure.
import { describe, expect, it } from 'vitest';
import { applyChange, closeAtDisconnect, NO_MOTION, toRecorderTime, type MotionChange, type MotionStep, type MotionTrack } from '../../../../src/recorder/media/events/motion-tracker.js';
import { renewDue, SUBSCRIPTION_POLICY } from '../../../../src/recorder/media/events/subscription-policy.js';

/** Feeds changes in order; returns the steps taken. */
function run(changes: MotionChange[], track: MotionTrack = NO_MOTION): { steps: MotionStep[]; track: MotionTrack } {
  const steps: MotionStep[] = [];
  for (const change of changes) {
    const next = applyChange(track, change);
    track = next.track;
    if (next.step) steps.push(next.step);
  }
  return { steps, track };
}

describe('motion notifications into events', () => {
  it.each<[string, MotionChange[], MotionStep[]]>([
    ['on then off: one event', [{ at: 1000, active: true }, { at: 5000, active: false }], [{ kind: 'start', at: 1000 }, { kind: 'end', at: 5000 }]],
    ['a subscription that starts with no motion: nothing', [{ at: 1000, active: false }], []],
    ['"still on" repeated: one event, not split', [{ at: 1000, active: true }, { at: 2000, active: true }, { at: 3000, active: false }], [{ kind: 'start', at: 1000 }, { kind: 'end', at: 3000 }]],
    ['"off" repeated: ended once', [{ at: 1000, active: true }, { at: 2000, active: false }, { at: 2500, active: false }], [{ kind: 'start', at: 1000 }, { kind: 'end', at: 2000 }]],
    ['an end stamped before its start (two clocks, rounding): never a negative event', [{ at: 1000, active: true }, { at: 900, active: false }], [{ kind: 'start', at: 1000 }, { kind: 'end', at: 1000 }]],
    ['two events', [{ at: 1, active: true }, { at: 2, active: false }, { at: 3, active: true }, { at: 4, active: false }], [{ kind: 'start', at: 1 }, { kind: 'end', at: 2 }, { kind: 'start', at: 3 }, { kind: 'end', at: 4 }]],
  ])('%s', (_name, changes, steps) => {
    expect(run(changes).steps).toEqual(steps);
  });

  it('a lost subscription ends the open event where the camera was last heard, and only an open one', () => {
    const { track } = run([{ at: 1000, active: true }]);
    expect(closeAtDisconnect(track, 7000)).toEqual({ track: NO_MOTION, step: { kind: 'end', at: 7000 } });
    expect(closeAtDisconnect(track, 500).step).toEqual({ kind: 'end', at: 1000 });
    expect(closeAtDisconnect(NO_MOTION, 7000)).toEqual({ track: NO_MOTION, step: null });
  });

  it("the new subscription's Initialized state after a loss opens a new event if motion goes on", () => {
    const ended = closeAtDisconnect(run([{ at: 1000, active: true }]).track, 4000).track;
    expect(run([{ at: 9000, active: true }], ended).steps).toEqual([{ kind: 'start', at: 9000 }]);
  });
});

describe("a camera's time on the recorder's clock", () => {
  it('shifts by the offset the same answer gives: a camera 3 hours behind', () => {
    const offset = 3 * 3600_000;
    expect(toRecorderTime(1_000_000, 1_002_000, 1_002_000 + offset)).toBe(1_000_000 + offset);
  });
  it('never later than the answer arrived', () => {
    expect(toRecorderTime(5000, 4000, 4000)).toBe(4000);
  });
});

describe('renewing the subscription', () => {
  const renewAtMs = (SUBSCRIPTION_POLICY.lifetimeS - SUBSCRIPTION_POLICY.renewMarginS) * 1000;
  it('is due once less than the margin is left, not before', () => {
    expect(renewDue(0, renewAtMs - 1)).toBe(false);
    expect(renewDue(0, renewAtMs)).toBe(true);
  });
  it('leaves more than a pull and its answer before the subscription lapses', () => {
    expect(SUBSCRIPTION_POLICY.renewMarginS * 1000).toBeGreaterThan(SUBSCRIPTION_POLICY.pullTimeoutS * 1000 + SUBSCRIPTION_POLICY.callTimeoutMs);
  });
});
