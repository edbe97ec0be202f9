// The pure decisions of account recovery, fed requests and times; and its schedule on manual timers.
import { describe, expect, it } from 'vitest';
import {
  daysLeft,
  nextPassDelay,
  RECOVERY_NOTICE_INTERVAL_MS,
  RECOVERY_PASS_MAX_DELAY_MS,
  recoveryState,
  recoveryStep,
} from '../../../src/cloud/recovery/account-recovery-policy.js';
import { startAccountRecoverySchedule } from '../../../src/cloud/recovery/account-recovery-schedule.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { createLogger } from '../../../src/shared/logger.js';
import { ManualTimers } from '../../helpers/manual-timers.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1);
/** A request opened at T0 with a week's wait, its first notice sent at once. */
const waiting = { endsAt: T0 + 7 * DAY, lastNoticeAt: T0, cancelledAt: null, completedAt: null };

describe('is the request still waiting?', () => {
  it('waits until its end, then its wait is over; cancelled and completed ones stay so', () => {
    expect(recoveryState(waiting, T0)).toBe('waiting');
    expect(recoveryState(waiting, T0 + 7 * DAY - 1)).toBe('waiting');
    expect(recoveryState(waiting, T0 + 7 * DAY)).toBe('wait_over');
    expect(recoveryState({ ...waiting, cancelledAt: T0 + DAY }, T0 + 8 * DAY)).toBe('cancelled');
    expect(recoveryState({ ...waiting, completedAt: T0 + 7 * DAY }, T0 + 8 * DAY)).toBe('completed');
  });
});

describe('what the schedule does with a request', () => {
  it('sends a notice a day after the last one, not before', () => {
    expect(recoveryStep(waiting, T0 + DAY - 1)).toBe('none');
    expect(recoveryStep(waiting, T0 + DAY)).toBe('notice');
    expect(recoveryStep({ ...waiting, lastNoticeAt: T0 + DAY }, T0 + 2 * DAY - 1)).toBe('none');
  });

  it('completes it once the wait is over, even when a notice is overdue too', () => {
    expect(recoveryStep({ ...waiting, lastNoticeAt: T0 + 5 * DAY }, T0 + 7 * DAY)).toBe('complete');
  });

  it('does nothing more with a cancelled or completed request, however late', () => {
    expect(recoveryStep({ ...waiting, cancelledAt: T0 + 1 }, T0 + 30 * DAY)).toBe('none');
    expect(recoveryStep({ ...waiting, completedAt: T0 + 7 * DAY }, T0 + 30 * DAY)).toBe('none');
  });
});

describe('when the schedule looks again', () => {
  it('at the first step due, at most its longest sleep, at least a second', () => {
    expect(nextPassDelay([], T0)).toBe(RECOVERY_PASS_MAX_DELAY_MS);
    expect(nextPassDelay([waiting], T0)).toBe(RECOVERY_PASS_MAX_DELAY_MS);
    expect(nextPassDelay([waiting], T0 + RECOVERY_NOTICE_INTERVAL_MS - 60_000)).toBe(60_000);
    // A short wait ends before the next notice.
    expect(nextPassDelay([{ ...waiting, endsAt: T0 + 120_000 }], T0)).toBe(120_000);
    expect(nextPassDelay([waiting], T0 + 2 * DAY)).toBe(1000);
    expect(nextPassDelay([{ ...waiting, cancelledAt: T0 }], T0 + DAY - 1000)).toBe(RECOVERY_PASS_MAX_DELAY_MS);
  });

  it('counts the days left as the notices say them, rounded up', () => {
    expect(daysLeft(waiting, T0)).toBe(7);
    expect(daysLeft(waiting, T0 + 1)).toBe(7);
    expect(daysLeft(waiting, T0 + DAY)).toBe(6);
    expect(daysLeft(waiting, T0 + 8 * DAY)).toBe(0);
  });
});

describe('the schedule', () => {
  it('runs a pass at once, then after the delay each pass answers; a failed pass is logged and tried again later', async () => {
    const clock = new ManualClock(T0);
    const timers = new ManualTimers(clock);
    const passes: number[] = [];
    const answers = [5000, 7000];
    const schedule = startAccountRecoverySchedule(
      async () => {
        passes.push(clock.now() - T0);
        if (passes.length === 3) throw new Error('database gone');
        return answers.shift() ?? 60_000;
      },
      { timers, logger: createLogger({ level: 'silent' }) },
    );
    await schedule.settled();
    await timers.advance(5000);
    await timers.advance(7000);
    expect(passes).toEqual([0, 5000, 12_000]);
    await timers.advance(RECOVERY_PASS_MAX_DELAY_MS - 1);
    expect(passes).toHaveLength(3);
    await timers.advance(1);
    expect(passes).toEqual([0, 5000, 12_000, 12_000 + RECOVERY_PASS_MAX_DELAY_MS]);
    await schedule.stop();
    expect(timers.pending).toBe(0);
  });
});
