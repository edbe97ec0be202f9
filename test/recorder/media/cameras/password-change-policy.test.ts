import { describe, expect, it } from 'vitest';
import {
  dueForRotation,
  nextRotationAt,
  nextUpkeepDelay,
  passwordStatus,
  PENDING_RETRY_MS,
  SCHEDULE_CHECK_MS,
  SETTLE_AFTER_MS,
  settleable,
  settlePending,
  type ScheduledCamera,
} from '../../../../src/recorder/media/cameras/password-change-policy.js';

const DAY = 86_400_000;
const camera = (over: Partial<ScheduledCamera> = {}): ScheduledCamera => ({ cameraId: 1, changedAt: 0, changeable: true, pending: false, ...over });

describe('settling a pending password', () => {
  it.each([
    ['ok', undefined, 'commit'],
    ['refused', 'ok', 'abandon'],
    ['refused', 'refused', 'keep_both'],
    ['refused', 'unreached', 'keep_both'],
    ['unreached', undefined, 'keep_both'],
  ] as const)('the pending one %s, the old one %s: %s', (pending, old, verdict) => {
    expect(settlePending(pending, old)).toBe(verdict);
  });
});

it('a pending password is decided only once its unanswered SetUser has surely ended', () => {
  expect(settleable(1000, 1000 + SETTLE_AFTER_MS - 1)).toBe(false);
  expect(settleable(1000, 1000 + SETTLE_AFTER_MS)).toBe(true);
});

describe('the schedule', () => {
  it('is off by default: nothing is ever due', () => {
    expect(dueForRotation([camera()], null, 1000 * DAY)).toEqual([]);
    expect(nextRotationAt([camera()], null)).toBeNull();
  });

  it('a camera is due once its password is as old as the period, not a millisecond before', () => {
    expect(dueForRotation([camera()], 30, 30 * DAY - 1)).toEqual([]);
    expect(dueForRotation([camera()], 30, 30 * DAY)).toEqual([1]);
    expect(nextRotationAt([camera({ changedAt: 5 * DAY })], 30)).toBe(35 * DAY);
  });

  it('skips cameras it cannot change and cameras with a change pending', () => {
    const cameras = [camera({ cameraId: 1, changeable: false }), camera({ cameraId: 2, pending: true }), camera({ cameraId: 3 })];
    expect(dueForRotation(cameras, 30, 31 * DAY)).toEqual([3]);
  });

  it('a camera the schedule failed to rotate waits an hour before the next try', () => {
    const tried = camera({ triedAt: 40 * DAY });
    expect(dueForRotation([tried], 30, 40 * DAY + SCHEDULE_CHECK_MS - 1)).toEqual([]);
    expect(dueForRotation([tried], 30, 40 * DAY + SCHEDULE_CHECK_MS)).toEqual([1]);
  });

  it('passes come soon while a change is undecided, else when the next camera is due, at most an hour apart', () => {
    expect(nextUpkeepDelay([camera({ pending: true })], null, 0)).toBe(PENDING_RETRY_MS);
    expect(nextUpkeepDelay([camera()], null, 0)).toBe(SCHEDULE_CHECK_MS);
    expect(nextUpkeepDelay([camera()], 30, 30 * DAY - 5000)).toBe(5000);
    expect(nextUpkeepDelay([camera()], 30, 0)).toBe(SCHEDULE_CHECK_MS);
  });
});

describe("a camera's password as the list shows it", () => {
  it('an undecided change first, then a refused login with what to do', () => {
    expect(passwordStatus({ pending: true, loginRefused: true, changeable: true }).state).toBe('unconfirmed');
    expect(passwordStatus({ pending: false, loginRefused: false, changeable: true })).toEqual({ state: 'ok', message: null });
    const refused = passwordStatus({ pending: false, loginRefused: true, changeable: true });
    expect(refused.state).toBe('refused');
    expect(refused.message).toMatch(/reset button.*activate it again.*edit the camera and set it/);
    // A camera added by its RTSP address is put right by editing it.
    expect(passwordStatus({ pending: false, loginRefused: true, changeable: false }).message).toMatch(/Edit the camera and set the password it has now/);
  });
});
